"""The six reports. Each asks the database for grouped counts (a handful of queries whatever
the number of requests) and turns the groups into labelled rows.

"Team" is the team a request is with now (`routed_team`: where the council's policy routed
it, or where a manager or a referral sent it). Dates are the day a request was received.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from functools import lru_cache

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from policies.catalogue import Transition
from policies.deadlines import working_days_between
from requests_app.models import (
    AgencyType,
    AuditEvent,
    DisclosureDecision,
    HardCopyRequest,
    Pack,
    RequestType,
    User,
)
from requests_app.reports import Filters, Listing, Report, ReportSpec, Table
from requests_app.workflow import OPEN_STATES, RequestState

AWAITING_TRIAGE = "Awaiting triage"
NO_TEAM = "No team (refused at triage or referred outside the council)"


def _by_count(rows):
    return sorted(rows, key=lambda row: (-row[1], str(row[0])))


def _team_label(name, exists) -> str:
    return name if exists else f"{name} (no longer exists)"


def _team_rows(found, *measures: str) -> list[tuple]:
    """Rows per team from groups of (team, whether awaiting triage): requests with no team
    yet are awaiting triage; with none after triage they were refused or referred out."""
    rows: dict[str, list] = {}
    for group in found:
        if group["routed_team_id"] is not None:
            label = _team_label(group["routed_team__name"], group["routed_team__exists"])
        else:
            label = AWAITING_TRIAGE if group["untriaged"] else NO_TEAM
        row = rows.setdefault(label, [0] * len(measures))
        for i, measure in enumerate(measures):
            row[i] += group[measure]
    return _by_count([(label, *values) for label, values in rows.items()])


def _untriaged():
    return ExpressionWrapper(Q(state=RequestState.RECEIVED), output_field=BooleanField())


# ---- 1. requests received by type, agency and route ------------------------------------------


def received(f: Filters) -> Report:
    requests = f.requests()
    types = dict(RequestType.choices)
    agencies = dict(AgencyType.choices)
    by_type = requests.values("request_type").annotate(n=Count("pk")).order_by()
    by_agency = requests.values("requester__agency_type").annotate(n=Count("pk")).order_by()
    by_route = (requests.annotate(untriaged=_untriaged())
                .values("routed_team_id", "routed_team__name", "routed_team__exists",
                        "untriaged").annotate(n=Count("pk")).order_by())
    return Report("received", "Requests received", (
        "Requests received in the period, by type of request, by the kind of agency asking "
        "and by the team each is with now (where the council's routing sent it)."), [
        Table("type", "By type of request", ("Type of request", "Requests"),
              _by_count((types.get(g["request_type"], g["request_type"]), g["n"])
                        for g in by_type)),
        Table("agency", "By agency", ("Agency", "Requests"),
              _by_count((agencies.get(g["requester__agency_type"], g["requester__agency_type"]),
                         g["n"]) for g in by_agency)),
        Table("route", "By route (team the request is with)", ("Team", "Requests"),
              _team_rows(by_route, "n")),
    ])


# ---- 2. on time or late ----------------------------------------------------------------------

BANDS = ((5, "Up to 5 working days late"), (10, "6 to 10 working days late"),
         (20, "11 to 20 working days late"), (None, "More than 20 working days late"))


@lru_cache(maxsize=65536)
def working_days_late(due: date, closed: date) -> int:
    """Working days after the due date up to and including the day it was closed."""
    return working_days_between(due + timedelta(days=1), closed + timedelta(days=1))


def _band(days: int) -> str:
    for limit, label in BANDS:
        if limit is None or days <= limit:
            return label
    raise AssertionError("unreachable")


def timeliness(f: Filters) -> Report:
    closed = (f.requests().filter(closed_at__isnull=False)
              .exclude(state=RequestState.WITHDRAWN)
              .annotate(closed_on=TruncDate("closed_at")))
    on_time = Q(due_date__isnull=False, closed_on__lte=F("due_date"))
    late = Q(due_date__isnull=False, closed_on__gt=F("due_date"))
    types = dict(RequestType.choices)
    rows = []
    for g in (closed.values("request_type")
              .annotate(on_time=Count("pk", filter=on_time), late=Count("pk", filter=late),
                        undated=Count("pk", filter=Q(due_date__isnull=True))).order_by()):
        counted = g["on_time"] + g["late"]
        rows.append((types.get(g["request_type"], g["request_type"]), g["on_time"], g["late"],
                     g["undated"], round(100 * g["on_time"] / counted) if counted else "–"))
    rows.sort(key=lambda row: (-(row[1] + row[2]), row[0]))
    # How late: the database groups the late requests by (due date, day closed), a few
    # hundred pairs at most whatever the number of requests; the working days between each
    # pair are counted here, with England's bank holidays (policies.deadlines).
    bands: Counter[str] = Counter()
    for g in (closed.filter(late).values("due_date", "closed_on").annotate(n=Count("pk"))
              .order_by()):
        bands[_band(working_days_late(g["due_date"], g["closed_on"]))] += g["n"]
    return Report("timeliness", "On time or late", (
        "Requests received in the period and closed, by whether they were closed by their due "
        "date. Due dates are the council's deadlines in working days (weekends and England's "
        "bank holidays skipped, pauses and extensions counted). Withdrawn requests are left "
        "out; open requests are in the report of open and overdue work."), [
        Table("by_type", "Closed on time or late, by type of request",
              ("Type of request", "On time", "Late", "No due date", "% on time"), rows,
              charted=(1, 2), stacked=True),
        Table("how_late", "How late (working days after the due date)",
              ("Lateness", "Requests"), [(label, bands[label]) for _, label in BANDS]),
    ])


# ---- 3. open and overdue now -----------------------------------------------------------------


def open_now(f: Filters) -> Report:
    today = timezone.localdate()
    open_requests = f.requests().filter(state__in=OPEN_STATES)
    overdue = Q(due_date__lt=today)
    by_team = (open_requests.annotate(untriaged=_untriaged())
               .values("routed_team_id", "routed_team__name", "routed_team__exists",
                       "untriaged")
               .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue)).order_by())
    # The person it is with: the allocated worker, else the person the policy routed it to.
    by_person = list(open_requests.values(person=Coalesce("allocated_worker", "routed_to"))
                     .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue))
                     .order_by())
    names = {u.pk: u.get_full_name() or u.username for u in User.objects.filter(
        pk__in=[g["person"] for g in by_person if g["person"]], council_id=f.council_id)}
    people = _by_count(
        (names.get(g["person"], "No named person (with a team or awaiting triage)"),
         g["open"], g["overdue"]) for g in by_person)
    return Report("open-now", "Open and overdue now", (
        f"Requests received in the period that are open today ({today.day} {today:%B %Y}), and how "
        "many of them are past their due date, by the team and the person each is with now "
        "(the allocated worker, or else the person the request was routed to)."), [
        Table("team", "Open and overdue, by team", ("Team", "Open", "Overdue"),
              _team_rows(by_team, "open", "overdue"), charted=(1, 2)),
        Table("person", "Open and overdue, by person", ("Person", "Open", "Overdue"), people,
              charted=(1, 2)),
    ])


# ---- 4. time in each step --------------------------------------------------------------------

_ELAPSED = {
    "postgresql": "EXTRACT(EPOCH FROM (at - entered))",
    "sqlite": "(julianday(at) - julianday(entered)) * 86400.0",
}


def _step_times(f: Filters) -> list[tuple[str, int, float, float]]:
    """(step, times left, average seconds, longest seconds), from the audit trail.

    Every change of state is an audit event with ``from_state`` and ``to_state`` (written by
    `services.base.take`, and `request.logged` for the first). The time in a step is from the
    event that entered it to the next change of state of the same request (a window over the
    request's changes, read through the partial index `audit_state_changes`); a step not yet
    left is not counted. Actions that keep the state (a pause, a note) do not split a step.
    """
    requests_sql, params = f.requests().values("pk").query.sql_with_params()
    table = AuditEvent._meta.db_table
    elapsed = _ELAPSED[connection.vendor]
    sql = f"""
        WITH changes AS (
            SELECT from_state, at,
                   LAG(at) OVER (PARTITION BY request_id ORDER BY at, id) AS entered
            FROM {table}
            WHERE to_state <> '' AND from_state <> to_state
              AND request_id IN ({requests_sql})
        )
        SELECT from_state, COUNT(*), AVG({elapsed}), MAX({elapsed})
        FROM changes
        WHERE entered IS NOT NULL AND from_state <> ''
        GROUP BY from_state
    """  # noqa: S608 (table name from the model; the values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(state, n, float(avg or 0), float(longest or 0))
                for state, n, avg, longest in cursor.fetchall()]


def time_in_step(f: Filters) -> Report:
    day = 86400.0
    found = {state: (n, avg, longest) for state, n, avg, longest in _step_times(f)}
    rows = [(label, found[value][0], round(found[value][1] / day, 1),
             round(found[value][2] / day, 1))
            for value, label in RequestState.choices if value in found]
    return Report("time-in-step", "Time in each step", (
        "How long requests received in the period spent in each step before moving on, in "
        "calendar days (including weekends and bank holidays), from the audit trail of every "
        "change of state. A step a request is still in is not counted."), [
        Table("steps", "Time in each step (calendar days)",
              ("Step", "Times completed", "Average days", "Longest days"), rows,
              charted=(2,), unit="days"),
    ])


# ---- 5. refusals and referrals ---------------------------------------------------------------

REFUSED_AT_TRIAGE = f"request.{Transition.REFUSE_AT_TRIAGE}"
REFERRED = f"request.{Transition.REFER_OUT}"
COPIES_REFUSED = f"request.{Transition.REFUSE_HARD_COPIES}"
NOT_SHARED = (f"request.{Transition.REFUSE}", f"request.{Transition.DECLINE}")
OUTCOMES = {
    REFUSED_AT_TRIAGE: "Refused at triage",
    NOT_SHARED[0]: "Decision not to share",
    NOT_SHARED[1]: "Decision not to share",
    COPIES_REFUSED: "Hard copies refused",
}


def _outcome(action: str, referred_team: str | None) -> str:
    if action == REFERRED:
        return (f"Referred to {referred_team}" if referred_team
                else "Referred outside the council")
    return OUTCOMES[action]


def _refusal_events(f: Filters):
    from django.db.models import OuterRef, Subquery

    def decided(about):
        return DisclosureDecision.objects.filter(
            request=OuterRef("request_id"), about=about,
            outcome=DisclosureDecision.Outcome.REFUSED).order_by("-decided_at", "-pk")

    return (AuditEvent.objects.filter(
        council_id=f.council_id, action__in=[REFUSED_AT_TRIAGE, REFERRED, COPIES_REFUSED,
                                             *NOT_SHARED],
        **f.prefix("request")).exclude(to_state="")
        .annotate(
            sharing_reasons=Subquery(decided(DisclosureDecision.Subject.SHARING)
                                     .values("reasons")[:1]),
            copies_reasons=Subquery(decided(DisclosureDecision.Subject.HARD_COPIES)
                                    .values("reasons")[:1]))
        .values("at", "action", "detail", "sharing_reasons", "copies_reasons",
                "request__reference", "request__received_at", "request__route_explanation",
                "request__route_rule_ids", "request__referred_team__name")
        .order_by("-at", "-pk"))


def _refusal_row(e) -> tuple:
    if e["action"] in NOT_SHARED:
        reasons = e["sharing_reasons"] or ""
    elif e["action"] == COPIES_REFUSED:
        reasons = e["copies_reasons"] or ""
    else:
        reasons = e["request__route_explanation"]
    rules = (e["detail"] or {}).get("rule_ids") or e["request__route_rule_ids"] or []
    return (e["request__reference"], timezone.localtime(e["request__received_at"]).date(),
            timezone.localtime(e["at"]).date(),
            _outcome(e["action"], e["request__referred_team__name"]), reasons,
            ", ".join(rules))


def refusals(f: Filters) -> Report:
    counts: Counter[str] = Counter()
    for g in (AuditEvent.objects.filter(
            council_id=f.council_id,
            action__in=[REFUSED_AT_TRIAGE, REFERRED, COPIES_REFUSED, *NOT_SHARED],
            **f.prefix("request")).exclude(to_state="")
            .values("action", "request__referred_team__name").annotate(n=Count("pk"))
            .order_by()):
        counts[_outcome(g["action"], g["request__referred_team__name"])] += g["n"]
    return Report("refusals", "Refusals and referrals", (
        "Requests received in the period that were refused (at triage, by a decision not to "
        "share, or hard copies refused) or referred elsewhere, with the reasons recorded: the "
        "council's routing rules for triage, the decision maker's own words for decisions."), [
        Table("outcomes", "Refusals and referrals, by outcome", ("Outcome", "Number"),
              _by_count(counts.items())),
    ], listing=Listing(
        "Each refusal and referral, newest first",
        ("Reference", "Received", "Refused or referred", "Outcome", "Reasons", "Rules cited"),
        _refusal_events(f), _refusal_row))


# ---- 6. packs sent by method -----------------------------------------------------------------


def packs_sent(f: Filters) -> Report:
    packs = Counter({g["method"]: g["n"] for g in Pack.objects.filter(
        status=Pack.Status.SENT, **f.prefix("request")).values("method")
        .annotate(n=Count("pk")).order_by()})
    copies = Counter({g["method"]: g["n"] for g in HardCopyRequest.objects.filter(
        sent_at__isnull=False, **f.prefix("request")).values("method")
        .annotate(n=Count("pk")).order_by()})
    labels = {**dict(HardCopyRequest.Method.choices), **dict(Pack.Method.choices)}
    rows = [(labels.get(method, method or "Not recorded"), packs[method], copies[method],
             packs[method] + copies[method]) for method in set(packs) | set(copies)]
    return Report("packs", "Packs sent by method", (
        "Disclosure packs and hard copies sent for requests received in the period, by how "
        "they were sent."), [
        Table("methods", "Sent, by method", ("Method", "Disclosure packs", "Hard copies",
                                             "Total"),
              sorted(rows, key=lambda row: (-row[3], row[0])), charted=(1, 2), stacked=True),
    ])


REPORTS = (
    ReportSpec("received", "Requests received",
               "By type of request, agency and route (the team each request is with).",
               received),
    ReportSpec("timeliness", "On time or late",
               "Closed requests by whether they met their due date, and how late in working "
               "days.", timeliness),
    ReportSpec("open-now", "Open and overdue now",
               "Open requests and those past their due date, by team and person.", open_now),
    ReportSpec("time-in-step", "Time in each step",
               "Average and longest time spent in each step, in calendar days.", time_in_step),
    ReportSpec("refusals", "Refusals and referrals",
               "Refusals and referrals by outcome, each with the reasons recorded.", refusals),
    ReportSpec("packs", "Packs sent by method",
               "Disclosure packs and hard copies sent, by method.", packs_sent),
)
