"""Reading the audit trail: one council's events, filtered, a page at a time, newest first,
and the same events as a CSV (issue 11 item 3).

The trail may hold millions of rows, so nothing here counts or loads them all: a page is the
next 50 rows after a cursor (the last event shown), found through the indexes on
(council, at), (request, at), (actor, at), (council, action, at) and
(object_type, object_id, at). Reading the page and exporting are audited by
`audit_reads` (``audit.viewed``, ``audit.exported`` with the filters and row count); this
module never writes an event itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from requests_app import audit_reads
from requests_app.models import AuditEvent, CaseRecord, InformationRequest, RequestSubject, User

PAGE_SIZE = 50


def _reads() -> list[str]:
    return sorted({*audit_reads.READS.values(), *audit_reads.NAMESPACE_READS.values(),
                   audit_reads.UNCLASSIFIED})


def _starting(*prefixes: str) -> Q:
    found = Q()
    for prefix in prefixes:
        found |= Q(action__startswith=prefix)
    return found & ~Q(action__in=_reads())


# Kinds of event, as the filter offers them. Reads are named in audit_reads' tables; changes
# by the prefix their service gives them (request.<transition>, pack.send, auth.sign_in …).
KINDS: dict[str, tuple[str, Callable[[], Q]]] = {
    "reads": ("Pages and files read", lambda: Q(action__in=_reads())),
    "refused": ("Pages refused or failed",
                lambda: Q(action__in=[audit_reads.REFUSED, audit_reads.FAILED])),
    "sign_in": ("Sign-ins, sign-outs and lock-outs", lambda: _starting("auth.")),
    "requests": ("Changes to requests (triage, decisions, allocation, disclosure …)",
                 lambda: _starting("request.")),
    "documents": ("Documents and redactions", lambda: _starting("document.", "redaction.")),
    "packs": ("Disclosure packs", lambda: _starting("pack.")),
    "notes": ("Case notes", lambda: _starting("note.")),
    "staff": ("Staff, their roles and reference data (the admin)",
              lambda: _starting("admin.", "user.")),
}


@dataclass(frozen=True)
class Filters:
    person: User | None = None
    child: CaseRecord | None = None
    request: InformationRequest | None = None
    kind: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def described(self) -> dict:
        """The filters, for the audit event of a read or an export."""
        return {k: v for k, v in {
            "person": self.person.username if self.person else "",
            "child": self.child.reference if self.child else "",
            "request": self.request.reference if self.request else "",
            "kind": self.kind, "action": self.action,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }.items() if v}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def council_events(user) -> QuerySet[AuditEvent]:
    """Every event of the user's own council, never another's (the caller has checked that
    the policy lets this person read the trail)."""
    if not getattr(user, "council_id", None):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(council_id=user.council_id)


def events(user, filters: Filters) -> QuerySet[AuditEvent]:
    found = council_events(user)
    if filters.person is not None:
        # What they did, and what was done to their account (failed sign-ins, role changes).
        found = found.filter(Q(actor=filters.person) | Q(
            object_type=User._meta.label, object_id=str(filters.person.pk)))
    if filters.child is not None:
        # Events on every request about the child, and reads of their register.
        about = RequestSubject.objects.filter(case_record=filters.child).values("request")
        found = found.filter(Q(request__in=about) | Q(
            object_type=CaseRecord._meta.label, object_id=str(filters.child.pk)))
    if filters.request is not None:
        found = found.filter(request=filters.request)
    if filters.kind in KINDS:
        found = found.filter(KINDS[filters.kind][1]())
    if filters.action:
        found = found.filter(action=filters.action)
    if filters.date_from:
        found = found.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        found = found.filter(at__lt=_start_of(filters.date_to + timedelta(days=1)))
    return found


@dataclass
class Page:
    rows: list[AuditEvent]
    older: int | None  # the cursor for the next, older page
    newer: int | None  # the cursor for the previous, newer page


def page(user, found: QuerySet[AuditEvent], *, before=None, after=None,
         size: int = PAGE_SIZE) -> Page:
    """One page, newest first, after the cursor ``before`` (older events) or ``after``
    (newer ones). A cursor is an event id; one that is not this council's is ignored."""
    cursor = _int(after) or _int(before)
    anchor = (council_events(user).filter(pk=cursor).values_list("at", "pk").first()
              if cursor else None)
    found = found.select_related("actor", "request")
    if anchor and _int(after):
        at, pk = anchor
        rows = list(found.filter(Q(at__gt=at) | Q(at=at, pk__gt=pk)).order_by("at", "pk")
                    [:size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        return Page(rows, rows[-1].pk if rows else None,
                    rows[0].pk if has_newer and rows else None)
    if anchor:
        at, pk = anchor
        found = found.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
    rows = list(found.order_by("-at", "-pk")[:size + 1])
    has_older = len(rows) > size
    rows = rows[:size]
    return Page(rows, rows[-1].pk if has_older and rows else None,
                rows[0].pk if anchor and rows else None)


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


# Detail keys every read event carries; the summary leaves them out as noise.
_ROUTINE = {"kind", "url_name", "method", "status", "path"}


def summary(event: AuditEvent) -> str:
    """What happened, in a line: the state change and the detail that matters."""
    parts = []
    if event.from_state or event.to_state:
        parts.append(f"{event.from_state or '–'} → {event.to_state or '–'}")
    detail = event.detail if isinstance(event.detail, dict) else {}
    for key, value in detail.items():
        if key in _ROUTINE or value in ("", None, [], {}):
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {text[:120]}")
    return "; ".join(parts)


EXPORT_HEADER = ("Event", "When", "Who (username)", "Who (name)", "What", "Request",
                 "Object type", "Object id", "From state", "To state", "Detail",
                 "IP address", "Browser", "Hash")


def export(found: QuerySet[AuditEvent]) -> tuple[int, object]:
    """The number of rows and a lazy iterator over them, newest first. Both stop at the
    newest event there is now, so the count is exactly what the file holds (and the
    export's own audit event, written after, is not in it)."""
    newest = found.order_by("-pk").values_list("pk", flat=True).first()
    found = found.filter(pk__lte=newest or 0)
    count = found.count()
    rows = found.order_by("-at", "-pk").values_list(
        "pk", "at", "actor__username", "actor__first_name", "actor__last_name", "action",
        "request__reference", "object_type", "object_id", "from_state", "to_state", "detail",
        "ip_address", "user_agent", "hash",
    ).iterator(chunk_size=2000)
    return count, (_export_row(row) for row in rows)


def _export_row(row):
    (pk, at, username, first, last, action, reference, object_type, object_id, from_state,
     to_state, detail, ip, agent, digest) = row
    return (pk, timezone.localtime(at).isoformat(timespec="seconds"), username or "",
            f"{first or ''} {last or ''}".strip(), action, reference or "", object_type,
            object_id, from_state, to_state,
            json.dumps(detail, ensure_ascii=False, sort_keys=True), ip or "", agent, digest)
