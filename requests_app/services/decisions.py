"""Decisions to share or not, with their reasons, by a named person (ALL-2, NOTTS-1.2.1)."""

from __future__ import annotations

from django.db import transaction

from policies.base import Action
from requests_app import access
from requests_app.models import CaseNote, DisclosureDecision, Team, User
from requests_app.services import notify
from requests_app.services.base import ActionRefused, complete, lock, proposed_decision, take
from requests_app.services.history import add_note
from requests_app.workflow import RequestState

Outcome = DisclosureDecision.Outcome


def _decision(request, user, outcome, reasons, conditions="", informed=False, rules=()):
    if not reasons.strip():
        raise ActionRefused(["Enter the reasons for the decision — ALL-2."])
    return DisclosureDecision.objects.create(
        request=request, outcome=outcome, reasons=reasons, conditions=conditions,
        requester_informed=informed, rule_ids=list(rules), decided_by=user,
    )


def allocating_manager(request) -> User | None:
    """NOTTS-1.2.1: the team manager of the last social work team (or the DCPT it was
    routed to when that team no longer exists) allocates a worker."""
    team: Team | None = request.routed_team
    subject = request.subjects.select_related("last_team__manager").first()
    if subject and subject.last_team and subject.last_team.exists:
        team = subject.last_team
    return team.manager if team else None


def approve(request, user, *, reasons: str, conditions: str = "",
            family_wishes_acknowledged: bool = False, http_request=None):
    """The CSM agrees to share; the request passes to the team manager to allocate."""
    with transaction.atomic():
        request = lock(request)
        if family_wishes_acknowledged:
            request.family_wishes_acknowledged = True  # BH-4
        complete(request, Action.CSM_DECISION, Action.DECIDE)
        next_state = (
            RequestState.AWAITING_ALLOCATION if allocating_manager(request)
            else RequestState.WITH_WORKER
        )
        take(request, user, "approve", next_state, gate=Action.CSM_DECISION,
             http_request=http_request,
             proposed=proposed_decision(user, shared=True, reasons=reasons))
        _decision(request, user, Outcome.APPROVED, reasons, conditions, rules=["NOTTS-1.2.1"])
        add_note(request, user, f"CSM decision: sharing approved. Reasons: {reasons}"
                 + (f" Conditions: {conditions}" if conditions else ""),
                 kind=CaseNote.Kind.DECISION, rule_ids=["NOTTS-1.2.1", "ALL-2"])
        access.step_back(request, user)
        manager = allocating_manager(request)
        if manager is not None:
            request.routed_to = manager
            request.save(update_fields=["routed_to", "updated_at"])
            access.grant(request, manager)
            notify.request_reached(request, [manager], "Sharing was approved: allocate a worker.")
        else:
            access.grant(request, user)  # no manager on record: the CSM keeps it
        notify.decision_made(request, [request.created_by], "sharing approved")
        return request


def refuse(request, user, *, reasons: str, requester_informed: bool, http_request=None):
    """The CSM refuses; they tell the requester (NOTTS-1.2.1)."""
    if not requester_informed:
        raise ActionRefused(
            ["Confirm that you have told the requester about the refusal — NOTTS-1.2.1."]
        )
    with transaction.atomic():
        request = lock(request)
        complete(request, Action.CSM_DECISION, Action.DECIDE)
        take(request, user, "refuse", gate=Action.CSM_DECISION, http_request=http_request,
             proposed=proposed_decision(user, shared=False, reasons=reasons))
        _decision(request, user, Outcome.REFUSED, reasons, informed=True, rules=["NOTTS-1.2.1"])
        add_note(request, user, f"CSM decision: sharing refused. Reasons: {reasons} "
                 "The requester has been told.", kind=CaseNote.Kind.DECISION,
                 rule_ids=["NOTTS-1.2.1", "ALL-2"])
        notify.decision_made(request, [request.created_by], "sharing refused")
        return request


def record_decision(request, user, *, reasons: str, conditions: str = "",
                    family_wishes_acknowledged: bool = False, http_request=None):
    """Where no CSM decides, the practitioner (with their manager) decides to share
    (DEVON-0, CAMDEN-5, BH-1) and records why (ALL-2)."""
    with transaction.atomic():
        request = lock(request)
        if family_wishes_acknowledged:
            request.family_wishes_acknowledged = True  # BH-4
        complete(request, Action.DECIDE)
        take(request, user, "record_decision", gate=Action.DECIDE, http_request=http_request,
             proposed=proposed_decision(user, shared=True, reasons=reasons))
        _decision(request, user, Outcome.APPROVED, reasons, conditions, rules=["ALL-2"])
        add_note(request, user, f"Decision to share. Reasons: {reasons}"
                 + (f" Conditions: {conditions}" if conditions else "")
                 + (" The family's recorded wishes were read and considered (BH-4)."
                    if family_wishes_acknowledged else ""),
                 kind=CaseNote.Kind.DECISION, rule_ids=["ALL-2", "BH-1"])
        return request


def decline(request, user, *, reasons: str, requester_informed: bool, http_request=None):
    """The practitioner decides not to share, with reasons (ALL-2, BH-1)."""
    if not requester_informed:
        raise ActionRefused(["Confirm that you have told the requester — ALL-2."])
    with transaction.atomic():
        request = lock(request)
        complete(request, Action.DECIDE)
        take(request, user, "decline", gate=Action.DECIDE, http_request=http_request,
             proposed=proposed_decision(user, shared=False, reasons=reasons))
        _decision(request, user, Outcome.REFUSED, reasons, informed=True, rules=["ALL-2"])
        add_note(request, user, f"Decision not to share. Reasons: {reasons} The requester has "
                 "been told.", kind=CaseNote.Kind.DECISION, rule_ids=["ALL-2", "BH-1"])
        notify.decision_made(request, [request.created_by], "not shared")
        return request


def allocate(request, user, *, worker: User, http_request=None):
    """The team manager allocates a worker (NOTTS-1.2.1, NOTTS-1.3)."""
    if worker.council_id != request.council_id or "social_worker" not in worker.roles:
        raise ActionRefused(["Choose a social worker from this council."])
    with transaction.atomic():
        request = lock(request)
        complete(request, Action.ALLOCATE)
        request.allocated_worker = worker
        request.routed_to = worker
        take(request, user, "allocate", gate=Action.ALLOCATE, http_request=http_request,
             detail={"worker": worker.pk})
        add_note(request, user, f"Allocated to {worker.get_full_name()}.",
                 kind=CaseNote.Kind.ALLOCATION, rule_ids=["NOTTS-1.2.1"])
        access.step_back(request, user)
        access.grant(request, worker)
        notify.request_reached(request, [worker], "A request has been allocated to you.")
        return request
