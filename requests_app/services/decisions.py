"""Decisions to share or not, with their reasons, by a named person (ALL-2).

Which rules a decision's case note cites, and which facts it records, are the council policy's
answer for the step (`Offer.note_rule_ids`, `Offer.facts`), never chosen here.
"""

from __future__ import annotations

from django.db import transaction

from policies.base import Action
from requests_app import access
from requests_app.models import CaseNote, DisclosureDecision, Team, User
from requests_app.services import notify
from requests_app.services.base import ActionRefused, complete, lock, proposed_decision, take
from requests_app.services.facts import apply_facts
from requests_app.services.history import add_note
from requests_app.workflow import RequestState

Outcome = DisclosureDecision.Outcome


def _decision(request, user, outcome, reasons, rules, conditions="", informed=False):
    return DisclosureDecision.objects.create(
        request=request, outcome=outcome, reasons=reasons, conditions=conditions,
        requester_informed=informed, rule_ids=list(rules), decided_by=user,
    )


def _need_reasons(reasons: str) -> None:
    if not reasons.strip():
        raise ActionRefused(["ALL-2: Enter the reasons for the decision."])


def allocating_manager(request) -> User | None:
    """The team manager of the last social work team (or the team it was routed to when that
    team no longer exists) allocates a worker."""
    team: Team | None = request.routed_team
    subject = request.subjects.select_related("last_team__manager").first()
    if subject and subject.last_team and subject.last_team.exists:
        team = subject.last_team
    return team.manager if team else None


def _note(reasons: str, conditions: str, said: list[str]) -> str:
    return (f" Reasons: {reasons}" + (f" Conditions: {conditions}" if conditions else "")
            + ("" if not said else " " + " ".join(said)))


def approve(request, user, *, reasons: str, conditions: str = "", http_request=None, **facts):
    """The CSM agrees to share; the request passes to the team manager to allocate."""
    _need_reasons(reasons)
    with transaction.atomic():
        request = lock(request)
        said = apply_facts(request, user, facts)
        complete(request, Action.CSM_DECISION, Action.DECIDE)
        # Agreement passes the request on to be allocated; with no manager on record, the
        # CSM who agreed keeps it to allocate a worker themselves.
        next_state = RequestState.AWAITING_ALLOCATION
        offer = take(request, user, "approve", next_state, http_request=http_request,
                     proposed=proposed_decision(user, shared=True, reasons=reasons))
        _decision(request, user, Outcome.APPROVED, reasons, offer.note_rule_ids, conditions)
        add_note(request, user, "CSM decision: sharing approved." + _note(reasons, conditions,
                                                                            said),
                 kind=CaseNote.Kind.DECISION, rule_ids=list(offer.note_rule_ids))
        access.step_back(request, user)
        manager = allocating_manager(request)
        if manager is not None:
            request.routed_to = manager
            request.save(update_fields=["routed_to", "updated_at"])
            access.grant(request, manager)
            notify.request_reached(request, [manager], "Sharing was approved: allocate a worker.")
        else:
            access.grant(request, user)  # no manager on record: the CSM keeps it to allocate
        notify.decision_made(request, [request.created_by], "sharing approved")
        return request


def _need_told(request, user, name: str, requester_informed: bool) -> None:
    """A refusal is told to the requester; the rule cited is the council's for this step."""
    if not requester_informed:
        from requests_app.services.base import offer_now

        offer = offer_now(request, user, name, preview=True)
        rule = offer.note_rule_ids[0] if offer and offer.note_rule_ids else "ALL-2"
        raise ActionRefused([f"{rule}: Confirm that you have told the requester about the "
                             "decision."])


def refuse(request, user, *, reasons: str, requester_informed: bool, http_request=None,
           **facts):
    """The CSM refuses and tells the requester."""
    _need_reasons(reasons)
    _need_told(request, user, "refuse", requester_informed)
    with transaction.atomic():
        request = lock(request)
        apply_facts(request, user, facts)
        complete(request, Action.CSM_DECISION, Action.DECIDE)
        offer = take(request, user, "refuse", http_request=http_request,
                     proposed=proposed_decision(user, shared=False, reasons=reasons))
        _decision(request, user, Outcome.REFUSED, reasons, offer.note_rule_ids, informed=True)
        add_note(request, user, f"CSM decision: sharing refused. Reasons: {reasons} "
                 "The requester has been told.", kind=CaseNote.Kind.DECISION,
                 rule_ids=list(offer.note_rule_ids))
        notify.decision_made(request, [request.created_by], "sharing refused")
        return request


def record_decision(request, user, *, reasons: str, conditions: str = "", http_request=None,
                    **facts):
    """Where no CSM decides, the practitioner (with their manager) decides to share and
    records why (ALL-2), with the facts the council's rules read at this step."""
    _need_reasons(reasons)
    with transaction.atomic():
        request = lock(request)
        said = apply_facts(request, user, facts)
        complete(request, Action.DECIDE)
        offer = take(request, user, "record_decision", http_request=http_request,
                     proposed=proposed_decision(user, shared=True, reasons=reasons))
        _decision(request, user, Outcome.APPROVED, reasons, offer.note_rule_ids, conditions)
        add_note(request, user, "Decision to share." + _note(reasons, conditions, said),
                 kind=CaseNote.Kind.DECISION, rule_ids=list(offer.note_rule_ids))
        return request


def decline(request, user, *, reasons: str, requester_informed: bool, http_request=None,
            **facts):
    """The practitioner decides not to share, with reasons (ALL-2)."""
    _need_reasons(reasons)
    if not requester_informed:
        raise ActionRefused(["ALL-2: Confirm that you have told the requester about the "
                             "decision."])
    with transaction.atomic():
        request = lock(request)
        apply_facts(request, user, facts)
        complete(request, Action.DECIDE)
        offer = take(request, user, "decline", http_request=http_request,
                     proposed=proposed_decision(user, shared=False, reasons=reasons))
        _decision(request, user, Outcome.REFUSED, reasons, offer.note_rule_ids, informed=True)
        add_note(request, user, f"Decision not to share. Reasons: {reasons} The requester has "
                 "been told.", kind=CaseNote.Kind.DECISION, rule_ids=list(offer.note_rule_ids))
        notify.decision_made(request, [request.created_by], "not shared")
        return request


def _check_worker(request, worker) -> None:
    if (worker is None or worker.council_id != request.council_id
            or "social_worker" not in worker.roles or not worker.is_active):
        raise ActionRefused(["Choose a social worker from this council."])


def allocate(request, user, *, worker: User, http_request=None):
    """The team manager allocates a worker."""
    _check_worker(request, worker)
    with transaction.atomic():
        request = lock(request)
        complete(request, Action.ALLOCATE)
        request.allocated_worker = worker
        request.routed_to = worker
        offer = take(request, user, "allocate", http_request=http_request,
                     detail={"worker": worker.pk})
        add_note(request, user, f"Allocated to {worker.get_full_name()}.",
                 kind=CaseNote.Kind.ALLOCATION, rule_ids=list(offer.note_rule_ids))
        access.step_back(request, user)
        access.grant(request, worker)
        notify.request_reached(request, [worker], "A request has been allocated to you.")
        return request


def reallocate(request, user, *, worker: User, reason: str, http_request=None):
    """The team manager gives the work to another worker; the first keeps sight of it but
    can no longer act (a new entry, never an overwrite of who did what)."""
    _check_worker(request, worker)
    if not reason.strip():
        raise ActionRefused(["Enter why the request is being reallocated."])
    with transaction.atomic():
        request = lock(request)
        previous = request.allocated_worker
        if previous is not None and previous.pk == worker.pk:
            raise ActionRefused([f"The request is already with {worker.get_full_name()}."])
        offer = take(request, user, "reallocate", http_request=http_request,
                     detail={"from": previous.pk if previous else None, "to": worker.pk})
        request.allocated_worker = worker
        request.routed_to = worker
        request.save(update_fields=["allocated_worker", "routed_to", "updated_at"])
        add_note(request, user, f"Reallocated from "
                 f"{previous.get_full_name() if previous else 'nobody'} to "
                 f"{worker.get_full_name()}. Reason: {reason}",
                 kind=CaseNote.Kind.ALLOCATION, rule_ids=list(offer.note_rule_ids))
        if previous is not None:
            access.revoke_action(request, previous)
        access.grant(request, worker)
        notify.request_reached(request, [worker], "A request has been reallocated to you.")
        return request
