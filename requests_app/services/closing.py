"""Withdrawing, closing, and adding notes and corrections (never edits: ALL-2, BH-11)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from policies.base import Action
from requests_app import access
from requests_app.models import CaseNote
from requests_app.services.base import ActionRefused, lock, take
from requests_app.services.history import add_note, audit


def withdraw(request, user, *, reason: str, http_request=None):
    if not reason.strip():
        raise ActionRefused(["Enter why the request was withdrawn."])
    with transaction.atomic():
        request = lock(request)
        request.closed_at = timezone.now()
        take(request, user, "withdraw", http_request=http_request)
        add_note(request, user, f"Request withdrawn: {reason}", kind=CaseNote.Kind.GENERAL)
        return request


def close(request, user, *, note: str = "", family_informed_after: str = "",
          http_request=None):
    with transaction.atomic():
        request = lock(request)
        if family_informed_after:
            request.family_informed_after = family_informed_after  # CAMDEN-7
        request.closed_at = timezone.now()
        take(request, user, "close", gate=Action.CLOSE, http_request=http_request)
        told = (f" Family told what was shared: {request.get_family_informed_after_display()}."
                if family_informed_after else "")
        add_note(request, user, f"Request closed.{told} {note}".strip(),
                 kind=CaseNote.Kind.GENERAL)
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
    """A correction is a new entry pointing at the old one; the old one stays (BH-11)."""
    if note.request_id != request.pk:
        raise ActionRefused(["That note belongs to another request."])
    if not text.strip():
        raise ActionRefused(["Enter the correction."])
    if not access.is_with(user, request) and request.created_by_id != user.pk:
        raise ActionRefused(["Only people working on the request add corrections."])
    with transaction.atomic():
        notes = add_note(request, user, text, kind=CaseNote.Kind.CORRECTION, corrects=note,
                         rule_ids=["BH-11"])
        audit(user, "note.corrected", notes[0], request=request,
              detail={"corrects": note.pk}, http_request=http_request)
        return notes
