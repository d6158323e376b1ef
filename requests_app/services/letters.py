"""Letters to the requester (issue 13 item 4): one service, one transaction per letter.

The council's policy says which letters the request can be sent now and what each says
(policies/letters.py); this renders it to PDF with WeasyPrint, files it on the request, and
writes the case note (citing the letter's rules) and the audit event with the file's SHA-256.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from policies.letters import long_date
from requests_app import access
from requests_app.models import CaseNote, Letter
from requests_app.packs.render import NoFetching
from requests_app.policy_adapter import policy_for
from requests_app.services.base import ActionRefused, lock
from requests_app.services.history import add_note, audit


def offered_letters(request):
    """The policy's letters for this request now (LetterText, acknowledgement first)."""
    return policy_for(request).letters(access.snapshot_for(request), timezone.localdate())


def render_letter(request, letter, user) -> bytes:
    html = render_to_string("letters/letter.html", {
        "obj": request, "letter": letter, "issued_by": user,
        "issued_on": long_date(timezone.localdate()),
    })
    return HTML(string=html, base_url=None, url_fetcher=NoFetching()).write_pdf()


def issue_letter(request, user, kind: str, *, http_request=None) -> Letter:
    if not access.may_write_letters(user, request):
        raise ActionRefused(["Only someone who holds this request, or who logged it, can "
                             "write to the requester."])
    with transaction.atomic():
        request = lock(request)
        access.forget_snapshots(request)
        letter = next((text for text in offered_letters(request) if text.kind == kind), None)
        if letter is None:
            raise ActionRefused(["The council's rules offer no such letter for this request "
                                 "now."])
        pdf = render_letter(request, letter, user)
        notes = add_note(request, user,
                         f"Letter to the requester: {letter.title}. "
                         + " ".join(letter.paragraphs),
                         kind=CaseNote.Kind.GENERAL, rule_ids=letter.rule_ids)
        filed = Letter(request=request, kind=letter.kind, title=letter.title,
                       rule_ids=list(letter.rule_ids), issued_by=user,
                       sha256=hashlib.sha256(pdf).hexdigest(), note=notes[0])
        filed.file.save("letter.pdf", ContentFile(pdf), save=False)
        filed.save()
        audit(user, "letter.issued", filed, request=request, http_request=http_request,
              detail={"kind": letter.kind, "sha256": filed.sha256,
                      "rule_ids": list(letter.rule_ids)})
        return filed
