"""Hard copies after sharing (NOTTS-2): the same CSM approves; business support sends."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from policies.base import Action
from requests_app import access
from requests_app.models import CaseNote, DisclosureDecision, HardCopyRequest, Team
from requests_app.services import notify
from requests_app.services.base import (
    ActionRefused,
    complete,
    lock,
    policy_gate_problems,
    take,
)
from requests_app.services.history import add_note


def sharing_approver(request):
    decision = request.decisions.filter(
        about=DisclosureDecision.Subject.SHARING, outcome=DisclosureDecision.Outcome.APPROVED
    ).select_related("decided_by").last()
    return decision.decided_by if decision else None


def request_hard_copies(request, user, *, items: str, http_request=None):
    """The worker presents the list of documents to the CSM who approved the sharing."""
    if not [line for line in items.splitlines() if line.strip()]:
        raise ActionRefused(["List the documents asked for, one per line — NOTTS-2."])
    with transaction.atomic():
        request = lock(request)
        approver = sharing_approver(request)
        if approver is None:
            raise ActionRefused(["Nothing has been approved for sharing yet — NOTTS-2."])
        take(request, user, "request_hard_copies", http_request=http_request)
        # The approval's own gates (e.g. NOTTS-2.1: never for the police) are checked now, so
        # the worker hears at once rather than the request waiting on a CSM who cannot approve.
        problems = [p for p in policy_gate_problems(request, Action.APPROVE_HARD_COPIES)
                    if "List the documents" not in p and "another CSM" not in p]
        if problems:
            raise ActionRefused(problems)
        HardCopyRequest.objects.create(request=request, items=items, requested_by=user,
                                       approver=approver)
        add_note(request, user, f"Hard copies asked for, for approval by "
                 f"{approver.get_full_name()}:\n{items}", kind=CaseNote.Kind.HARD_COPIES,
                 rule_ids=["NOTTS-2"])
        access.grant(request, approver)
        notify.request_reached(request, [approver], "Hard copies need your approval (NOTTS-2).")
        return request


def _decide(request, user, name, outcome, reasons, http_request):
    with transaction.atomic():
        request = lock(request)
        hcr = request.hard_copy_requests.order_by("-pk").first()
        decision = DisclosureDecision.objects.create(
            request=request, about=DisclosureDecision.Subject.HARD_COPIES, outcome=outcome,
            reasons=reasons, rule_ids=["NOTTS-2"], decided_by=user,
        )
        hcr.decision = decision
        hcr.save(update_fields=["decision"])
        complete(request, Action.APPROVE_HARD_COPIES)
        take(request, user, name, gate=Action.APPROVE_HARD_COPIES, http_request=http_request)
        add_note(request, user, f"Hard copies {decision.get_outcome_display().lower()} by "
                 f"{user.get_full_name()}. Reasons: {reasons}", kind=CaseNote.Kind.HARD_COPIES,
                 rule_ids=["NOTTS-2", "ALL-2"])
        access.step_back(request, user)
        return request, hcr


def approve_hard_copies(request, user, *, reasons: str, http_request=None):
    if not reasons.strip():
        raise ActionRefused(["Enter the reasons for the decision — ALL-2."])
    request, hcr = _decide(request, user, "approve_hard_copies",
                           DisclosureDecision.Outcome.APPROVED, reasons, http_request)
    team = Team.objects.filter(council=request.council, kind="business_support",
                               exists=True).first()
    if team and team.group_id:
        access.grant(request, team.group)
        notify.request_reached(request, team.members.all(),
                               "Hard copies approved: produce and send them securely.")
    return request


def refuse_hard_copies(request, user, *, reasons: str, http_request=None):
    if not reasons.strip():
        raise ActionRefused(["Enter the reasons for the decision — ALL-2."])
    request, _ = _decide(request, user, "refuse_hard_copies",
                         DisclosureDecision.Outcome.REFUSED, reasons, http_request)
    return request


def send_hard_copies(request, user, *, method: str, sent_to: str, address_confirmed: bool,
                     http_request=None):
    """Business support sends by a secure method to a confirmed address and case-notes the
    items and the CSM's approval (NOTTS-2, ALL-6)."""
    with transaction.atomic():
        request = lock(request)
        hcr = request.hard_copy_requests.order_by("-pk").select_related("decision").first()
        hcr.method, hcr.sent_to, hcr.address_confirmed = method, sent_to, address_confirmed
        hcr.sent_by, hcr.sent_at = user, timezone.now()
        hcr.save()
        complete(request, Action.PRODUCE_HARD_COPIES, Action.SEND, Action.CASE_NOTE)
        take(request, user, "send_hard_copies", gate=Action.SEND, http_request=http_request)
        approver = hcr.decision.decided_by.get_full_name() if hcr.decision else "unknown"
        add_note(request, user, f"Hard copies sent to {sent_to} by {hcr.get_method_display()} "
                 f"on {timezone.localdate():%d %B %Y}, approved by {approver}. Items:\n"
                 f"{hcr.items}", kind=CaseNote.Kind.HARD_COPIES, rule_ids=["NOTTS-2", "ALL-3"])
        team = Team.objects.filter(council=request.council, kind="business_support",
                                   exists=True).first()
        if team and team.group_id:
            access.revoke_action(request, team.group)
        return request
