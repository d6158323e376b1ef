"""Correcting a request's recorded facts: a new entry per change, never a silent overwrite
(ALL-2, BH-11).

Each changed field becomes a `RequestAmendment` with who, when, why and the old value; the
request then shows the new value. The deadline is worked out again when the date received
changes, and the council's routing is run again on the corrected facts: if it would now send
the request somewhere else the case note says so, but the request is not moved (a manager can
change the route, with a reason, through `services.routing.override_route`).
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from requests_app import access
from requests_app.models import (
    AgencyType,
    CaseNote,
    CaseRecord,
    Channel,
    Consent,
    RequestAmendment,
    Requester,
    RequestType,
    Team,
)
from requests_app.policy_adapter import policy_for
from requests_app.services.base import ActionRefused, lock, take
from requests_app.services.deadlines import refresh_due_date
from requests_app.services.history import add_note

# The requester's details: a change is made on a requester row of this request's own.
REQUESTER_FIELDS = {
    "requester_name": ("name", "Requester's name"),
    "requester_organisation": ("organisation", "Requester's organisation"),
    "requester_agency_type": ("agency_type", "Type of agency"),
    "requester_email": ("email", "Requester's email address"),
    "requester_secure_email": ("secure_email", "Requester's secure email address"),
    "requester_phone": ("phone", "Requester's phone number"),
    "requester_identity_evidence": ("identity_evidence", "How the requester's identity was "
                                                         "established"),
}
# The request's own facts.
REQUEST_FIELDS = {
    "request_type": "Type of request",
    "information_sought": "What is asked for",
    "channel": "How the request arrived",
    "received_at": "Date received",
    "consent": "Consent",
    "consent_evidence": "Evidence of consent",
    "lawful_basis": "Lawful basis",
    "public_interest_justification": "Public interest justification",
    "necessity_note": "Why this is necessary and proportionate",
    "received_by_team": "Where the request first arrived",
}
SUBJECTS_LABEL = "Who the request is about"
LABELS = {**{k: v[1] for k, v in REQUESTER_FIELDS.items()}, **REQUEST_FIELDS,
          "subjects": SUBJECTS_LABEL}
CHOICES = {
    "requester_agency_type": dict(AgencyType.choices),
    "request_type": dict(RequestType.choices),
    "channel": dict(Channel.choices),
    "consent": dict(Consent.choices),
}
REQUIRED = {
    "requester_name": "Enter the requester's name",
    "requester_agency_type": "Select the type of agency",
    "request_type": "Select the type of request",
    "information_sought": "Enter what information is asked for",
    "channel": "Select how the request arrived",
    "received_at": "Enter the date the request was received",
}


def current_values(request) -> dict:
    """The request's facts as the correction form shows and compares them."""
    requester = request.requester
    values = {key: getattr(requester, attr) for key, (attr, _) in REQUESTER_FIELDS.items()}
    values.update({key: getattr(request, key) for key in REQUEST_FIELDS
                   if key not in ("received_at", "received_by_team")})
    values["received_at"] = timezone.localtime(request.received_at).date()
    values["received_by_team"] = request.received_by_team
    values["subjects"] = list(request.subjects.order_by("pk"))
    return values


def _as_text(key: str, value) -> str:
    """A value as the amendment history and the case note show it."""
    if value in (None, "") or value == []:
        return "(none)"
    if key in CHOICES:
        return str(CHOICES[key].get(value, value))
    if key == "received_at":
        return f"{value:%-d %B %Y}"
    if key == "received_by_team":
        return value.name
    if key == "subjects":
        return "; ".join(f"{c.name} ({c.reference})" for c in value)
    return str(value)


def _clean(request, key: str, value):
    """The value as it would be stored, or ActionRefused with a GOV.UK message."""
    if key in REQUIRED and value in (None, ""):
        raise ActionRefused([REQUIRED[key]])
    if key in CHOICES and value and value not in CHOICES[key]:
        raise ActionRefused([f"Select a valid {LABELS[key].lower()}"])
    if key in ("requester_email", "requester_secure_email") and value:
        try:
            validate_email(value.strip())
        except ValidationError:
            raise ActionRefused(["Enter an email address in the correct format, like "
                                 "name@example.com"]) from None
    if key == "received_at":
        if isinstance(value, datetime):
            value = timezone.localtime(value).date()
        if not isinstance(value, date):
            raise ActionRefused(["Enter the date the request was received"])
        if value > timezone.localdate():
            raise ActionRefused(["The date the request was received must be today or in the "
                                 "past"])
        return value
    if key == "received_by_team":
        if value is not None and (not isinstance(value, Team)
                                  or value.council_id != request.council_id):
            raise ActionRefused(["Select a team of this council"])
        return value
    if key == "subjects":
        records = list(value or [])
        if not records:
            raise ActionRefused(["Select at least one child or young person the request is "
                                 "about"])
        if any(not isinstance(c, CaseRecord) or c.council_id != request.council_id
               for c in records):
            raise ActionRefused(["Select case records of this council"])
        return sorted(set(records), key=lambda c: c.pk)
    return value.strip() if isinstance(value, str) else value


def changed(request, changes: dict) -> dict[str, tuple]:
    """{field: (old, new)} for every field whose value really changes."""
    unknown = set(changes) - set(LABELS)
    if unknown:
        raise ActionRefused([f"These cannot be corrected here: {', '.join(sorted(unknown))}."])
    now = current_values(request)
    out = {}
    for key, value in changes.items():
        new = _clean(request, key, value)
        old = now[key]
        same = ([c.pk for c in old] == [c.pk for c in new]) if key == "subjects" else (
            (old or "") == (new or "") if isinstance(old, str) or old is None else old == new)
        if not same:
            out[key] = (old, new)
    return out


def correct_request(request, user, *, changes: dict, reason: str, http_request=None):
    """Correct a request's recorded facts (ALL-2, BH-11): one amendment per changed field with
    the old value and the reason, the deadline and routing worked out again, a case note on
    every child's record (before and after) and an audit event listing the fields."""
    if not (reason or "").strip():
        raise ActionRefused(["Enter the reason for the correction"])
    reason = reason.strip()
    with transaction.atomic():
        request = lock(request)
        problems = access.access_problems(user, request, "correct")
        if problems:
            raise ActionRefused(problems)
        diff = changed(request, changes)
        if not diff:
            raise ActionRefused(["Nothing has changed: change at least one detail, or cancel"])
        old_subjects = list(request.subjects.all())
        # Who may correct is judged on the request as it was, before the change.
        offer = take(request, user, "correct", http_request=http_request,
                     detail={"fields": sorted(diff)})
        for key, (old, new) in diff.items():
            RequestAmendment.objects.create(
                request=request, field=key, label=LABELS[key], old_value=_as_text(key, old),
                new_value=_as_text(key, new), reason=reason, amended_by=user,
            )
        _apply(request, diff)
        request.save()
        if "received_at" in diff:
            refresh_due_date(request)
            request.save(update_fields=["due_date", "statutory_due_date",
                                        "deadline_explanation", "updated_at"])
        lines = [f"Request details corrected. Reason: {reason}"]
        lines += [f"{LABELS[k]}: {_as_text(k, old)} → {_as_text(k, new)}"
                  for k, (old, new) in diff.items()]
        if "received_at" in diff and request.due_date:
            lines.append(f"Due date now {request.due_date:%-d %B %Y}.")
        routing = rerouted(request)
        if routing is not None:
            lines.append(f"Routing now: {routing} (was: {request.route_explanation}) — the "
                         "request has not been moved; a manager can change who has it.")
        subjects = {c.pk: c for c in [*old_subjects, *request.subjects.all()]}
        add_note(request, user, "\n".join(lines), kind=CaseNote.Kind.CORRECTION,
                 rule_ids=list(offer.note_rule_ids), subjects=list(subjects.values()))
        return request


def rerouted(request) -> str | None:
    """The council's routing on the corrected facts, if it differs from the recorded one."""
    if not request.route_explanation:
        return None  # not routed yet: triage will route on the corrected facts
    access.forget_snapshots(request)
    routing = policy_for(request).route(access.snapshot_for(request))
    return routing.explanation if routing.explanation != request.route_explanation else None


def _apply(request, diff: dict) -> None:
    requester_changes = {REQUESTER_FIELDS[k][0]: new for k, (_, new) in diff.items()
                         if k in REQUESTER_FIELDS}
    if requester_changes:
        request.requester = _own_requester(request, requester_changes)
    for key, (_, new) in diff.items():
        if key in REQUEST_FIELDS and key != "received_at":
            setattr(request, key, new)
    if "received_at" in diff:
        # Deadlines run from the date; keep the time of day it was logged at.
        request.received_at = timezone.localtime(request.received_at).replace(
            year=diff["received_at"][1].year, month=diff["received_at"][1].month,
            day=diff["received_at"][1].day)
    if "subjects" in diff:
        request.subjects.set(diff["subjects"][1])


def _own_requester(request, updates: dict) -> Requester:
    """The requester row with the corrections. A row other requests also use is never edited
    (their history would change): this request gets a corrected copy of its own."""
    requester = request.requester
    if requester.requests.exclude(pk=request.pk).exists():
        requester.pk = None
        requester._state.adding = True
    for attr, value in updates.items():
        setattr(requester, attr, value)
    requester.save()
    return requester
