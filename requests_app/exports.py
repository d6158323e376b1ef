"""What goes in a CSV of requests or case records (issue 12 item 3).

The rows are the list the person was looking at, with its filters: the view passes the same
queryset the page shows (`views.home.listing`, `search.requests`, `search.case_records`).
Files are written by `csv_export.csv_response` (formula injection neutralised) and streamed
with ``.iterator()``, so a long list never sits in memory. The read is audited by
`audit_reads` (one event: what, the filters, the number of rows).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

# Rows fetched per round trip while streaming; prefetching the children needs a chunk size.
CHUNK = 500

REQUEST_HEADER = ["Reference", "Received", "Due", "Status", "Type", "Requester",
                  "Organisation", "Children", "Team", "Who has it"]
RECORD_HEADER = ["Record reference", "First name", "Last name", "Date of birth", "Locality",
                 "Case", "Last team"]


def _day(value) -> str:
    return value.isoformat() if value else ""


def request_rows(rows) -> Iterator[list]:
    for item in rows.iterator(chunk_size=CHUNK):
        holder = item.allocated_worker or item.routed_to
        yield [
            item.reference,
            _day(timezone.localtime(item.received_at).date() if item.received_at else None),
            _day(item.due_date),
            item.get_state_display(),
            item.get_request_type_display(),
            item.requester.name,
            item.requester.organisation,
            "; ".join(subject.name for subject in item.subjects.all()),
            item.routed_team.name if item.routed_team else "",
            holder.get_full_name() if holder else "",
        ]


def record_rows(rows) -> Iterator[list]:
    for record in rows.iterator(chunk_size=CHUNK):
        yield [
            record.reference,
            record.first_name,
            record.last_name,
            _day(record.date_of_birth),
            record.locality,
            "Open" if record.is_open else "Closed",
            record.last_team.name if record.last_team else "",
        ]
