"""``manage.py policy_rules``: every catalogue rule, its source and the code that enforces it.

``--write`` regenerates ``docs/policy-rules.md`` (the catalogue kept in the repository);
``--check`` exits non-zero when that file is out of date.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from policies.rules import markdown, rules

CATALOGUE_FILE = Path(settings.BASE_DIR) / "docs" / "policy-rules.md"


class Command(BaseCommand):
    help = "List every policy rule ID, its source section and the code that enforces it."

    def add_arguments(self, parser):
        parser.add_argument("--council", help="Only rules whose ID starts with this prefix.")
        parser.add_argument("--write", action="store_true",
                            help=f"Write the catalogue as Markdown to {CATALOGUE_FILE.name}.")
        parser.add_argument("--check", action="store_true",
                            help=f"Fail if {CATALOGUE_FILE.name} is out of date.")

    def handle(self, *args, council=None, write=False, check=False, **options):
        if write or check:
            wanted = markdown()
            if check:
                have = CATALOGUE_FILE.read_text() if CATALOGUE_FILE.exists() else ""
                if have != wanted:
                    raise CommandError(f"{CATALOGUE_FILE} is out of date: run "
                                       "`uv run python manage.py policy_rules --write`.")
                self.stdout.write(f"{CATALOGUE_FILE} is up to date.")
                return
            CATALOGUE_FILE.write_text(wanted)
            self.stdout.write(f"Wrote {CATALOGUE_FILE}.")
            return
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
