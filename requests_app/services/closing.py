"""Withdrawing, closing, and adding notes and corrections (never edits: ALL-2, BH-11)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from requests_app import access
from requests_app.models import CaseNote
from requests_app.services.base import ActionRefused, lock, take
from requests_app.services.facts import apply_facts
from requests_app.services.history import add_note, audit


def withdraw(request, user, *, reason: str, http_request=None):
    if not reason.strip():
        raise ActionRefused(["Enter why the request was withdrawn."])
    with transaction.atomic():
        request = lock(request)
        request.closed_at = timezone.now()
        offer = take(request, user, "withdraw", http_request=http_request)
        add_note(request, user, f"Request withdrawn: {reason}", kind=CaseNote.Kind.GENERAL,
                 rule_ids=list(offer.note_rule_ids))
        return request


def close(request, user, *, note: str = "", http_request=None, **facts):
    """Close, with whatever the council's rules ask at the end (CAMDEN-7 the family told,
    BH-10 a deletion request answered)."""
    with transaction.atomic():
        request = lock(request)
        said = apply_facts(request, user, facts)
        request.closed_at = timezone.now()
        offer = take(request, user, "close", http_request=http_request)
        add_note(request, user, " ".join(["Request closed.", *said, note]).strip(),
                 kind=CaseNote.Kind.GENERAL, rule_ids=list(offer.note_rule_ids))
        return request


def accept_referral(request, user, *, note: str = "", http_request=None):
    """The team a referral went to takes it on under its own procedure (a SAR, adoption
    records …): it leaves this workflow, with the note of what the requester was told."""
    with transaction.atomic():
        request = lock(request)
        request.closed_at = timezone.now()
        offer = take(request, user, "accept_referral", http_request=http_request)
        add_note(request, user, " ".join([
            f"Referral taken on by {user.get_full_name()}"
            + (f" ({request.referred_team.name})." if request.referred_team else "."),
            note]).strip(), kind=CaseNote.Kind.REFERRAL, rule_ids=list(offer.note_rule_ids))
        return request


def add_case_note(request, user, *, text: str, http_request=None):
    if not text.strip():
        raise ActionRefused(["Enter the case note."])
    if not access.is_with(user, request) and request.created_by_id != user.pk:
        raise ActionRefused(["Only people working on the request add case notes."])
    with transaction.atomic():
        notes = add_note(request, user, text, kind=CaseNote.Kind.GENERAL)
        audit(user, "note.added", notes[0], request=request, http_request=http_request)
        return notes


def add_correction(request, user, *, note: CaseNote, text: str, http_request=None):
    """A correction is a new entry pointing at the old one; the old one stays (ALL-2)."""
    if note.request_id != request.pk:
        raise ActionRefused(["That note belongs to another request."])
    if not text.strip():
        raise ActionRefused(["Enter the correction."])
    if not access.is_with(user, request) and request.created_by_id != user.pk:
        raise ActionRefused(["Only people working on the request add corrections."])
    from policies.base import Action
    from policies.registry import get_policy

    rules = get_policy(request.council.slug).who_may(
        Action.CORRECT, access.snapshot_for(request)).rule_ids
    with transaction.atomic():
        notes = add_note(request, user, text, kind=CaseNote.Kind.CORRECTION, corrects=note,
                         rule_ids=list(rules))
        audit(user, "note.corrected", notes[0], request=request,
              detail={"corrects": note.pk}, http_request=http_request)
        return notes
