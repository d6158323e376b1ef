"""``manage.py policy_rules``: every catalogue rule, its source and the code that enforces it."""

from django.core.management.base import BaseCommand

from policies.rules import rules


class Command(BaseCommand):
    help = "List every policy rule ID, its source section and the code that enforces it."

    def add_arguments(self, parser):
        parser.add_argument("--council", help="Only rules whose ID starts with this prefix.")

    def handle(self, *args, council=None, **options):
        registry = rules()
        shown = 0
        for rule in registry.values():
            if council and not rule.id.upper().startswith(council.upper()):
                continue
            shown += 1
            where = (
                f"guidance-only: {rule.guidance}"
                if rule.guidance
                else "\n    ".join(rule.enforced_by) or "NOT ENFORCED"
            )
            self.stdout.write(f"{rule.id:<12} {rule.source}\n  {rule.summary}\n    {where}")
        enforced = sum(1 for r in registry.values() if r.enforced_by)
        guidance = sum(1 for r in registry.values() if r.guidance and not r.enforced_by)
        self.stdout.write(
            f"\n{shown} rules shown; {len(registry)} in the catalogue: {enforced} enforced, "
            f"{guidance} guidance-only."
        )
