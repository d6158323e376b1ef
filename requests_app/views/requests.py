"""The request page: summary, route and why, timeline, documents, decisions, actions.

Bounded queries whatever the request's history (issue 12): each relation is loaded once, here,
and the policy snapshot, the workflow's conditions and the template all read those rows; the
access answer is computed once (access.holds caches it on the request); the timeline is paged.
"""

from typing import NamedTuple

from django.db.models import BooleanField, Count, Q
from django.db.models.expressions import RawSQL
from django.shortcuts import render
from django.utils import dateformat, timezone

from requests_app import access, audit_reads, sql_memo
from requests_app.forms.actions import NoteForm
from requests_app.lookups import among
from requests_app.models import (
    CaseRecord,
    ClockPause,
    DisclosureDecision,
    Document,
    HardCopyRequest,
    InformationRequest,
    Letter,
    Pack,
    ParentalResponsibility,
    RecordsRetrieval,
    RequestAmendment,
    RequestSubject,
    SensitiveDetail,
)
from requests_app.policy_adapter import latest_pack, policy_for
from requests_app.views.actions import offered_actions
from requests_app.views.corrections import correction_offer
from requests_app.views.request_status import status

EVENTS_PER_PAGE = 25


_REQUEST_ID = f'"{InformationRequest._meta.db_table}"."{InformationRequest._meta.pk.column}"'


def _has_rows(model) -> str:
    """SQL: whether the request has any rows of `model` (by its `request` foreign key)."""
    table, column = model._meta.db_table, model._meta.get_field("request").column
    return f'EXISTS (SELECT 1 FROM "{table}" WHERE "{table}"."{column}" = {_REQUEST_ID})'


def _subjects_have_rows(model) -> str:
    """SQL: whether any of the request's subjects has rows of `model` (by `case_record`)."""
    table, column = model._meta.db_table, model._meta.get_field("case_record").column
    link = RequestSubject._meta.db_table
    return (f'EXISTS (SELECT 1 FROM "{table}" JOIN "{link}" ON "{link}"."case_record_id" = '
            f'"{table}"."{column}" WHERE "{link}"."request_id" = {_REQUEST_ID})')


# Whether each relation has any rows, read with the request itself: an empty relation (most
# are, for most requests) then costs no query at all. Written as SQL over the request's own
# row, not as Exists(Model.objects.filter(request=OuterRef("pk"))): the ORM spends ~1,200
# Python calls resolving and compiling each such subquery, the whole of a DB-light page's
# budget for ten of them (issue 12; ADR 0028). The request's table is the query's own (no
# alias) because these are only ever annotations on the request page's one query.
HAS = {
    "decisions": _has_rows(DisclosureDecision),
    "hard_copy_requests": _has_rows(HardCopyRequest),
    "pauses": _has_rows(ClockPause),
    "retrievals": _has_rows(RecordsRetrieval),
    "packs": _has_rows(Pack),
    "amendments": _has_rows(RequestAmendment),
    "documents": _has_rows(Document),
    "sensitive_details": _subjects_have_rows(SensitiveDetail),
    "parental_responsibility": _subjects_have_rows(ParentalResponsibility),
    "letters": _has_rows(Letter),
}


def _flag(sql: str) -> RawSQL:
    return RawSQL(sql, (), output_field=BooleanField())


def _known(instance, name: str, rows=()) -> None:
    """Record a relation as loaded with these rows, as prefetch_related would have."""
    loaded = getattr(instance, name).all()
    loaded._result_cache, loaded._prefetch_done = list(rows), True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = loaded


def _related_rows(obj, name: str, key, shape) -> list:
    """The rows of ``obj``'s relation ``name`` as ``shape`` (a queryset of that relation's
    rows → what to read) gives them, each linked back to ``obj``. The SQL is compiled once
    per ``key`` (sql_memo): the page reads the same few queries for every request, and
    compiling them was a fifth of its Python calls."""
    field = obj._meta.get_field(name).field  # the row's foreign key to the request
    rows = sql_memo.instances(key, lambda pk: shape(
        field.model.objects.filter(**{field.attname: pk})), obj.pk, prepare=True)
    for row in rows:
        field.set_cached_value(row, obj)
    return rows


# The relations read for the page, when the request has rows of them.
RELATIONS = {
    "decisions": lambda rows: rows.select_related("decided_by"),
    "hard_copy_requests": lambda rows: rows.select_related("approver", "sent_by", "decision"),
    "pauses": lambda rows: rows,
    "retrievals": lambda rows: rows.select_related(
        "requested_by", "retrieved_by", "returned_by"),
    "packs": lambda rows: rows,
    "amendments": lambda rows: rows.select_related("amended_by"),
    "documents": lambda rows: rows.select_related("uploaded_by").annotate(
        active_redactions=Count("redactions", filter=Q(redactions__undone_at__isnull=True))),
}
NESTED = ("sensitive_details", "parental_responsibility")


def load_related(obj) -> None:
    """Everything the page and the council's snapshot read: one query per non-empty
    relation, none for an empty one."""
    for name, shape in RELATIONS.items():
        rows = (_related_rows(obj, name, ("request_page.related", name), shape)
                if getattr(obj, f"has_{name}") else [])
        _known(obj, name, rows)
    # The subjects by a plain query, in primary-key order sorted here: ordering in SQL made
    # the ORM hash every selected column (~1,800 Python calls for this query alone).
    nested = [name for name in NESTED if getattr(obj, f"has_{name}")]
    subjects = sorted(sql_memo.instances(
        "request_page.subjects", lambda pk: CaseRecord.objects.filter(
            requestsubject__request_id=pk).select_related(
            "allocated_worker", "allocated_team", "last_team").order_by(), obj.pk, prepare=True),
        key=lambda case: case.pk)
    _known(obj, "subjects", subjects)
    by_case = {case.pk: case for case in subjects}
    for name in NESTED:
        found: dict[int, list] = {pk: [] for pk in by_case}
        if name in nested:  # as prefetch_related would read them, through a kept statement
            field = CaseRecord._meta.get_field(name).field  # the rows' key to the case
            for row in sql_memo.instances(
                    ("request_page.nested", name), lambda ids, model=field.model: model.objects
                    .filter(among("case_record", ids)), list(by_case), prepare=True):
                field.set_cached_value(row, by_case[row.case_record_id])
                found[row.case_record_id].append(row)
        for pk, rows in found.items():
            _known(by_case[pk], name, rows)


def timeline(obj, page: int = 1, subjects: int = 1):
    """One page of case notes and state changes, newest first, for the MOJ timeline, and
    whether older ones exist. One note per subject is written for each event: show it once.
    A letter to the requester is filed with its case note: the timeline links to it."""
    per_page = EVENTS_PER_PAGE * max(1, subjects)
    start = (page - 1) * per_page
    notes = _related_rows(  # LIMIT and OFFSET are written into the SQL: in the key
        obj, "case_notes", ("request_page.timeline", start, per_page),
        lambda rows: rows.select_related("author").order_by("-created_at", "-id")
        [start:start + per_page + 1])
    letters = {}
    if obj.has_letters:
        letters = {_event_key(letter.note): letter
                   for letter in obj.letters.select_related("note") if letter.note}
    seen, events = set(), []
    for note in notes[:per_page]:
        key = _event_key(note)
        if key in seen:
            continue
        seen.add(key)
        note.letter = letters.get(key)
        note.stamp = _stamp(note.created_at)
        events.append(note)
    return events, len(notes) > per_page


class Stamp(NamedTuple):
    iso: str  # as the date filter's "c"
    long: str  # "j F Y \a\t H:i"
    short: str  # "j F Y H:i"


def _stamp(moment) -> Stamp:
    """When a note was written, in the three forms the timeline shows, formatted once: three
    date filters per entry were a third of the cost of rendering the timeline."""
    local = timezone.localtime(moment)
    day, clock = dateformat.format(local, "j F Y"), f"{local:%H:%M}"
    return Stamp(local.isoformat(), f"{day} at {clock}", f"{day} {clock}")


def _event_key(note):
    return (note.created_at.replace(microsecond=0), note.text)


def _history_page(raw) -> int:
    try:
        return max(1, min(int(raw), 10_000))
    except (TypeError, ValueError):
        return 1


def request_detail(request, reference: str):
    obj = access.get_request_for_user(
        request.user, reference, **{f"has_{name}": _flag(sql) for name, sql in HAS.items()},
        may_act_now=access.may_act_now_flag(request.user))
    access.read_with_request(request.user, obj, obj.may_act_now)
    audit_reads.shown(request, obj)
    load_related(obj)
    snapshot = access.snapshot_for(obj)
    policy = policy_for(obj)
    today = timezone.localdate()
    steps = policy.steps(snapshot)
    done_steps = policy.done_steps(snapshot)
    subjects = list(obj.subjects.all())
    history_page = _history_page(request.GET.get("history"))
    events, older = timeline(obj, history_page, len(subjects))
    holds = access.holds(request.user, obj)
    # The main next job first: a button group is read, and tabbed through, left to right
    # (WCAG 2.4.3); otherwise the workflow's order is kept.
    actions = sorted(offered_actions(obj, request.user), key=lambda a: not a.primary)
    can_prepare_pack = not access.pack_problems(request.user, obj)
    return render(request, "requests/detail.html", {
        "obj": obj,
        "subjects": subjects,
        "alerts": policy.alerts(snapshot),
        "steps": steps,
        "done_steps": done_steps,
        # Who has it, what happens next, the clock and the dates to show (presentation).
        "status": status(obj, policy, snapshot, steps, done_steps, today),
        "timeline": events,
        "history_page": history_page,
        "older_history": older,
        "decisions": obj.decisions.all(),
        "documents": obj.documents.all(),
        "can_work_on_documents": not access.document_problems(request.user, obj),
        "can_prepare_pack": can_prepare_pack,
        "current_pack": latest_pack(obj),
        "hard_copy_requests": obj.hard_copy_requests.all(),
        "retrievals": obj.retrievals.all(),
        "actions": actions,
        # Business support's pack is their main job when the policy offers them no other.
        "pack_is_main_job": can_prepare_pack and not any(a.enabled and a.primary
                                                         for a in actions),
        "correction": correction_offer(request.user, obj),
        "amendments": obj.amendments.all(),
        "can_triage": obj.state == "received" and access.may_log_requests(request.user)
        and holds,
        "can_note": holds or obj.created_by_id == request.user.pk,
        "note_form": NoteForm(),
        "redactions": policy.redactions(snapshot),
        "letters": (policy.letters(snapshot, today)
                    if access.may_write_letters(request.user, obj) else ()),
    })
