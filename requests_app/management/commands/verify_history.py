"""Recompute the hash chains of the audit trail and the case notes (issue 11, item 2).

    manage.py verify_history

Exit 0 with "N entries verified, chain intact", or exit 1 naming, for each council whose chain
is broken, the first entry that does not match. On PostgreSQL each chain must also end at the
entry its tail records (`ChainTail`, ADR 0039): a chain cut short at its end still links.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from requests_app.models import AuditEvent, CaseNote, ChainTail, Council
from requests_app.models.chain import GENESIS, NO_COUNCIL, entry_hash


def first_break(model, council_id):
    """(entries checked, None) for an intact chain, or (entries checked, description)."""
    prev, checked, last = GENESIS, 0, None
    rows = model.objects.filter(**model.chain_filter(council_id)).order_by("id")
    for row in rows.iterator(chunk_size=2000):
        checked += 1
        if row.prev_hash != prev:
            return checked, (f"{model.__name__} {row.pk}: it does not point at the entry "
                             f"before it (an entry was removed, inserted or reordered)")
        if row.hash != entry_hash(model.__name__, row, prev):
            return checked, f"{model.__name__} {row.pk}: its content was changed"
        prev, last = row.hash, row.pk
    return checked, cut_short(model, council_id, last)


def cut_short(model, council_id, last) -> str | None:
    """Where the chain's recorded tail is not its last entry: entries at its end were removed
    (or the tail rewritten). PostgreSQL only: the SQLite demo keeps no tails."""
    if connection.vendor != "postgresql":
        return None
    tail = ChainTail.objects.filter(chain=model.__name__,
                                    council_key=council_id or NO_COUNCIL).first()
    if tail is None or tail.last_id == last:
        return None
    if last is None or tail.last_id > last:
        return (f"{model.__name__} {tail.last_id}: the chain's last entry, by its recorded "
                f"tail, is missing (entries were removed from its end)")
    return (f"{model.__name__} {last}: written after the chain's recorded tail, "
            f"{model.__name__} {tail.last_id}, without moving it (its trigger was off)")


def chains():
    names = dict(Council.objects.values_list("pk", "name"))
    event_councils = set(AuditEvent.objects.values_list("council_id", flat=True).distinct())
    note_councils = set(CaseNote.objects.values_list("request__council_id", flat=True)
                        .distinct())
    if connection.vendor == "postgresql":  # a chain emptied of its entries keeps its tail
        for tail in ChainTail.objects.all():
            council = None if tail.council_key == NO_COUNCIL else tail.council_key
            (event_councils if tail.chain == "AuditEvent" else note_councils).add(council)
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
