"""Logging a request and triaging it (ALL-1, NOTTS-0.x, NOTTS-1)."""

from __future__ import annotations

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from policies.base import Action, Referral, Refusal, Route
from requests_app import access
from requests_app.models import CaseNote, InformationRequest, Requester, Team, User
from requests_app.policy_adapter import policy_for
from requests_app.services import notify
from requests_app.services.base import ActionRefused, complete, lock, take
from requests_app.services.deadlines import refresh_due_date
from requests_app.services.history import add_note, audit
from requests_app.services.references import next_reference


def log_request(user, *, requester, subjects, http_request=None, **facts) -> InformationRequest:
    """Record who asked, what, when, how, about whom and on what basis (ALL-1)."""
    if not access.may_log_requests(user):
        if not getattr(user, "council_id", None):
            raise ActionRefused(["Only council staff log requests."])
        from policies.base import RequestSnapshot
        from policies.registry import get_policy

        who = get_policy(user.council.slug).who_may(Action.TRIAGE,
                                                    RequestSnapshot(user.council.slug))
        raise ActionRefused([f"{who.rule_ids[0]}: {who.explanation}"])
    if not subjects:
        raise ActionRefused(["Select the child or young person the request is about — ALL-1."])
    facts = only_what_is_asked(user.council, requester, facts)
    with transaction.atomic():
        if isinstance(requester, dict):
            requester = Requester.objects.create(council=user.council, **requester)
        received_at = received(facts.pop("received_at", None))
        team = facts.get("received_by_team")
        if team is not None and team.council_id != user.council_id:
            raise ActionRefused(["Select a team of this council."])
        reference, sequence = next_reference(user.council, received_at.year)
        identity_checked = facts.pop("identity_verified", False)
        request = InformationRequest(
            council=user.council, reference=reference, year=received_at.year,
            sequence=sequence, received_at=received_at, requester=requester,
            created_by=user, **facts,
        )
        if identity_checked:
            request.identity_verified_at = timezone.now()
            request.identity_verified_by = user
        request.save()
        request.subjects.set(subjects)
        complete(request, Action.TRIAGE)
        refresh_due_date(request)
        request.save()
        add_note(
            request, user,
            f"Request received by {request.get_channel_display().lower()} from "
            f"{requester.name} ({requester.organisation or requester.get_agency_type_display()}):"
            f" {request.information_sought}",
            kind=CaseNote.Kind.TRIAGE, rule_ids=["ALL-1"],
        )
        audit(user, "request.logged", request, request=request, to_state=request.state,
              http_request=http_request)
    return request


def only_what_is_asked(council, requester, facts: dict) -> dict:
    """The answers to the questions the council's policy asks for this type of request from
    this kind of requester (``intake_facts``); an answer to any other question (one left from
    before the type was changed) is not recorded, so it never reaches a gate."""
    from policies.catalogue import IntakeFact
    from policies.registry import get_policy

    agency = (requester.get("agency_type", "") if isinstance(requester, dict)
              else getattr(requester, "agency_type", ""))
    asked = {a.code for a in get_policy(council.slug).intake_facts(
        facts.get("request_type", ""), agency)}
    return {key: value for key, value in facts.items()
            if key not in frozenset(IntakeFact) or key in asked}


def received(value) -> datetime:
    """When the request was received: deadlines run from it. A date alone is taken as that
    day at the time it is logged (today) or at noon (an earlier day); never in the future."""
    now = timezone.now()
    if value is None:
        return now
    if not isinstance(value, datetime):
        if value == timezone.localdate():
            return now
        value = timezone.make_aware(datetime.combine(value, time(12, 0)))
    if value > now:
        raise ActionRefused(["The date the request was received must be today or in the "
                             "past"])
    return value


def routing_for(request: InformationRequest):
    return policy_for(request).route(access.snapshot_for(request))


def _next_state(request: InformationRequest, after: str) -> str:
    from requests_app.workflow import RequestState

    steps = [s.code for s in policy_for(request).steps(access.snapshot_for(request))]
    remaining = steps[steps.index(after) + 1:] if after in steps else steps
    for step in remaining:
        if step == Action.CSM_DECISION:
            return RequestState.AWAITING_DECISION
        if step == Action.ALLOCATE:
            return RequestState.AWAITING_ALLOCATION
    return RequestState.WITH_WORKER


def _holder(decision) -> User | Team | None:
    """The person the rules name, else their team."""
    if decision.person is not None:
        return User.objects.filter(pk=decision.person.id).first()
    if decision.team is not None:
        return Team.objects.filter(pk=decision.team.id).first()
    return None


def triage(request: InformationRequest, user, *, http_request=None) -> InformationRequest:
    """Apply the council's routing: forward, refer out, or refuse — with the reason on record."""
    with transaction.atomic():
        request = lock(request)
        decision = routing_for(request)
        rules = list(decision.rule_ids)
        # NOTTS-1: the triage officer's case note comes before the request is forwarded.
        add_note(request, user, f"Triage: {decision.explanation}", kind=CaseNote.Kind.ROUTING,
                 rule_ids=rules)
        complete(request, Action.TRIAGE_CASE_NOTE)
        request.route_explanation = decision.explanation
        request.route_rule_ids = rules
        if isinstance(decision, Route):
            holder = _holder(decision)
            request.routed_to = holder if isinstance(holder, User) else None
            if decision.role == "social_worker" and isinstance(holder, User):
                request.allocated_worker = holder  # the case's own worker has it
            request.routed_team = (
                Team.objects.filter(pk=decision.team.id).first() if decision.team else None
            )
            next_state = _next_state(request, Action.FORWARD)
            complete(request, Action.FORWARD)
            take(request, user, "route", next_state, http_request=http_request,
                 detail={"rule_ids": rules})
            _grant_holder(request, holder)
            for colleague in _colleagues(request, decision):
                access.grant(request, colleague)
            if decision.tell_requester:
                add_note(request, user, f"Requester told: {decision.tell_requester}",
                         kind=CaseNote.Kind.ROUTING, rule_ids=rules)
            notify.request_reached(request, _people(holder), decision.explanation)
        elif isinstance(decision, Referral):
            team = (Team.objects.filter(pk=decision.team.id, council=request.council).first()
                    if decision.team else None)
            request.referred_team = team if team and team.group_id else None
            request.requester_told = decision.tell_requester or "Told of the referral."
            if team is not None:
                request.routed_team = team
            take(request, user, "refer_out", request.referred_team is not None,
                 http_request=http_request,
                 detail={"target": decision.target, "rule_ids": rules})
            where = (f" It waits with {team.name}." if request.referred_team
                     else " It leaves this council's records, so the request is closed.")
            add_note(request, user,
                     f"Referred: {decision.explanation}{where} Requester told: "
                     f"{request.requester_told}", kind=CaseNote.Kind.REFERRAL, rule_ids=rules)
            if request.referred_team is not None:
                access.grant(request, team.group)
                notify.request_reached(request, team.members.all(),
                                       f"A request was referred to {team.name}.")
            else:
                request.closed_at = timezone.now()
                request.save(update_fields=["closed_at", "updated_at"])
        elif isinstance(decision, Refusal):
            take(request, user, "refuse_at_triage", http_request=http_request,
                 detail={"rule_ids": rules})
            add_note(request, user,
                     f"Refused at triage: {decision.explanation} Requester told: "
                     f"{decision.tell_requester}", kind=CaseNote.Kind.DECISION, rule_ids=rules)
        return request


def _colleagues(request, decision) -> list[User]:
    """Who works on the request beside the person the rules name.

    - The supervisor of a routed worker: the practitioner decides with their manager (DEVON-0)
      and the allocated worker *or their supervisor* discloses (CAMDEN-5).
    - For a police request routed to IG first (DEVON-6), the practitioner who holds the case,
      who decides what is relevant while only IG shares with the police.
    """
    people = []
    if decision.role == "social_worker" and request.routed_team and request.routed_team.manager:
        people.append(request.routed_team.manager)
    if decision.role == "ig_officer":
        case = request.subjects.select_related("allocated_worker", "last_team__manager").first()
        if case and case.is_open and case.allocated_worker:
            people.append(case.allocated_worker)
        elif case and case.last_team and case.last_team.manager:
            people.append(case.last_team.manager)
    return [p for p in people if p != request.routed_to]


def _grant_holder(request, holder) -> None:
    if isinstance(holder, User):
        access.grant(request, holder)
    elif isinstance(holder, Team) and holder.group_id:
        access.grant(request, holder.group)


def _people(holder) -> list[User]:
    if isinstance(holder, User):
        return [holder]
    if isinstance(holder, Team):
        return list(holder.members.all())
    return []
