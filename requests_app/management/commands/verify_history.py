"""Recompute the hash chains of the audit trail and the case notes (issue 11, item 2).

    manage.py verify_history

Exit 0 with "N entries verified, chain intact", or exit 1 naming, for each council whose chain
is broken, the first entry that does not match.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from requests_app.models import AuditEvent, CaseNote, Council
from requests_app.models.chain import GENESIS, entry_hash


def first_break(model, council_id):
    """(entries checked, None) for an intact chain, or (entries checked, description)."""
    prev, checked = GENESIS, 0
    rows = model.objects.filter(**model.chain_filter(council_id)).order_by("id")
    for row in rows.iterator(chunk_size=2000):
        checked += 1
        if row.prev_hash != prev:
            return checked, (f"{model.__name__} {row.pk}: it does not point at the entry "
                             f"before it (an entry was removed, inserted or reordered)")
        if row.hash != entry_hash(model.__name__, row, prev):
            return checked, f"{model.__name__} {row.pk}: its content was changed"
        prev = row.hash
    return checked, None


def chains():
    names = dict(Council.objects.values_list("pk", "name"))
    event_councils = set(AuditEvent.objects.values_list("council_id", flat=True).distinct())
    note_councils = set(CaseNote.objects.values_list("request__council_id", flat=True)
                        .distinct())
    for model, councils in ((AuditEvent, event_councils), (CaseNote, note_councils)):
        for council_id in sorted(councils, key=lambda c: (c is not None, c or 0)):
            yield model, council_id, names.get(council_id, "no council")


class Command(BaseCommand):
    help = "Verify the hash chains of the audit trail and the case notes, per council."

    def handle(self, *args, **options):
        total, broken = 0, []
        for model, council_id, council in chains():
            checked, problem = first_break(model, council_id)
            total += checked
            if problem:
                broken.append(f"{council}: first broken link at {problem}")
        for line in broken:
            self.stderr.write(line)
        if broken:
            raise CommandError(f"{len(broken)} chain(s) broken; {total} entries read.",
                               returncode=1)
        self.stdout.write(f"{total} entries verified, chain intact")
