"""What goes into a pack, read from the database: the engine's `PackSpec`, the fingerprint that
says whether a generated pack is still current, and the record of what went (`Pack.contents`).

Every field the pack prints about the request and its documents (titles, authors,
organisations, the cover's names and reasons) passes through `printed_terms`: a term redacted
anywhere in the request's documents is printed as its reason code, never as written.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from django.utils import timezone

from requests_app.models import DisclosureDecision, Document, Pack, Redaction, RedactionReason
from requests_app.packs import spec as s
from requests_app.redaction.printed import PrintedTerms


def items_of(pack: Pack) -> list[Document]:
    return [item.document for item in pack.items.select_related("document").order_by(
        "position", "pk")]


def _active(document: Document):
    return list(document.redactions.filter(undone_at__isnull=True).order_by("pk"))


def fingerprint(pack: Pack) -> str:
    """Changes whenever the chosen documents or any redaction on the request changes (any of
    them can change what the cover and index print: `printed_terms`)."""
    parts = [pack.request_id, pack.version]
    for document in items_of(pack):
        parts.append([document.pk, document.sha256, [r.pk for r in _active(document)]])
    parts.append(list(_request_redactions(pack.request).values_list("pk", flat=True)))
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _request_redactions(request):
    return Redaction.objects.filter(
        document__request=request, document__is_disclosure_copy=False, undone_at__isnull=True,
    ).order_by("pk")


def printed_terms(request) -> PrintedTerms:
    """Every active redaction's words on any of the request's documents, with its reason.

    The whole request, not only the pack's documents: a name redacted in one record may be
    the author of another, or the title of a record listed as withheld on the cover. Every
    redaction counts, not only "every instance": a name cut from a record by selecting it
    is as much a secret in the index as one cut everywhere. Box redactions count with the
    text under the box, when the page has text.
    """
    return PrintedTerms.of(_request_redactions(request).values_list("text", "reason"))


def withheld(pack: Pack, printed: PrintedTerms | None = None) -> list[s.Withheld]:
    """Documents on the request left out of the pack, and why (for the cover sheet)."""
    clean = (printed or printed_terms(pack.request)).clean
    chosen = {d.pk for d in items_of(pack)}
    out = []
    for document in pack.request.documents.filter(is_disclosure_copy=False).order_by("pk"):
        if document.pk in chosen:
            continue
        if document.is_third_party and document.author_consent != "granted":
            why = (f"Third-party material ({document.author_line or 'another agency'}) without "
                   "the author's consent (ALL-5).")
        else:
            why = "Not within the information approved for sharing."
        out.append(s.Withheld(clean(document.title), clean(why)))
    return out


def _approvals(request) -> list[s.Approval]:
    out = []
    for decision in request.decisions.filter(
        outcome=DisclosureDecision.Outcome.APPROVED
    ).select_related("decided_by").order_by("decided_at"):
        what = {"sharing": "Sharing approved", "hard_copies": "Hard copies approved"}.get(
            decision.about, decision.get_about_display())
        out.append(s.Approval(what, decision.decided_by.get_full_name(),
                              f"{timezone.localtime(decision.decided_at):%d %B %Y}"))
    for event in request.audit_events.filter(action="request.complete_check").select_related(
        "actor"
    ):
        check = (event.detail or {}).get("check", "").replace("_", " ")
        out.append(s.Approval(f"{check.capitalize()} done",
                              event.actor.get_full_name() if event.actor else "",
                              f"{timezone.localtime(event.at):%d %B %Y}"))
    return out


def build_spec(pack: Pack) -> s.PackSpec:
    request = pack.request
    printed = printed_terms(request)
    clean = printed.clean
    items = []
    codes = Counter()
    for document in items_of(pack):
        redactions = _active(document)
        codes.update(r.reason for r in redactions)
        common = {"title": clean(document.title), "author": clean(document.author_name),
                  "organisation": clean(document.author_organisation)}
        if document.kind == Document.Kind.TEXT:
            spans = tuple(s.TextSpan(r.start, r.end, r.reason) for r in redactions
                          if r.start is not None)
            items.append(s.TextItem(text=document.text, spans=spans, **common))
        elif document.is_pdf:
            boxes: dict[int, list[s.Box]] = {}
            for r in redactions:
                if r.page is not None:
                    boxes.setdefault(r.page, []).append(s.Box(r.x0, r.y0, r.x1, r.y1, r.reason))
            items.append(s.PdfItem(path=document.file.path,
                                   boxes={p: tuple(b) for p, b in boxes.items()}, **common))
        else:
            items.append(s.ImageItem(path=document.file.path, boxes=tuple(
                s.Box(r.x0, r.y0, r.x1, r.y1, r.reason) for r in redactions if r.page == 0
            ), **common))
    requester = request.requester
    printed_fields = dict(
        requester=clean(requester.name),
        requester_organisation=clean(requester.organisation),
        subjects=printed.clean_all(c.name for c in request.subjects.order_by("pk")),
        lawful_basis=clean(_lawful_basis(request)),
        approvals=tuple(s.Approval(clean(a.what), clean(a.name), a.when)
                        for a in _approvals(request)),
        withheld=tuple(withheld(pack, printed)),
        prepared_by=clean(pack.created_by.get_full_name()),
    )
    codes.update(printed.used)  # a code printed in a heading is explained on the cover too
    cover = s.Cover(
        reference=request.reference,
        reasons=tuple(s.ReasonCode(code, RedactionReason(code).label) for code in sorted(codes)),
        **printed_fields,
        prepared_on=f"{timezone.localdate():%d %B %Y}",
        version=pack.version,
    )
    return s.PackSpec(cover=cover, items=tuple(items))


def _lawful_basis(request) -> str:
    parts = [request.lawful_basis.strip()]
    if request.consent:
        parts.append(f"Consent: {request.get_consent_display().lower()}"
                     + (f" ({request.consent_evidence.strip()})"
                        if request.consent_evidence.strip() else ""))
    if request.public_interest_justification.strip():
        parts.append(f"Public interest: {request.public_interest_justification.strip()}")
    return ". ".join(p for p in parts if p) or "Not recorded"


def contents_record(pack: Pack, spec: s.PackSpec, result) -> dict:
    """What went, kept with the pack for ever: the case note and audits are built from it."""
    documents = []
    for document, item, pages in zip(items_of(pack), spec.items, result.item_pages,
                                     strict=True):
        reasons = Counter(r.reason for r in _active(document))
        documents.append({
            "id": document.pk, "title": document.title, "sha256": document.sha256,
            "pages": list(pages), "redactions": item.redaction_count,
            "reasons": dict(sorted(reasons.items())),
            "redaction_ids": [r.pk for r in _active(document)],
        })
    return {
        "documents": documents,
        "withheld": [{"title": w.title, "why": w.why} for w in spec.cover.withheld],
        "page_count": result.page_count,
    }
