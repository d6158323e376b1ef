"""Pausing, resuming and extending the deadline clock."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from policies.deadlines import extension_unit
from requests_app import access
from requests_app.models import CaseNote, ClockPause
from requests_app.policy_adapter import policy_for
from requests_app.services.base import ActionRefused, lock, take
from requests_app.services.deadlines import refresh_due_date
from requests_app.services.history import add_note


def pause(request, user, *, reason: str, http_request=None):
    if not reason.strip():
        raise ActionRefused(["Enter why the clock is paused."])
    with transaction.atomic():
        request = lock(request)
        offer = take(request, user, "pause", http_request=http_request)
        ClockPause.objects.create(request=request, started_on=timezone.localdate(),
                                  reason=reason, paused_by=user)
        refresh_due_date(request)
        request.save()
        add_note(request, user, f"Clock paused: {reason}", kind=CaseNote.Kind.CLOCK,
                 rule_ids=list(offer.note_rule_ids))
        return request


def resume(request, user, *, http_request=None):
    with transaction.atomic():
        request = lock(request)
        offer = take(request, user, "resume", http_request=http_request)
        request.pauses.filter(ended_on__isnull=True).update(ended_on=timezone.localdate())
        refresh_due_date(request)
        request.save()
        add_note(request, user, f"Clock restarted. New due date {request.due_date:%d %B %Y}.",
                 kind=CaseNote.Kind.CLOCK, rule_ids=list(offer.note_rule_ids))
        return request


def extend(request, user, *, days: int, reason: str, http_request=None):
    """One extension, with a reason."""
    if not reason.strip():
        raise ActionRefused(["Enter the reason for the extension."])
    if days < 1 or days > 60:
        raise ActionRefused(["The extension must be between 1 and 60 days."])
    with transaction.atomic():
        request = lock(request)
        offer = take(request, user, "extend", http_request=http_request, detail={"days": days})
        request.extension_days, request.extension_reason = days, reason
        refresh_due_date(request)
        request.save()
        unit = extension_unit(policy_for(request).deadline(access.snapshot_for(request)).unit)
        add_note(request, user, f"Deadline extended by {days} {unit} to "
                 f"{request.due_date:%d %B %Y}: {reason}", kind=CaseNote.Kind.CLOCK,
                 rule_ids=list(offer.note_rule_ids))
        return request
