"""Records retrieval, checks by another team, and disclosure (NOTTS-1.2.2, NOTTS-1.3, ALL-3)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from policies.base import Action, SendDetails
from requests_app import access
from requests_app.models import CaseNote, Document, RecordsRetrieval, Team
from requests_app.models.documents import SEND_METHOD_LABELS
from requests_app.services import notify
from requests_app.services.base import ActionRefused, complete, lock, offer_now, take
from requests_app.services.facts import apply_facts
from requests_app.services.history import add_note


def _team(request, kind: str) -> Team | None:
    return Team.objects.filter(council=request.council, kind=kind, exists=True).first()


def business_support(request) -> Team | None:
    """The council's business support team, who retrieve files and prepare packs."""
    return _team(request, "business_support")


def request_retrieval(request, user, *, medium: str, http_request=None):
    """The worker asks for microfilm access or for business support to fetch paper files."""
    with transaction.atomic():
        request = lock(request)
        offer = take(request, user, "request_retrieval", http_request=http_request,
                     detail={"medium": medium})
        retrieval = RecordsRetrieval.objects.create(request=request, medium=medium,
                                                    requested_by=user)
        label = retrieval.get_medium_display().lower()
        add_note(request, user, f"Asked for {label} to be retrieved from the Records "
                 "Management Service.", kind=CaseNote.Kind.RETRIEVAL,
                 rule_ids=list(offer.note_rule_ids))
        team = business_support(request)
        if team and team.group_id:
            access.grant(request, team.group)
            notify.request_reached(request, team.members.all(), f"Please retrieve the {label}.")
        return request


def mark_retrieved(request, user, *, http_request=None):
    with transaction.atomic():
        request = lock(request)
        offer = take(request, user, "mark_retrieved", http_request=http_request)
        now = timezone.now()
        for retrieval in request.retrievals.filter(retrieved_at__isnull=True):
            retrieval.retrieved_at, retrieval.retrieved_by = now, user
            retrieval.save(update_fields=["retrieved_at", "retrieved_by"])
        complete(request, Action.RETRIEVE_RECORDS)
        request.save(update_fields=["completed_steps", "updated_at"])
        add_note(request, user, "Records retrieved and passed to the worker.",
                 kind=CaseNote.Kind.RETRIEVAL, rule_ids=list(offer.note_rule_ids))
        return request


def return_files(request, user, *, http_request=None):
    """Business support returns paper files to storage (NOTTS-1.3)."""
    with transaction.atomic():
        request = lock(request)
        offer = take(request, user, "return_files", http_request=http_request)
        now = timezone.now()
        for retrieval in request.retrievals.filter(medium="paper", returned_at__isnull=True):
            retrieval.returned_at, retrieval.returned_by = now, user
            retrieval.save(update_fields=["returned_at", "returned_by"])
        complete(request, Action.RETURN_RECORDS)
        request.save(update_fields=["completed_steps", "updated_at"])
        add_note(request, user, "Paper files returned to the Records Management Service.",
                 kind=CaseNote.Kind.RETRIEVAL, rule_ids=list(offer.note_rule_ids))
        access.step_back(request, user)  # business support's part is done
        return request


def submit_for_check(request, user, *, check: str, http_request=None):
    """Ask the checking team the council's rules name (DEVON-5 IG, CAMDEN-9 Legal Services)."""
    with transaction.atomic():
        request = lock(request)
        before = offer_now(request, user, "submit_for_check", preview=True)
        chosen = next((c for c in (before.checks if before else ()) if c.step == check), None)
        if chosen is None:
            raise ActionRefused(["Select a check this council's rules ask for."])
        team = _team(request, chosen.team_kind)
        if team is None or not team.group_id:
            raise ActionRefused([f"There is no team to make the {chosen.label.lower()}."])
        request.pending_check, request.check_requested_by = chosen.step, user
        take(request, user, "submit_for_check", http_request=http_request,
             detail={"check": chosen.step})
        access.grant(request, team.group)
        add_note(request, user, f"Asked for {chosen.label.lower()}.", kind=CaseNote.Kind.GENERAL,
                 rule_ids=list(chosen.rule_ids))
        notify.request_reached(request, team.members.all(), f"{chosen.label} needed.")
        return request


def complete_check(request, user, *, notes: str = "", http_request=None):
    """The checking team, never the person who asked, records the check done."""
    with transaction.atomic():
        request = lock(request)
        offer = offer_now(request, user, "complete_check", preview=True)
        check = offer.check if offer else None
        if check is None:
            raise ActionRefused(["No check is waiting on this request."])
        complete(request, check.step)
        take(request, user, "complete_check", http_request=http_request,
             detail={"check": check.step})
        request.pending_check, request.check_requested_by = "", None
        request.save(update_fields=["pending_check", "check_requested_by", "updated_at"])
        add_note(request, user, f"{check.label} done. {notes}".strip(),
                 kind=CaseNote.Kind.GENERAL, rule_ids=list(check.rule_ids))
        team = _team(request, check.team_kind)
        if team and team.group_id:
            access.revoke_action(request, team.group)
        # The request goes back to the team it was routed to: for a DBS request, Safer
        # Recruitment sends the checked response (DEVON-5).
        routed = request.routed_team
        if routed and routed.group_id and routed.kind != check.team_kind:
            access.grant(request, routed.group)
        return request


def disclose(request, user, *, what_was_provided: str, method: str, provided_to: str,
             address_confirmed: bool = False, copy=None, copy_title: str = "",
             http_request=None, **facts):
    """The worker provides the information, files a copy of what was provided and case-notes
    it (ALL-3), with whatever the council's rules ask at this step (NOTTS-1.2.2 identity
    re-verified, CAMDEN-2 parents told, BH-6 the young person told …). Where the council's
    release is its send step, the send's checks see the method and whether the worker
    confirmed the address (`address_confirmed`, their answer on the form)."""
    if not what_was_provided.strip():
        raise ActionRefused(["ALL-3: Enter what information was provided."])
    if not provided_to.strip():
        raise ActionRefused(["ALL-3: Enter where the information was sent."])
    with transaction.atomic():
        request = lock(request)
        said = apply_facts(request, user, facts)
        request.save()
        title = copy_title or f"Information provided – {request.reference}"
        if copy is not None:
            Document.objects.create(
                request=request, title=title, kind=Document.Kind.FILE, file=copy,
                content_type=getattr(copy, "content_type", ""), is_disclosure_copy=True,
                uploaded_by=user,
            )
        else:
            Document.objects.create(
                request=request, title=title, kind=Document.Kind.TEXT, text=what_was_provided,
                is_disclosure_copy=True, uploaded_by=user,
            )
        complete(request, Action.DISCLOSE, Action.FILE_COPY, Action.CASE_NOTE)
        proposed = {"send": SendDetails(method=method, address_confirmed=address_confirmed,
                                        sender_id=user.pk, address=provided_to.strip())}
        offer = take(request, user, "disclose", http_request=http_request, proposed=proposed,
                     detail={"method": method, "address_confirmed": address_confirmed})
        # The council's step this release is: where its steps have no disclosure of their own
        # it is their send (DEVON-5 Safer Recruitment's response, DEVON-7 the minutes).
        complete(request, offer.step)
        request.save(update_fields=["completed_steps", "updated_at"])
        how = dict(SEND_METHOD_LABELS).get(method, method)
        add_note(
            request, user,
            f"Information provided to {request.requester.name}"
            + (f" ({request.requester.organisation})" if request.requester.organisation else "")
            + f" at {provided_to} by {how.lower()} on {timezone.localdate():%d %B %Y}: "
            f"{what_was_provided}. Approved by: {_approver(request)}."
            + ("" if not said else " " + " ".join(said)),
            kind=CaseNote.Kind.DISCLOSURE, rule_ids=list(offer.note_rule_ids),
        )
        return request


def _approver(request) -> str:
    decision = request.decisions.filter(about="sharing", outcome="approved").last()
    return decision.decided_by.get_full_name() if decision else "the practitioner's decision"
