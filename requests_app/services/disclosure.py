"""Records retrieval, checks by another team, and disclosure (NOTTS-1.2.2, NOTTS-1.3, ALL-3)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from policies.base import Action
from requests_app import access
from requests_app.models import CaseNote, Document, RecordsRetrieval, Team
from requests_app.services import notify
from requests_app.services.base import ActionRefused, complete, lock, take
from requests_app.services.history import add_note

# Checks another team makes before anything is released, and who makes them.
CHECKS = {
    Action.IG_CHECK: ("information_governance", "Information governance check (DEVON-5)",
                      ["DEVON-5"]),
    Action.LEGAL_REDACTION: ("legal_services", "Legal Services redaction (CAMDEN-9)",
                             ["CAMDEN-9"]),
    Action.SECOND_CHECK: ("business_support", "Second check before posting (BH-8)", ["BH-8"]),
}


def request_retrieval(request, user, *, medium: str, http_request=None):
    """The worker asks for microfilm access or for business support to fetch paper files."""
    with transaction.atomic():
        request = lock(request)
        take(request, user, "request_retrieval", http_request=http_request,
             detail={"medium": medium})
        retrieval = RecordsRetrieval.objects.create(request=request, medium=medium,
                                                    requested_by=user)
        label = retrieval.get_medium_display().lower()
        add_note(request, user, f"Asked for {label} to be retrieved from the Records "
                 "Management Service.", kind=CaseNote.Kind.RETRIEVAL, rule_ids=["NOTTS-1.3"])
        team = Team.objects.filter(council=request.council, kind="business_support",
                                   exists=True).first()
        if team and team.group_id:
            access.grant(request, team.group)
            notify.request_reached(request, team.members.all(), f"Please retrieve the {label}.")
        return request


def mark_retrieved(request, user, *, http_request=None):
    with transaction.atomic():
        request = lock(request)
        take(request, user, "mark_retrieved", http_request=http_request)
        now = timezone.now()
        for retrieval in request.retrievals.filter(retrieved_at__isnull=True):
            retrieval.retrieved_at, retrieval.retrieved_by = now, user
            retrieval.save(update_fields=["retrieved_at", "retrieved_by"])
        complete(request, Action.RETRIEVE_RECORDS)
        request.save(update_fields=["completed_steps", "updated_at"])
        add_note(request, user, "Records retrieved and passed to the worker.",
                 kind=CaseNote.Kind.RETRIEVAL, rule_ids=["NOTTS-1.3"])
        return request


def return_files(request, user, *, http_request=None):
    """Business support returns paper files to storage (NOTTS-1.3)."""
    with transaction.atomic():
        request = lock(request)
        take(request, user, "return_files", http_request=http_request)
        now = timezone.now()
        for retrieval in request.retrievals.filter(medium="paper", returned_at__isnull=True):
            retrieval.returned_at, retrieval.returned_by = now, user
            retrieval.save(update_fields=["returned_at", "returned_by"])
        complete(request, Action.RETURN_RECORDS)
        request.save(update_fields=["completed_steps", "updated_at"])
        add_note(request, user, "Paper files returned to the Records Management Service.",
                 kind=CaseNote.Kind.RETRIEVAL, rule_ids=["NOTTS-1.3"])
        access.step_back(request, user)  # business support's part is done
        return request


def submit_for_check(request, user, *, check: str, http_request=None):
    kind, label, rules = CHECKS[check]
    with transaction.atomic():
        request = lock(request)
        request.pending_check = check
        take(request, user, "submit_for_check", http_request=http_request,
             detail={"check": check})
        team = Team.objects.filter(council=request.council, kind=kind, exists=True).first()
        if team is None or not team.group_id:
            raise ActionRefused([f"There is no team to make the {label.lower()}."])
        access.grant(request, team.group)
        add_note(request, user, f"Sent for {label.lower()}.", kind=CaseNote.Kind.GENERAL,
                 rule_ids=rules)
        notify.request_reached(request, team.members.all(), f"{label} needed.")
        return request


def complete_check(request, user, *, notes: str, http_request=None):
    with transaction.atomic():
        request = lock(request)
        check = request.pending_check
        kind, label, rules = CHECKS[check]
        if check == Action.SECOND_CHECK:
            last_sender = request.hard_copy_requests.order_by("-pk").first()
            if last_sender and last_sender.requested_by_id == user.pk:
                raise ActionRefused(["The second check must be made by a different person — BH-8."])
        complete(request, check)
        request.pending_check = ""
        take(request, user, "complete_check", http_request=http_request, detail={"check": check})
        add_note(request, user, f"{label} done. {notes}".strip(), kind=CaseNote.Kind.GENERAL,
                 rule_ids=rules)
        team = Team.objects.filter(council=request.council, kind=kind, exists=True).first()
        if team and team.group_id:
            access.revoke_action(request, team.group)
        # The request goes back to the team it was routed to: for a DBS request, Safer
        # Recruitment sends the checked response (DEVON-5).
        routed = request.routed_team
        if routed and routed.group_id and routed.kind != kind:
            access.grant(request, routed.group)
        return request


def disclose(request, user, *, what_was_provided: str, method: str, provided_to: str,
             identity_reverified: bool, subject_informed: bool = False, copy=None,
             copy_title: str = "", http_request=None):
    """The worker re-verifies identity, provides the information, files a copy of what was
    provided and case-notes it (NOTTS-1.2.2, ALL-3)."""
    if not what_was_provided.strip():
        raise ActionRefused(["Enter what information was provided — ALL-3."])
    with transaction.atomic():
        request = lock(request)
        if identity_reverified:
            request.identity_reverified_at = timezone.now()
        if subject_informed:
            request.subject_informed = True  # BH-6
        if copy is not None:
            Document.objects.create(
                request=request, title=copy_title or f"Information provided – {request.reference}",
                kind=Document.Kind.FILE, file=copy, content_type=getattr(copy, "content_type", ""),
                is_disclosure_copy=True, uploaded_by=user,
            )
        else:
            Document.objects.create(
                request=request, title=copy_title or f"Information provided – {request.reference}",
                kind=Document.Kind.TEXT, text=what_was_provided, is_disclosure_copy=True,
                uploaded_by=user,
            )
        complete(request, Action.DISCLOSE, Action.FILE_COPY, Action.CASE_NOTE)
        take(request, user, "disclose", gate=Action.DISCLOSE, http_request=http_request)
        add_note(
            request, user,
            f"Information provided to {request.requester.name} ({request.requester.organisation})"
            f" at {provided_to} by {method} on {timezone.localdate():%d %B %Y}: "
            f"{what_was_provided}. Approved by: {_approver(request)}."
            + (" Identity re-verified before disclosure." if identity_reverified else "")
            + (" The young person was told in their own right (BH-6)."
               if subject_informed else ""),
            kind=CaseNote.Kind.DISCLOSURE, rule_ids=["ALL-3", "NOTTS-1.2.2"],
        )
        return request


def _approver(request) -> str:
    decision = request.decisions.filter(about="sharing", outcome="approved").last()
    return decision.decided_by.get_full_name() if decision else "the practitioner's decision"
