"""Routing every council shares: subject access (ALL-4), the police-run Child Sex Offender
Disclosure Scheme, and sending a request to the child's practitioner. Split from
``policies/common.py``; the councils import these names from there."""

from __future__ import annotations

from policies.base import (
    AgencyType,
    CaseSnapshot,
    PersonRef,
    Referral,
    RequestSnapshot,
    RequestType,
    Role,
    Route,
    TeamKind,
)
from policies.rules import enforces


def case_or_none(request: RequestSnapshot) -> CaseSnapshot | None:
    return request.subjects[0] if request.subjects else None


# ------------------------------------------------------------------ ALL-4: subject access


@enforces("ALL-4")
def is_subject_access(request: RequestSnapshot) -> bool:
    """ALL-4: a person's own records (or a parent/solicitor on their behalf) is a SAR."""
    if request.request_type == RequestType.SUBJECT_ACCESS:
        return True
    return request.on_behalf_of_subject or (
        request.requester.agency_type == AgencyType.SUBJECT
        and request.request_type == RequestType.INFORMATION
    )


@enforces("ALL-4")
def refer_subject_access(
    request: RequestSnapshot, team_name: str, contact: str, extra_ids: tuple[str, ...] = ()
) -> Referral:
    """ALL-4: send a SAR to the council's SAR team, outside this workflow's disclosure steps."""
    team = request.directory.find_any(TeamKind.SAR) or request.directory.find_any(
        TeamKind.ACCESS_TO_INFORMATION
    )
    person = team.manager if team else None
    return Referral(
        target="sar_team",
        rule_ids=("ALL-4", *extra_ids),
        explanation=f"Referred to the {team.name if team else team_name} — ALL-4: this is a "
        "request for the person's own records, so it is a subject access request, not an "
        "other-agency request.",
        tell_requester=f"Your request is a subject access request. It has been passed to the "
        f"{team_name} ({contact}), who will reply within the statutory time limit.",
        team=team,
        person=person,
    )


def refer_child_sex_offender_scheme(council_ids: tuple[str, ...] = ()) -> Referral:
    """NOTTS-6 states the national Child Sex Offender Disclosure Scheme; the other councils'
    guidance is silent, and the scheme is police-run everywhere, so every council refers."""
    return Referral(
        target="police_csod_scheme",
        rule_ids=("NOTTS-6", *council_ids),
        explanation="Referred to the police — NOTTS-6: questions about a person's child sex "
        "offence history go through the police's Child Sex Offender Disclosure Scheme.",
        tell_requester="Please apply to the police under the Child Sex Offender Disclosure "
        'Scheme ("Sarah\'s Law"); we cannot answer this question.',
    )


# ------------------------------------------------------------------ routing to a practitioner


def route_to_practitioner(
    request: RequestSnapshot, rule_ids: tuple[str, ...], why_closed: str
) -> Route:
    """Open case → the allocated worker; closed → the manager of the team that last held it.

    Used by the councils whose guidance does not name who handles a closed case (Devon, Camden,
    Brighton & Hove): a careful IG lead gives it to the supervisor of the last team, because
    that is who knows the case and can allocate (CAMDEN-5 "the allocated SW or their
    supervisor"; DEVON-0 "practitioner with their manager"). ``why_closed`` says so.
    """
    case = case_or_none(request)
    if case is None:
        return Route(
            role=Role.TEAM_MANAGER,
            team=None,
            person=None,
            rule_ids=rule_ids,
            explanation=f"No case record is linked yet — {rule_ids[0]}: link the child's record "
            "so the request can go to their worker.",
        )
    if case.is_open and case.allocated_worker is not None:
        worker = case.allocated_worker
        return Route(
            role=Role.SOCIAL_WORKER,
            team=case.allocated_team,
            person=worker,
            rule_ids=rule_ids,
            explanation=f"Routed to {worker.name}, the allocated social worker — {rule_ids[0]}: "
            "the case is open.",
            tell_requester=f"Your request has gone to {worker.name}"
            + (f" ({worker.email})" if worker.email else "")
            + ", the child's social worker.",
        )
    team = case.allocated_team if case.is_open else case.last_team
    if team is not None and not team.exists:
        gone = team.name
        team = request.directory.find(TeamKind.SOCIAL_WORK, case.locality)
        reason = f"{gone} no longer exists, so the {case.locality or 'local'} team takes it"
    else:
        reason = "the case is open but unallocated" if case.is_open else why_closed
    person: PersonRef | None = team.manager if team else None
    where = team.name if team else "the service"
    return Route(
        role=Role.TEAM_MANAGER,
        team=team,
        person=person,
        rule_ids=rule_ids,
        explanation=f"Routed to the team manager of {where} — {rule_ids[0]}: {reason}.",
    )
