"""Writing the request's history: case notes and audit events (ALL-2, ALL-3)."""

from __future__ import annotations

from requests_app.models import AuditEvent, CaseNote, InformationRequest


def client_details(http_request) -> dict:
    """Where an action came from, for the audit trail."""
    if http_request is None:
        return {}
    return {
        "ip_address": http_request.META.get("REMOTE_ADDR") or None,
        "user_agent": (http_request.META.get("HTTP_USER_AGENT") or "")[:255],
    }


def audit(
    actor,
    action: str,
    obj,
    *,
    request: InformationRequest | None = None,
    from_state: str = "",
    to_state: str = "",
    detail: dict | None = None,
    http_request=None,
    council_id: int | None = None,
) -> AuditEvent:
    """One audit event. ``council_id`` is for events about no request or council-owned
    object (a person's list of requests, a refused read of another council's reference)."""
    council_id = (getattr(request, "council_id", None) or getattr(obj, "council_id", None)
                  or council_id)
    return AuditEvent.objects.create(
        council_id=council_id,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        request=request,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or ""),
        from_state=from_state,
        to_state=to_state,
        detail=detail or {},
        **client_details(http_request),
    )


def add_note(
    request: InformationRequest,
    author,
    text: str,
    *,
    kind: str = CaseNote.Kind.GENERAL,
    rule_ids=(),
    corrects: CaseNote | None = None,
    subjects=None,
) -> list[CaseNote]:
    """One case note per subject's record, so each child's record can be traced (ALL-3).
    ``subjects``: other records to write it on (a correction of who the request is about is
    noted on the records of the children removed as well as those added)."""
    subjects = list(request.subjects.all() if subjects is None else subjects) or [None]
    return [
        CaseNote.objects.create(
            request=request,
            case_record=subject,
            author=author,
            text=text,
            kind=kind,
            rule_ids=list(rule_ids),
            corrects=corrects,
        )
        for subject in subjects
    ]
