"""The queues of "My work": which requests each home-page tab holds for a person.

One place, so the home page, the CSV exports of its lists and anything else that lists a
person's work read the same sets, always inside what `access.visible_requests` lets them see.

Shaped so that PostgreSQL reads only the open work (ADR 0018): every tab but "All I can see"
is limited to open states, which a partial index covers; the counts are one pass over that
open set, with no join and so no COUNT DISTINCT; "All I can see" is history and is never
counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connections
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Concat
from django.utils import timezone

from requests_app import access, sql_memo
from requests_app.lookups import among, among_first
from requests_app.models import (
    HardCopyRequest,
    InformationRequest,
    Requester,
    RequestSubject,
    RequestType,
)
from requests_app.workflow import OPEN_STATES, RequestState

# Sorted, so the IN list is written the same way as the partial indexes' condition.
OPEN = sorted(OPEN_STATES)

TABS: dict[str, str] = {
    "mine": "Waiting for me",
    "team": "For my team",
    "decide": "For my decision",
    "overdue": "Overdue",
    "week": "Due this week",
    "all": "All I can see",
}
# The tabs that hold open work only: these are counted. "all" is the person's history.
COUNTED = ("mine", "team", "decide", "overdue", "week")

SORTS: dict[str, tuple[str, str]] = {
    "due": ("due_date", "Due date (soonest first)"),
    "-received": ("-received_at", "Received (newest first)"),
    "received": ("received_at", "Received (oldest first)"),
    "reference": ("reference", "Reference"),
}


def default_tab(user) -> str:
    # The first point of contact triages everything: their work is the council's open list.
    return "team" if access.sees_whole_council(user) else "mine"


def _due(today: date) -> dict[str, Q]:
    """The two tabs that depend on the day, over a `due_date` (a request's, or OpenWork's)."""
    return {"overdue": Q(due_date__lt=today),
            "week": Q(due_date__gte=today, due_date__lte=today + timedelta(days=7))}


def _conditions(user, today: date) -> dict[str, Q]:
    """Each open tab's condition, applied to the person's open visible requests. OpenWork's
    `mine` and `decide` are these conditions, written by migration 0024's triggers."""
    mine = Q(routed_to=user) | Q(allocated_worker=user)
    # EXISTS, not a join: a join would repeat rows and need DISTINCT (and COUNT DISTINCT).
    copies_to_approve = Exists(HardCopyRequest.objects.filter(
        request=OuterRef("pk"), approver=user, decision__isnull=True))
    return {
        "mine": mine,
        "team": ~mine,
        "decide": (Q(state=RequestState.AWAITING_DECISION, routed_to=user)
                   | Q(Q(state=RequestState.HARD_COPIES_REQUESTED) & Q(copies_to_approve))),
        **_due(today),
    }


def _work_conditions(today: date) -> dict[str, Q]:
    """The counted tabs' conditions over OpenWork's rows (`_conditions`, as its triggers
    wrote them)."""
    return {"mine": Q(mine=True), "team": Q(mine=False), "decide": Q(decide=True),
            **_due(today)}


def _counted(user, today: date):
    """One row of the counted tabs, as a queryset: from the person's OpenWork rows where
    access.py gives them (ADR 0038), else from the open requests they may see."""
    work = access.counted_open_work(user)
    if work is not None:
        conditions = _work_conditions(today)
        rows, counted = work, "holder"  # from the index alone: it holds every column read
    else:
        conditions = _conditions(user, today)
        rows, counted = open_visible(user, to_count=True), "pk"
    # One row of counts: grouped by a constant, which SQL leaves out of a GROUP BY. Named
    # apart from OpenWork's own `mine` and `decide`, which the conditions read.
    names = {key: f"count_{key}" for key in COUNTED}
    return (rows.order_by().annotate(every=Value(1)).values("every")
            .annotate(**{names[key]: Count(counted, filter=conditions[key])
                         for key in COUNTED})
            .values_list(*names.values()))


def open_visible(user, *, to_count: bool = False) -> QuerySet[InformationRequest]:
    """The open requests this person may see: the set every counted tab narrows down."""
    return access.visible_open_requests(user, OPEN, to_count=to_count)


def tab_queryset(user, tab: str, today: date | None = None) -> QuerySet[InformationRequest]:
    """The requests of one tab (unordered, no filters): `KeyError` for an unknown tab."""
    if tab not in TABS:
        raise KeyError(tab)
    if tab == "all":
        return access.visible_requests(user)
    today = today or timezone.localdate()
    return open_visible(user).filter(_conditions(user, today)[tab])


def tab_rows(user, tab: str, *, state: str = "", rtype: str = "", sort: str = "due",
             today: date | None = None) -> QuerySet[InformationRequest]:
    """A tab with the page's filters and sort applied, ready to list (or export)."""
    rows = tab_queryset(user, tab, today)
    if state in RequestState.values:
        rows = rows.filter(state=state)
    if rtype in RequestType.values:
        rows = rows.filter(request_type=rtype)
    order = SORTS.get(sort, SORTS["due"])[0]
    return rows.order_by(order, "pk")


def tab_counts(user, today: date | None = None) -> dict[str, int | None]:
    """How many requests each open tab holds, in one query over the open work only. "All I
    can see" is not counted (None): counting it would read the person's whole history."""
    today = today or timezone.localdate()

    # Planned once per connection for this person and day (sql_memo.INLINE, ADR 0036).
    found = sql_memo.rows(("tab_counts", sql_memo.person_key(user), today),
                          lambda: _counted(user, today), prepare=sql_memo.INLINE)
    counts = dict(zip(COUNTED, found[0], strict=True)) if found else dict.fromkeys(COUNTED, 0)
    return {key: counts.get(key) for key in TABS}


@dataclass(frozen=True, slots=True)
class Row:
    """One request as a list shows it (read as plain values: a page of model instances, each
    with its state machine set up, cost more than the rest of the page's Python)."""
    pk: int
    reference: str
    requester_name: str
    requester_organisation: str
    subject_names: str
    type_label: str
    state: str
    state_label: str
    due_date: date | None
    received_at: datetime
    is_open: bool


ROW_FIELDS = ("pk", "reference", "requester_name", "requester_organisation",
              "subject_names", "request_type", "state", "due_date", "received_at")
_TYPE_LABELS = dict(RequestType.choices)
_STATE_LABELS = dict(RequestState.choices)


def as_rows(values: list[tuple]) -> list[Row]:
    """Rows read with ROW_FIELDS (`with_subject_names(...).values_list(*ROW_FIELDS)`)."""
    return [Row(pk, reference, name or "", organisation or "", names or "",
                _TYPE_LABELS.get(rtype, rtype), state, _STATE_LABELS.get(state, state),
                due, received, state in OPEN_STATES)
            for pk, reference, name, organisation, names, rtype, state, due, received
            in values]


def page_of_rows(user, tab: str, *, state: str = "", rtype: str = "", sort: str = "due",
                 today: date | None = None, start: int = 0, stop: int = 25) -> list[Row]:
    """Rows start..stop of a tab with the page's filters and sort, for the home page."""
    today = today or timezone.localdate()

    def build():
        work = (access.counted_open_work(user)
                if tab in COUNTED and sort == "due" and not (state or rtype) else None)
        if work is None:
            rows = tab_rows(user, tab, state=state, rtype=rtype, sort=sort, today=today)
            return with_subject_names(rows).values_list(*ROW_FIELDS)[start:stop]
        # The page's requests picked from the person's OpenWork rows, in due-date order from
        # its index, stopping after the page (ADR 0038), then read by their ids, each still
        # one the person may see (access.py: guardian's grants, probed for these few).
        # Reading the tab from the requests hashed all of a CSM's open grants first (~2.5 ms
        # at a million requests). The ids are read first (`among_first`): with `IN (…)`, or
        # with the tab's condition repeated on the requests, PostgreSQL read the council's
        # open requests due this week, probing each one's grants (1.3–5 ms).
        page = (work.filter(_work_conditions(today)[tab]).order_by("due_date", "request_id")
                .values("request_id")[start:stop])
        rows = (access.visible_requests(user).filter(among_first("pk", page))
                .order_by("due_date", "pk"))
        return with_subject_names(rows).values_list(*ROW_FIELDS)

    key = ("page_of_rows", sql_memo.person_key(user), today, tab, state, rtype, sort, start,
           stop)
    return as_rows(sql_memo.rows(key, build, prepare=sql_memo.INLINE))


def rows_in_order(ids) -> list[Row]:
    """The requests with these ids, in this order (a page of search results, already checked
    against what the person may see: `search.request_matches`)."""
    ids = list(ids)
    if not ids:
        return []
    # Its SQL compiled once (sql_memo): the ids go in as one array parameter (`among`).
    found = {row.pk: row for row in as_rows(sql_memo.rows(
        "queues.rows_in_order", lambda ids: with_subject_names(
            InformationRequest.objects.filter(among("pk", ids))).values_list(*ROW_FIELDS),
        ids, prepare=True))}  # rows by their ids: one plan fits all (ADR 0031)
    return [found[pk] for pk in ids if pk in found]


def with_subject_names(rows: QuerySet[InformationRequest]) -> QuerySet[InformationRequest]:
    """Each row with who it is about (`subject_names`: "Lily Kendrick, Sam Kendrick") and who
    asked (`requester_name`, `requester_organisation`), read in the same query as subqueries
    per listed row: PostgreSQL works them out after the sort and LIMIT, for the page's rows
    only. A join to the requester was made for every row of the tab before sorting (a CSM's
    "For my decision" at a million requests: 627 rows joined for 26 shown, ~1 ms)."""
    # SQLite (the demo) cannot order inside an aggregate; its order there is the rows'.
    ordered = ({"order_by": "case_record_id"} if connections[rows.db].vendor == "postgresql"
               else {})
    names = (RequestSubject.objects.filter(request=OuterRef("pk")).values("request")
             .annotate(names=StringAgg(Concat("case_record__first_name", Value(" "),
                                              "case_record__last_name"), Value(", "),
                                       **ordered))
             .values("names"))
    requester = Requester.objects.filter(pk=OuterRef("requester_id")).order_by()
    return rows.annotate(subject_names=Subquery(names),
                         requester_name=Subquery(requester.values("name")),
                         requester_organisation=Subquery(requester.values("organisation")))
