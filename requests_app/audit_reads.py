"""Every read of personal data is audited, from one place (issue 11, ALL-3, MIRRA 10–11).

`ReadAuditMiddleware` looks at each response after the view (and Django's handling of any
exception it raised) and, for the URL names in `READS`, writes one `AuditEvent`:

- the page was shown (2xx, or 422: a form shown again with its page) → the action in `READS`,
  detail ``kind: "read"``;
- it was refused (403, 404) to someone signed in → ``read.refused``, so information
  governance can see who tried to open what;
- it failed (5xx) → ``read.failed``.

Redirects write nothing: the page redirected to is read, and audited, on its own. Changes are
audited by their services (`services.history.audit`), never here.

A view never writes its own read event; it may only add detail (`describe`), e.g. the SHA-256
of the file a download sent. A URL name in neither table is still audited (as
``page.viewed``), and `tests/test_read_audit.py` fails until someone decides which table it
belongs in, so a new page cannot be forgotten.

If writing the event fails the response is not sent (the exception becomes a 500): no read
without its audit.
"""

from __future__ import annotations

from requests_app.services.history import audit

# URL name → the audit action written when the page is shown. Every page under a request
# shows at least its reference, requester and subjects; some show far more.
READS: dict[str, str] = {
    "home": "home.viewed",  # the lists of requests: references, requesters, due dates
    "log_request": "log_request.viewed",  # searching the council's children's case records
    # Search-as-you-type on "Log a request": each query (in detail.query) shows the children's
    # names, dates of birth and references, or known requesters' names and contacts.
    "log_request_children": "case_records.searched",
    "log_request_requesters": "requesters.searched",
    # Search: the query, and how many requests and records it found (views/search.py).
    "search": "search.viewed",
    # CSV exports: what was exported, the filters and the number of rows (views/exports.py).
    "export_home": "export.downloaded",
    "export_search": "export.downloaded",
    "request_detail": "request.viewed",
    "triage": "triage.viewed",
    "add_note": "note_form.viewed",
    "correct_note": "note_form.viewed",
    "correct_request": "correction_form.viewed",
    "act": "action.viewed",
    "document_add": "document_form.viewed",
    "document_text_add": "document_form.viewed",
    "document_consent": "document_consent.viewed",
    "document_download": "document.download",  # the original, unredacted file
    "document_detail": "document.viewed",  # the unredacted text or page, and suggestions
    "document_page_image": "document_page.viewed",  # an unredacted page as a picture
    # POST-only: on success they redirect (the change is audited by its service); refused,
    # they show the redaction screen again, the whole document with it.
    "redact": "document.viewed",
    "redaction_undo": "document.viewed",
    "suggestion_accept": "document.viewed",
    "suggestion_reject": "document.viewed",
    "redact_every_instance": "every_instance.viewed",  # the preview lists every match
    "pack": "pack.viewed",
    # POST-only, like redact: a refusal shows the pack page again.
    "pack_choose": "pack.viewed",
    "pack_new_version": "pack.viewed",
    "pack_step": "pack.viewed",
    "pack_download": "pack.download",
    # Information governance. The viewer's read records the filters; the export records
    # the filters and the number of rows (views/audit.py `describe`s them).
    "audit_log": "audit.viewed",
    "audit_export": "audit.exported",
    "child_register": "register.viewed",  # everything that left the council about a child
    # The person's own notifications: references and why each reached them.
    "notifications": "notifications.viewed",
    "letter_download": "letter.download",  # a letter to the requester, with its SHA-256
    # Reports (issue 12): council-wide figures, and each refusal's reference and reasons.
    # The detail names the report and its filters; the CSV's also how many lines went.
    "report": "report.viewed",
    "report_csv": "report.exported",
}

# Namespaces read as a whole. The admin holds reference data only (councils, teams, staff:
# see admin.py), but who looked at staff records is still worth knowing.
NAMESPACE_READS: dict[str, str] = {
    "admin": "admin.viewed",
}

# URL name → why reading it is not audited. Anything here must show no personal data, or
# nothing beyond what an audited page has just shown the same person.
NOT_READS: dict[str, str] = {
    "login": "The sign-in page shows nothing about anyone (sign-ins are their own events).",
    "logout": "Signing out shows nothing about anyone.",
    "notification_open": (
        "Shows nothing: it marks the person's own notification read (audited by the service "
        "as notification.read) and redirects to the request, whose page is audited as "
        "request.viewed (or read.refused)."
    ),
    "letter_issue": (
        "POST only: issuing a letter is a change, audited by its service (letter.issued); "
        "success and refusal both redirect to the request page, which is read on its own."
    ),
    "oidc_start": "Redirects to the council's identity provider; shows nothing.",
    "oidc_callback": (
        "The identity provider's return: it signs in (an auth.* event) or shows a refusal "
        "naming only the email address the person's own provider gave."),
    "confirm_sign_in": (
        "'Confirm it is you' asks the signed-in person for their password; it shows nothing "
        "about anyone else (confirmations are auth.reauthenticated / auth.reauth_failed)."),
    "confirm_with_provider": "Redirects to the person's identity provider; shows nothing.",
    "reports": "The list of reports: their names and what each counts, no figures or people.",
    "ping": (
        "Answers 'ok' to a signed-in person and shows nothing else: the benchmark's yardstick "
        "for the cost of the framework alone (bench/load.py)."
    ),
    "pack_progress": (
        "Polled every second or two by the pack page (audited as pack.viewed) while a pack is "
        "generated: it shows the run's status, percentage and the title of the document being "
        "rendered, all of which the pack page shows. Auditing each poll would bury the real "
        "reads under hundreds of identical events."
    ),
}

REFUSED = "read.refused"
FAILED = "read.failed"
UNCLASSIFIED = "page.viewed"

# Kwargs of our URL patterns (and the admin's object_id) that name the thing shown.
_KEPT_KWARGS = ("action", "page", "version", "step", "rid", "corrects", "object_id",
                "case_id", "group")


def action_for(url_name: str | None, namespaces=()) -> str | None:
    """The read action for a URL, None if it is exempt (NOT_READS)."""
    for namespace in namespaces:
        if namespace in NAMESPACE_READS:
            return NAMESPACE_READS[namespace]
    if url_name in READS:
        return READS[url_name]
    if url_name in NOT_READS:
        return None
    return UNCLASSIFIED


def describe(http_request, **detail) -> None:
    """Add detail to the read event this request will write (e.g. a download's SHA-256)."""
    if not hasattr(http_request, "_read_detail"):
        http_request._read_detail = {}
    http_request._read_detail.update(detail)


def shown(http_request, request_obj) -> None:
    """The view found the request it shows (within the person's council): the read event
    links it without looking the reference up again. Detail only, like `describe`."""
    http_request._read_request = (request_obj.pk, request_obj.council_id, request_obj.reference)


def _clean(value: str, limit: int = 500) -> str:
    # PostgreSQL's jsonb refuses NUL characters: a crafted query must not turn into a 500.
    return value.replace("\x00", "")[:limit]


def _subjects(actor, kwargs, known=None):
    """The request, document, pack or child's record a URL names, as unsaved stand-ins
    carrying their ids (one indexed SELECT; nothing else is loaded). Only the actor's own
    council is looked in: a reference from another council is kept in the detail, never
    linked. ``known``: (id, council id, reference) of the request the view already found."""
    from requests_app.models import CaseRecord, Document, InformationRequest, Pack

    if "case_id" in kwargs and actor.council_id:  # a child's register: the child's record
        found = CaseRecord.objects.filter(council_id=actor.council_id,
                                          pk=kwargs["case_id"]).values_list("pk").first()
        return (None, CaseRecord(pk=found[0], council_id=actor.council_id)) if found else (
            None, None)
    reference = kwargs.get("reference")
    if not reference or not actor.council_id or "\x00" in str(reference):
        return None, None
    if (known and known[1] == actor.council_id and known[2] == reference
            and "version" not in kwargs):
        request = InformationRequest(pk=known[0], council_id=actor.council_id)
        if "pk" in kwargs:
            return request, Document(pk=kwargs["pk"], request_id=known[0])
        return request, request
    found = InformationRequest.objects.filter(council_id=actor.council_id,
                                              reference=reference)
    if "version" in kwargs:
        from django.db.models import OuterRef, Subquery

        found = found.annotate(pack_id=Subquery(Pack.objects.filter(
            request=OuterRef("pk"), version=kwargs["version"]).values("pk")[:1]))
        row = found.values_list("pk", "pack_id").first()
    else:
        row = found.values_list("pk").first()
    if row is None:
        return None, None
    request = InformationRequest(pk=row[0], council_id=actor.council_id)
    if "pk" in kwargs:
        return request, Document(pk=kwargs["pk"], request_id=row[0])
    if "version" in kwargs and row[1] is not None:
        return request, Pack(pk=row[1], request_id=row[0])
    return request, request


class ReadAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, http_request):
        response = self.get_response(http_request)
        match = getattr(http_request, "resolver_match", None)
        actor = getattr(http_request, "user", None)
        if match is None or actor is None or not actor.is_authenticated:
            return response
        action = action_for(match.url_name, match.namespaces)
        if action is None:
            return response
        status = response.status_code
        if 200 <= status < 300 or status == 422:
            kind = "read"
        elif status in (403, 404):
            action, kind = REFUSED, "read_refused"
        elif status >= 500:
            action, kind = FAILED, "read_failed"
        else:
            return response
        self.write(http_request, actor, action, kind, match, status)
        return response

    @staticmethod
    def write(http_request, actor, action, kind, match, status):
        kwargs = match.kwargs
        request, obj = _subjects(actor, kwargs, getattr(http_request, "_read_request", None))
        detail = {
            "kind": kind,
            "url_name": match.view_name,
            "method": http_request.method,
            "status": status,
            "path": _clean(http_request.path),
            **{k: kwargs[k] for k in _KEPT_KWARGS if k in kwargs},
        }
        if kind != "read":
            detail["would_be"] = action_for(match.url_name, match.namespaces)
        if kwargs.get("reference"):
            detail["reference"] = _clean(str(kwargs["reference"]), 60)
        if "pk" in kwargs:
            detail["document_id"] = kwargs["pk"]
        query = http_request.META.get("QUERY_STRING", "")
        if query:
            detail["query"] = _clean(query)
        detail.update(getattr(http_request, "_read_detail", {}))
        audit(actor, action, obj, request=request, council_id=actor.council_id, detail=detail,
              http_request=http_request)
