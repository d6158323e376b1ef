"""Who may see or do what. The only module that decides access.

Rules of the house:
- Council isolation is absolute: nothing from another council is ever visible; an outsider
  gets 404, never a hint that the request exists.
- Someone who may look but not act gets 403 on a POST.
- Per-request access is guardian object permissions on the direct-FK tables
  (`RequestUserObjectPermission`, `RequestGroupObjectPermission`), granted to the team or
  person a request is routed or allocated to and removed when it moves on.
- The first point of contact (SCIMT and equivalents) sees every request of their council:
  they triage them all. They act on a request only while it awaits triage, then step back.
- *Which* steps a person may take, and what stops them, is the council policy's answer
  (`policies.catalogue`, `CouncilPolicy.offers`): this module adds only council isolation and
  whether the request is with this person (or their team) now.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from guardian.shortcuts import assign_perm, remove_perm

from requests_app.models import (
    InformationRequest,
    RequestGroupObjectPermission,
    RequestUserObjectPermission,
    Role,
)

VIEW = "view_informationrequest"
ACT = "act_on_request"

# Roles that see every request of their own council.
COUNCIL_WIDE_ROLES = frozenset({Role.SCIMT_OFFICER})


def _is_council_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.council_id)


def sees_whole_council(user) -> bool:
    return _is_council_member(user) and not COUNCIL_WIDE_ROLES.isdisjoint(user.roles)


def may_log_requests(user) -> bool:
    """Whoever the council's policy says logs requests (the first point of contact; in Devon
    also Safer Recruitment for DBS requests, DEVON-5). They see what they logged."""
    if not _is_council_member(user):
        return False
    from policies.registry import get_policy

    return not get_policy(user.council.slug).loggers().isdisjoint(user.roles)


def may_search_case_records(user) -> bool:
    """Who may search the council's children's case records (not only the requests about
    them): whoever logs requests, who already looks children up to log a request for them.
    Everyone else finds the requests they may see."""
    return may_log_requests(user)


def _has_object_perm(user, codename: str):
    """An EXISTS over the direct-FK permission tables: an indexed join, no text casts."""
    by_user = RequestUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename=codename
    )
    by_group = RequestGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"),
        group__in=user.groups.values("pk"),
        permission__codename=codename,
    )
    return Q(Exists(by_user)) | Q(Exists(by_group))


def visible_requests(user) -> QuerySet[InformationRequest]:
    """Every request this person may open. Superusers administer reference data, not cases."""
    if not _is_council_member(user):
        return InformationRequest.objects.none()
    in_council = InformationRequest.objects.filter(council_id=user.council_id)
    if sees_whole_council(user):
        return in_council
    return in_council.filter(Q(created_by=user) | _has_object_perm(user, VIEW))


def get_request_for_user(user, reference: str) -> InformationRequest:
    """The request, if this person may see it; otherwise 404 (never 403: no hint it exists)."""
    try:
        return visible_requests(user).select_related("council", "requester").get(
            reference=reference
        )
    except InformationRequest.DoesNotExist:
        raise Http404("No request with that reference.") from None


def get_request_for_action(user, reference: str) -> InformationRequest:
    """The request, if this person may act on it: 404 for outsiders, 403 for onlookers."""
    request = get_request_for_user(user, reference)
    if not may_act(user, request):
        raise PermissionDenied("You can see this request but it is not with you to act on.")
    return request


def holds(user, request: InformationRequest) -> bool:
    """The request is with this person (or their team) at its current step. Never across
    councils. The first point of contact, and whoever logged it, hold it only until triage."""
    if not _is_council_member(user) or user.council_id != request.council_id:
        return False
    if request.state == "received" and (
        sees_whole_council(user) or request.created_by_id == user.pk
    ):
        return True
    return user.has_perm(f"requests_app.{ACT}", request)


may_act = holds


def grant(request: InformationRequest, holder, *, act: bool = True) -> None:
    """Let a person or a team's group see (and act on) the request."""
    assign_perm(VIEW, holder, request)
    if act:
        assign_perm(ACT, holder, request)


def revoke_action(request: InformationRequest, holder) -> None:
    """The request moved on: the holder keeps sight of it (they worked on it) but cannot act."""
    remove_perm(ACT, holder, request)


def step_back(request: InformationRequest, user) -> None:
    """The request moved on from this person: they, and any team of theirs it was granted to
    (e.g. Safer Recruitment for a DBS request), keep sight of it but can no longer act."""
    revoke_action(request, user)
    held = RequestGroupObjectPermission.objects.filter(
        content_object=request, permission__codename=ACT, group__in=user.groups.all()
    ).select_related("group")
    for perm in held:
        revoke_action(request, perm.group)


# ---- transitions ---------------------------------------------------------------------------


def snapshot_for(request: InformationRequest):
    """The policy snapshot of a request, built once per loaded instance."""
    from requests_app.policy_adapter import request_snapshot

    cached = getattr(request, "_policy_snapshot", None)
    if cached is None:
        cached = request_snapshot(request)
        request._policy_snapshot = cached
    return cached


def actor_for(user):
    from requests_app.policy_adapter import actor_snapshot

    cached = getattr(user, "_actor_snapshot", None)
    if cached is None:
        cached = actor_snapshot(user)
        user._actor_snapshot = cached
    return cached


def forget_snapshots(request: InformationRequest, user=None) -> None:
    request.__dict__.pop("_policy_snapshot", None)
    request.__dict__.pop("_offers", None)
    if user is not None:
        user.__dict__.pop("_actor_snapshot", None)


def is_with(user, request: InformationRequest) -> bool:
    return holds(user, request)


def _policy(request: InformationRequest):
    from policies.registry import get_policy

    return get_policy(request.council.slug)


def may_take(user, request: InformationRequest, transition_name: str) -> bool:
    """May this person take this transition now? (Used as the FSM permission.)"""
    return not access_problems(user, request, transition_name)


def access_problems(user, request: InformationRequest, transition_name: str) -> list[str]:
    """Why this person may not take the transition: council, holding the request, and the
    council policy's "who may" (not its gates: the services run those with the form's facts)."""
    if not _is_council_member(user) or user.council_id != request.council_id:
        return ["You do not work for this council."]
    if not holds(user, request):
        return ["The request is not with you or your team at this step."]
    policy, snapshot = _policy(request), snapshot_for(request)
    offer = policy.offer(transition_name, snapshot, actor_for(user))
    if offer is None:
        return ["This step is not part of this council's process for this request."]
    who = policy.who_may(offer.step, snapshot)
    if not who.allows(actor_for(user)):
        return [r for r in offer.reasons if r.startswith(f"{who.rule_ids[0]}:")][:1] or [
            f"{who.rule_ids[0]}: {who.explanation}"]
    return []


def offers_for(user, request: InformationRequest):
    """The council's catalogue of actions for this person on this request: only steps that
    are their kind of job, and only while the request is with them. Triage has its own page."""
    from policies.catalogue import TRIAGE_TRANSITIONS

    cached = getattr(request, "_offers", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    found = ()
    if holds(user, request):
        names = [t.name for t in request.get_available_state_transitions()
                 if t.name not in TRIAGE_TRANSITIONS]
        found = tuple(o for o in _policy(request).offers(snapshot_for(request), actor_for(user),
                                                          names) if o.mine)
    request._offers = (user.pk, found)
    return found


# ---- documents, redaction and packs ----------------------------------------------------------

# Documents can be added and redacted while the request is being worked on; packs are built
# only from what a decision approved for sharing.
DOCUMENT_STATES = frozenset({
    "awaiting_decision", "awaiting_allocation", "with_worker", "awaiting_checks", "disclosed",
    "hard_copies_requested", "hard_copies_approved",
})
PACK_STATES = frozenset({"with_worker", "awaiting_checks", "hard_copies_approved"})


def document_problems(user, request: InformationRequest) -> list[str]:
    """Why this person may not add, redact or change documents on the request now (the
    council's REDACT step: CAMDEN-5 keeps it with the allocated worker or supervisor)."""
    from policies.base import Action

    if not _is_council_member(user) or user.council_id != request.council_id:
        return ["You do not work for this council."]
    if not holds(user, request):
        return ["The request is not with you or your team at this step."]
    if request.state not in DOCUMENT_STATES:
        return [f"Documents cannot be changed while the request is "
                f"'{request.get_state_display().lower()}'."]
    who = _policy(request).who_may(Action.REDACT, snapshot_for(request))
    if not who.allows(actor_for(user)):
        return [f"{who.rule_ids[0]}: {who.explanation}"]
    return []


def pack_problems(user, request: InformationRequest) -> list[str]:
    """Why this person may not build a disclosure pack now: only what was approved goes."""
    problems = document_problems(user, request)
    if problems:
        return problems
    if request.state not in PACK_STATES:
        return [f"A pack cannot be prepared while the request is "
                f"'{request.get_state_display().lower()}'."]
    shared = request.decisions.filter(about="sharing", outcome="approved").exists()
    if not shared:
        return ["ALL-2: Nothing has been approved for sharing yet: a pack holds only what a "
                "decision approved."]
    return []
