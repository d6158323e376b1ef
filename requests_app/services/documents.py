"""Documents on a request: uploads, text records, third-party consent, downloads (ALL-5)."""

from __future__ import annotations

import hashlib

from django.db import transaction

from requests_app import access
from requests_app.models import CaseNote, Document
from requests_app.packs.limits import MAX_TEXT_PAGES, estimate_text_pages
from requests_app.packs.uploads import UploadRefused, inspect_upload
from requests_app.policy_adapter import policy_for
from requests_app.services.base import ActionRefused, lock
from requests_app.services.history import add_note, audit

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_PAGES = 500
MAX_TEXT_CHARS = 500_000


def _check(user, request) -> None:
    problems = access.document_problems(user, request)
    if problems:
        raise ActionRefused(problems)


def _consent_fields(is_third_party: bool, author_consent: str, consent_evidence: str) -> dict:
    """ALL-5, CAMDEN-9, BH-5: third-party material says who wrote it and where consent stands;
    consent granted needs its evidence."""
    if not is_third_party:
        return {"is_third_party": False, "author_consent": Document.AuthorConsent.NOT_NEEDED,
                "consent_evidence": ""}
    if author_consent == Document.AuthorConsent.NOT_NEEDED:
        author_consent = Document.AuthorConsent.REQUESTED
    if author_consent == Document.AuthorConsent.GRANTED and not consent_evidence.strip():
        raise ActionRefused(["Say how the author gave consent (for example the date of their "
                             "email or letter) — ALL-5."])
    return {"is_third_party": True, "author_consent": author_consent,
            "consent_evidence": consent_evidence.strip()}


def upload_document(request, user, *, title: str, upload, is_third_party: bool = False,
                    author_name: str = "", author_organisation: str = "",
                    author_consent: str = "", consent_evidence: str = "", http_request=None):
    """Store an uploaded PDF, PNG or JPEG after checking what it really is."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ActionRefused([f"The file must be smaller than {MAX_UPLOAD_BYTES // 2**20} MB."])
    try:
        info = inspect_upload(upload, max_pages=MAX_PAGES, max_bytes=MAX_UPLOAD_BYTES)
    except UploadRefused as refused:
        raise ActionRefused([str(refused)]) from refused
    upload.seek(0)
    consent = _consent_fields(is_third_party, author_consent, consent_evidence)
    with transaction.atomic():
        request = lock(request)
        _check(user, request)
        document = Document(
            request=request, title=title.strip() or "Untitled document", kind=Document.Kind.FILE,
            content_type=info.content_type, page_count=info.page_count, size=info.size,
            sha256=info.sha256, author_name=author_name.strip(),
            author_organisation=author_organisation.strip(), uploaded_by=user, **consent,
        )
        # The storage API picks a random name outside the web root (Document.upload_to).
        document.file.save("upload" + suffix_for(info.content_type), upload, save=False)
        document.save()
        _recorded(request, user, document, "document.upload", http_request,
                  f"Document added: '{document.title}' ({info.page_count} page"
                  f"{'s' if info.page_count != 1 else ''}).")
        return document


def add_text_record(request, user, *, title: str, text: str, is_third_party: bool = False,
                    author_name: str = "", author_organisation: str = "",
                    author_consent: str = "", consent_evidence: str = "", http_request=None):
    """A case summary, chronology or minutes written or pasted into the app."""
    text = text.replace("\r\n", "\n")
    if not text.strip():
        raise ActionRefused(["Enter the text of the record."])
    if len(text) > MAX_TEXT_CHARS:
        raise ActionRefused([f"The text must be shorter than {MAX_TEXT_CHARS:,} characters: "
                             "split it into more than one record."])
    pages = estimate_text_pages(text)
    if pages > MAX_TEXT_PAGES:
        # Bounds what one record costs to lay out when the pack is made (ADR 0011).
        raise ActionRefused([f"The text would make about {pages:,} pages in the pack; a record "
                             f"must make {MAX_TEXT_PAGES} pages or fewer. Split it into more "
                             "than one record."])
    consent = _consent_fields(is_third_party, author_consent, consent_evidence)
    with transaction.atomic():
        request = lock(request)
        _check(user, request)
        document = Document.objects.create(
            request=request, title=title.strip() or "Text record", kind=Document.Kind.TEXT,
            text=text, content_type="text/plain", page_count=None, size=len(text.encode()),
            sha256=hashlib.sha256(text.encode()).hexdigest(), author_name=author_name.strip(),
            author_organisation=author_organisation.strip(), uploaded_by=user, **consent,
        )
        _recorded(request, user, document, "document.text_record", http_request,
                  f"Text record added: '{document.title}'.")
        return document


# Document facts a council's policy may ask (`CouncilPolicy.document_facts`): the field, how
# the case note names it, and the fact code that asks it.
DOCUMENT_FACTS = {
    "what_was_given": ("What the third party gave", "provider"),
    "use_restrictions": ("Restrictions on its further use", "provider"),
    "concerns_child_protection": ("An informant's information about child protection",
                                  "informant"),
}


def record_consent(document, user, *, is_third_party: bool, author_name: str,
                   author_organisation: str, author_consent: str, consent_evidence: str,
                   what_was_given: str | None = None, use_restrictions: str | None = None,
                   concerns_child_protection: bool | None = None, http_request=None):
    """Record who wrote a document, where their consent stands (ALL-5, CAMDEN-9, BH-5) and the
    facts about it the council's policy asks (CAMDEN-8 what was given and any restriction on
    its use, BH-5 an informant's child protection information). A fact left as None is not
    asked by this council and stays as it is."""
    consent = _consent_fields(is_third_party, author_consent, consent_evidence)
    given = {"what_was_given": what_was_given, "use_restrictions": use_restrictions,
             "concerns_child_protection": concerns_child_protection}
    with transaction.atomic():
        request = lock(document.request)
        _check(user, request)
        asks = {a.code: a for a in policy_for(request).document_facts(
            access.snapshot_for(request))}
        document = Document.objects.select_for_update().get(pk=document.pk)
        before = document.get_author_consent_display()
        document.author_name = author_name.strip()
        document.author_organisation = author_organisation.strip()
        for name, value in consent.items():
            setattr(document, name, value)
        said, rule_ids, facts = [], ["ALL-5"], []
        for name, value in given.items():
            label, code = DOCUMENT_FACTS[name]
            if value is None or code not in asks:
                continue
            if not is_third_party:  # only third-party material carries these facts
                value = False if isinstance(value, bool) else ""
            value = value.strip() if isinstance(value, str) else bool(value)
            if value != getattr(document, name):
                setattr(document, name, value)
                said.append(f"{label}: {_fact_text(value)}.")
                facts.append(name)
                rule_ids += [r for r in asks[code].rule_ids if r not in rule_ids]
        document.save()
        after = document.get_author_consent_display()
        _recorded(request, user, document, "document.consent", http_request,
                  f"'{document.title}': {after.lower()}"
                  + (f" (was: {before.lower()})" if before != after else "")
                  + (f". Evidence: {document.consent_evidence}" if document.consent_evidence
                     else ".")
                  + "".join(f" {s}" for s in said),
                  rule_ids=rule_ids, detail={"from": before, "to": after,
                                             "facts": facts})
        return document


def _fact_text(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value or "(none)"


def _recorded(request, user, document, action, http_request, note, *, rule_ids=(),
              detail=None):
    add_note(request, user, note, kind=CaseNote.Kind.GENERAL, rule_ids=list(rule_ids))
    audit(user, action, document, request=request, http_request=http_request,
          detail={"title": document.title, **(detail or {})})


def suffix_for(content_type: str) -> str:
    """The file name ending for a content type we accept (names on disk and downloads)."""
    return {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}.get(
        content_type, ""
    )
