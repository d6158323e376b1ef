"""What every action shares: lock the request, check, transition, save, audit."""

from __future__ import annotations

from dataclasses import replace

from django.utils import timezone
from django_fsm import can_proceed

from policies.base import SharingDecision
from policies.catalogue import Offer
from policies.registry import get_policy
from requests_app import access
from requests_app.models import InformationRequest
from requests_app.services.history import audit


class ActionRefused(Exception):
    """The action cannot be taken. `problems` are sentences for the page, with rule IDs."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def lock(request: InformationRequest) -> InformationRequest:
    """The request re-read under a row lock: two people deciding at once queue here, and the
    second then finds the state has moved on (ConcurrentTransitionMixin is the backstop)."""
    return (
        InformationRequest.objects.select_for_update(of=("self",))
        .select_related("council", "requester")
        .get(pk=request.pk)
    )


def offer_now(request: InformationRequest, user, name: str, proposed: dict | None = None,
              *, preview: bool = False):
    """The council's answer for this step, on the request as it is now (facts the form gave
    already written to it) plus ``proposed``: the decision or send being made."""
    access.forget_snapshots(request)
    snapshot = access.snapshot_for(request)
    if proposed:
        snapshot = replace(snapshot, **proposed)
    return get_policy(request.council.slug).offer(name, snapshot, access.actor_for(user),
                                                  preview=preview)


def take(
    request: InformationRequest,
    user,
    name: str,
    *args,
    http_request=None,
    detail: dict | None = None,
    proposed: dict | None = None,
) -> Offer:
    """Take transition `name` on a locked request. Caller is inside transaction.atomic().

    The council's catalogue decides: the same offer the page showed, worked out again on the
    facts the form gave and the decision or send being made (`proposed`), with every unmet
    condition. Returns that offer: its `note_rule_ids` are what the case note cites.
    """
    method = getattr(request, name)
    problems = access.access_problems(user, request, name)
    if not problems and not can_proceed(method):
        problems = [_cannot_now(request, name)]
    offer = None
    if not problems:
        offer = offer_now(request, user, name, proposed)
        if offer is None:
            problems = ["This step is not part of this council's process for this request."]
        else:
            problems = list(offer.reasons)
    if problems:
        raise ActionRefused(problems)
    from_state = request.state
    method(*args)
    request.save()
    access.forget_snapshots(request)
    audit(
        user, f"request.{name}", request, request=request, from_state=from_state,
        to_state=request.state, detail=detail, http_request=http_request,
    )
    return offer


def proposed_decision(user, *, shared: bool, reasons: str) -> dict:
    """The decision being made, as the gates should see it (ALL-2)."""
    return {"sharing_decision": SharingDecision(
        user.pk, shared=shared, reason=reasons, decided_at=timezone.now()
    )}


def _cannot_now(request: InformationRequest, name: str) -> str:
    from requests_app import workflow

    if name == "pause" and workflow.clock_paused(request):
        return "The clock is already paused."
    if name in {"record_decision", "decline"} and not workflow.no_sharing_decision_yet(request):
        return "A decision has already been recorded; add a case note to record anything new."
    return f"This cannot be done while the request is '{request.get_state_display().lower()}'."


def complete(request: InformationRequest, *steps: str) -> None:
    """Record policy steps as done (the gates read them)."""
    done = list(request.completed_steps)
    for step in steps:
        if step not in done:
            done.append(str(step))
    request.completed_steps = done
