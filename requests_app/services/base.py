"""What every action shares: lock the request, check, transition, save, audit."""

from __future__ import annotations

from dataclasses import replace

from django.utils import timezone
from django_fsm import can_proceed

from policies.base import SharingDecision
from policies.registry import get_policy
from requests_app import access
from requests_app.models import InformationRequest
from requests_app.services.history import audit
from requests_app.workflow import TRANSITION_ACTIONS


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


def gate_problems(request: InformationRequest, user, action: str,
                  proposed: dict | None = None) -> list[str]:
    """Every unmet condition of the council's gate for `action`, not just the first."""
    access.forget_snapshots(request)
    snapshot = access.snapshot_for(request)
    if proposed:
        snapshot = replace(snapshot, **proposed)
    result = get_policy(request.council.slug).check(action, snapshot, access.actor_for(user))
    return [f"{u.message} — {u.rule_id}" for u in result.unmet]


def policy_gate_problems(request: InformationRequest, action: str) -> list[str]:
    """The council's gate for `action` on its own, whoever is asking."""
    access.forget_snapshots(request)
    result = get_policy(request.council.slug).check(action, access.snapshot_for(request), None)
    return [f"{u.message} — {u.rule_id}" for u in result.unmet]


def take(
    request: InformationRequest,
    user,
    name: str,
    *args,
    gate: str | tuple[str, ...] | None = None,
    http_request=None,
    detail: dict | None = None,
    proposed: dict | None = None,
):
    """Take transition `name` on a locked request. Caller is inside transaction.atomic().

    `proposed`: snapshot fields the gates should see as if already recorded — the decision
    being made (policies check it has a reason, a named decider and a time: ALL-2). The
    caller writes the record after the transition succeeds.
    """
    method = getattr(request, name)
    problems = access.access_problems(user, request, name)
    if not problems and not can_proceed(method):
        problems = [_cannot_now(request, name)]
    if not problems:
        # Every unmet condition of every gate, each once: the page lists them all.
        for action in (gate,) if isinstance(gate, str) else gate or ():
            if action == TRANSITION_ACTIONS.get(name):
                action = access.policy_action(request, name)
            problems += [p for p in gate_problems(request, user, action, proposed)
                         if p not in problems]
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
    return request


def proposed_decision(user, *, shared: bool, reasons: str) -> dict:
    """The decision being made, as the gates should see it (ALL-2)."""
    return {"sharing_decision": SharingDecision(
        user.pk, shared=shared, reason=reasons, decided_at=timezone.now()
    )}


def _cannot_now(request: InformationRequest, name: str) -> str:
    from requests_app import workflow

    if name in {"close", "withdraw"} and not workflow.no_files_out(request):
        return ("Paper files are still out of storage: business support must return them "
                "first — NOTTS-1.3.")
    if name == "pause" and workflow.clock_paused(request):
        return "The clock is already paused."
    if name in {"record_decision", "decline"} and not workflow.no_sharing_decision_yet(request):
        return "A decision has already been recorded; add a case note to record anything new."
    if name == "extend" and not workflow.not_yet_extended(request):
        return "The deadline has already been extended once."
    return f"This cannot be done while the request is '{request.get_state_display().lower()}'."


def complete(request: InformationRequest, *steps: str) -> None:
    """Record policy steps as done (the gates read them)."""
    done = list(request.completed_steps)
    for step in steps:
        if step not in done:
            done.append(str(step))
    request.completed_steps = done
