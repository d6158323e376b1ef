"""Hard copies after sharing: the council's policy says whether there is such a step (only
Nottinghamshire's, NOTTS-2), who approves it and how copies may go."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from policies.base import Action, SendDetails
from policies.base import HardCopyRequest as HardCopies
from requests_app import access
from requests_app.models import CaseNote, DisclosureDecision, HardCopyRequest, User
from requests_app.services import notify
from requests_app.services.base import ActionRefused, complete, lock, take
from requests_app.services.disclosure import business_support
from requests_app.services.history import add_note


def _named_approver(request) -> User | None:
    """The one person the council's policy says approves hard copies on this request."""
    from policies.base import Action
    from policies.registry import get_policy

    who = get_policy(request.council.slug).who_may(Action.APPROVE_HARD_COPIES,
                                                   access.snapshot_for(request))
    ids = list(who.person_ids)
    return User.objects.filter(pk=ids[0]).first() if len(ids) == 1 else None


def request_hard_copies(request, user, *, items: str, http_request=None):
    """The worker presents the list of documents to the CSM who approved the sharing."""
    # An empty list is refused by the council's own gate, with its rule (NOTTS-2).
    listed = [line.strip() for line in items.splitlines() if line.strip()]
    with transaction.atomic():
        request = lock(request)
        approver = _named_approver(request)
        proposed = {"hard_copy_request": HardCopies(
            items=tuple(listed), approver_id=approver.pk if approver else None)}
        offer = take(request, user, "request_hard_copies", http_request=http_request,
                     proposed=proposed)
        if approver is None:
            raise ActionRefused([f"{offer.note_rule_ids[0]}: No approver is on record for "
                                 "this request."])
        HardCopyRequest.objects.create(request=request, items=items, requested_by=user,
                                       approver=approver)
        complete(request, offer.step)
        request.save(update_fields=["completed_steps", "updated_at"])
        add_note(request, user, f"Hard copies asked for, for approval by "
                 f"{approver.get_full_name()}:\n{items}", kind=CaseNote.Kind.HARD_COPIES,
                 rule_ids=list(offer.note_rule_ids))
        access.grant(request, approver)
        notify.request_reached(request, [approver], "Hard copies need your approval.")
        return request


def _decide(request, user, name, outcome, reasons, http_request):
    with transaction.atomic():
        request = lock(request)
        hcr = request.hard_copy_requests.order_by("-pk").first()
        if hcr is None or hcr.decision_id:
            raise ActionRefused(["No hard copies are waiting for a decision."])
        decision = DisclosureDecision.objects.create(
            request=request, about=DisclosureDecision.Subject.HARD_COPIES, outcome=outcome,
            reasons=reasons, rule_ids=list(_hard_copy_rules(request, user, name)),
            decided_by=user,
        )
        hcr.decision = decision
        hcr.save(update_fields=["decision"])
        complete(request, Action.APPROVE_HARD_COPIES)
        offer = take(request, user, name, http_request=http_request)
        add_note(request, user, f"Hard copies {decision.get_outcome_display().lower()} by "
                 f"{user.get_full_name()}. Reasons: {reasons}", kind=CaseNote.Kind.HARD_COPIES,
                 rule_ids=[*offer.note_rule_ids, "ALL-2"])
        access.step_back(request, user)
        return request, hcr


def _hard_copy_rules(request, user, name) -> tuple[str, ...]:
    from requests_app.services.base import offer_now

    offer = offer_now(request, user, name)
    return offer.note_rule_ids if offer else ()


def approve_hard_copies(request, user, *, reasons: str, http_request=None):
    if not reasons.strip():
        raise ActionRefused(["ALL-2: Enter the reasons for the decision."])
    request, hcr = _decide(request, user, "approve_hard_copies",
                           DisclosureDecision.Outcome.APPROVED, reasons, http_request)
    team = business_support(request)
    if team and team.group_id:
        access.grant(request, team.group)
        notify.request_reached(request, team.members.all(),
                               "Hard copies approved: produce and send them securely.")
    return request


def refuse_hard_copies(request, user, *, reasons: str, http_request=None):
    if not reasons.strip():
        raise ActionRefused(["ALL-2: Enter the reasons for the decision."])
    request, _ = _decide(request, user, "refuse_hard_copies",
                         DisclosureDecision.Outcome.REFUSED, reasons, http_request)
    return request


def send_hard_copies(request, user, *, method: str, sent_to: str, address_confirmed: bool,
                     http_request=None):
    """Business support sends by a method the council allows to a confirmed address and
    case-notes the items and the CSM's approval."""
    if not sent_to.strip():
        raise ActionRefused(["Enter the address the copies are going to."])
    with transaction.atomic():
        request = lock(request)
        hcr = request.hard_copy_requests.order_by("-pk").select_related("decision").first()
        if hcr is None:
            raise ActionRefused(["No hard copies were asked for."])
        complete(request, Action.PRODUCE_HARD_COPIES, Action.SEND, Action.CASE_NOTE)
        proposed = {"send": SendDetails(method=method, address_confirmed=address_confirmed,
                                        sender_id=user.pk, address=sent_to.strip())}
        offer = take(request, user, "send_hard_copies", http_request=http_request,
                     proposed=proposed)
        hcr.method, hcr.sent_to, hcr.address_confirmed = method, sent_to, address_confirmed
        hcr.sent_by, hcr.sent_at = user, timezone.now()
        hcr.save()
        approver = hcr.decision.decided_by.get_full_name() if hcr.decision else "unknown"
        add_note(request, user, f"Hard copies sent to {sent_to} by {hcr.get_method_display()} "
                 f"on {timezone.localdate():%d %B %Y}, approved by {approver}. Items:\n"
                 f"{hcr.items}", kind=CaseNote.Kind.HARD_COPIES,
                 rule_ids=list(offer.note_rule_ids))
        team = business_support(request)
        if team and team.group_id:
            access.revoke_action(request, team.group)
        return request
