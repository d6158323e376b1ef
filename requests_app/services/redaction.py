"""Redacting documents: by hand, every instance of a term or pattern, or from suggestions.

Every redaction carries a reason code and lands in the document's redaction log; it can be
undone (the log keeps both) until a pack holding the document is finalised. Offsets are into
`Document.text` for text records; boxes are page fractions (top-left origin) for PDFs and
images, the same coordinates the browser draws in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from policies.registry import get_policy
from requests_app import access
from requests_app.models import Document, Redaction, RedactionReason, RejectedSuggestion
from requests_app.packs import pages
from requests_app.redaction import matching
from requests_app.redaction.folding import whole_clusters
from requests_app.redaction.suggest import CaseFacts, suggest
from requests_app.services.base import ActionRefused, lock
from requests_app.services.history import audit

# The council policy's suggestion categories, as reason codes (policies/*.redactions()).
POLICY_REASONS = {
    "third_party": "TP", "informant": "TP", "adopter": "AD", "placement_address": "PL",
    "restriction": "PD", "family_wish": "PD",
}
POLICY_LABELS = {
    "third_party": "Third party", "informant": "Informant", "adopter": "Adopter",
    "placement_address": "Placement address", "restriction": "Not to be shared",
    "family_wish": "Family's wishes",
}


@dataclass(frozen=True)
class Match:
    """One place a term, pattern or suggestion was found."""

    start: int
    end: int
    text: str
    page: int | None = None  # PDFs: the page; offsets are into that page's text
    boxes: tuple[tuple[float, float, float, float], ...] = ()
    context: str = ""


@dataclass(frozen=True)
class Suggestion:
    key: str
    label: str
    reason: str
    rule_ids: tuple[str, ...]
    match: Match
    category: str = ""


@dataclass
class Preview:
    """What 'redact every instance' would do, before it is done."""

    matches: dict[int, list[Match]] = field(default_factory=dict)  # document id -> matches

    @property
    def count(self) -> int:
        return sum(len(found) for found in self.matches.values())


# ---- the lock --------------------------------------------------------------------------------


def locked_by(document: Document):
    """The finalised pack that fixes this document's redactions, if any (a new version frees
    them: `services.packs.new_version`)."""
    latest = document.request.packs.order_by("-version").first()
    if latest and latest.locked and latest.items.filter(document=document).exists():
        return latest
    return None


def redaction_problems(user, document: Document) -> list[str]:
    problems = access.document_problems(user, document.request)
    if problems:
        return problems
    pack = locked_by(document)
    if pack is not None:
        return [f"Pack version {pack.version} is {pack.get_status_display().lower()}: start a new "
                "version to change its redactions."]
    return []


def _check(user, document) -> None:
    problems = redaction_problems(user, document)
    if problems:
        raise ActionRefused(problems)


def _reason(reason: str) -> str:
    if reason not in RedactionReason.values:
        raise ActionRefused(["Select why this is being redacted."])
    return reason


# ---- making and undoing redactions ---------------------------------------------------------


class SelectionRefused(ActionRefused):
    """The posted selection is not in the record, or not the words the person selected: the
    screen drops it rather than show the wrong words as selected."""


def redact_text(document, user, *, start: int, end: int, reason: str, note: str = "",
                expected: str | None = None, source: str = Redaction.Source.MANUAL,
                http_request=None) -> Redaction:
    """Redact characters start..end of a text record (a selection made in the browser).

    Offsets are Python string indices (code points) into `Document.text`. `expected` is the
    text the person selected: if the record holds other words there, nothing is redacted
    (redacting the wrong words would disclose the right ones). A span that cuts a letter from
    its accent or splits an emoji is widened to whole characters.
    """
    reason = _reason(reason)
    if document.kind != Document.Kind.TEXT:
        raise ActionRefused(["Only text records are redacted by selecting text; draw a box on "
                             "the page instead."])
    text = document.text
    if not (0 <= start < end):
        raise ActionRefused(["Select the text to redact, then choose a reason."])
    if end > len(text):
        raise SelectionRefused([
            f"The selection runs past the end of the record ({len(text):,} characters), so "
            "nothing was redacted: select the text to redact again, then choose a reason."])
    if expected is not None and _lines(expected) != _lines(text[start:end]):
        raise SelectionRefused([
            f"The words selected (‘{_short(expected)}’) are not the words at that place in "
            f"the record (‘{_short(text[start:end])}’), so nothing was redacted. Reload the "
            "page and select the words again."])
    start, end = whole_clusters(text, start, end)
    with transaction.atomic():
        lock(document.request)
        _check(user, document)
        redaction = Redaction.objects.create(
            document=document, start=start, end=end, text=text[start:end],
            reason=reason, note=note[:255], source=source, created_by=user,
        )
        _audit(user, "redaction.add", redaction, http_request)
        return redaction


def redact_box(document, user, *, page: int, box: tuple[float, float, float, float],
               reason: str, note: str = "", source: str = Redaction.Source.MANUAL,
               text: str | None = None, http_request=None) -> Redaction:
    """Redact a box drawn on page `page` of an uploaded PDF or image."""
    reason = _reason(reason)
    if document.kind != Document.Kind.FILE:
        raise ActionRefused(["Boxes are drawn on uploaded PDFs and images."])
    if not (0 <= page < (document.page_count or 1)):
        raise ActionRefused(["That page is not in the document."])
    x0, y0, x1, y1 = (min(max(float(v), 0.0), 1.0) for v in box)
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    if x1 - x0 < 0.002 or y1 - y0 < 0.002:
        raise ActionRefused(["Draw a box over what should be redacted."])
    if text is None:
        text = _text_under(document, page, (x0, y0, x1, y1))
    with transaction.atomic():
        lock(document.request)
        _check(user, document)
        redaction = Redaction.objects.create(
            document=document, page=page, x0=x0, y0=y0, x1=x1, y1=y1, text=text,
            reason=reason, note=note[:255], source=source, created_by=user,
        )
        _audit(user, "redaction.add", redaction, http_request)
        return redaction


def undo(redaction: Redaction, user, *, http_request=None) -> Redaction:
    with transaction.atomic():
        lock(redaction.document.request)
        redaction = Redaction.objects.select_for_update().get(pk=redaction.pk)
        _check(user, redaction.document)
        if redaction.undone_at is not None:
            return redaction
        redaction.undone_at, redaction.undone_by = timezone.now(), user
        redaction.save(update_fields=["undone_at", "undone_by"])
        _audit(user, "redaction.undo", redaction, http_request)
        return redaction


# ---- every instance ------------------------------------------------------------------------


def find_every_instance(documents, *, term: str = "", pattern: str = "") -> Preview:
    """Where a name, address or term (or a wildcard pattern) appears in each document."""
    if bool(term.strip()) == bool(pattern.strip()):
        raise ActionRefused(["Enter a name, address or term, or a pattern — one of the two."])
    if pattern.strip():
        try:
            compiled = matching.compile_user_pattern(pattern.strip())
        except ValueError as bad:
            raise ActionRefused([str(bad)]) from bad

        def spans(text):
            return matching.find_in_folded(text, compiled)
    else:
        if len(term.strip()) < 2:
            raise ActionRefused(["Enter at least two characters to look for."])

        def spans(text):
            return matching.find_term(text, term.strip())

    preview = Preview()
    for document in documents:
        active = list(document.redactions.filter(undone_at__isnull=True))
        found = [m for m in _matches(document, spans)
                 if not _already_redacted(document, m, active)]
        if found:
            preview.matches[document.pk] = found
    return preview


def redact_every_instance(request, user, *, documents, term: str = "", pattern: str = "",
                          reason: str, http_request=None) -> int:
    """Redact what the preview showed; returns how many redactions were made."""
    reason = _reason(reason)
    preview = find_every_instance(documents, term=term, pattern=pattern)
    what = term.strip() or f"pattern {pattern.strip()}"
    note = f"Every instance of '{what}'"
    made = 0
    with transaction.atomic():
        lock(request)
        for document in documents:
            _check(user, document)
            for match in preview.matches.get(document.pk, []):
                made += len(_create(document, user, match, reason, note,
                                    Redaction.Source.EVERY_INSTANCE))
        audit(user, "redaction.every_instance", request, request=request,
              http_request=http_request,
              detail={"what": what, "reason": reason, "redactions": made,
                      "documents": [d.pk for d in documents]})
    return made


# ---- suggestions ---------------------------------------------------------------------------


def suggestions(document, *, page: int | None = None) -> list[Suggestion]:
    """UK personal data and the case's own sensitive facts, less what is already redacted or
    was rejected. For PDFs, one page at a time (the redaction screen shows one page)."""
    facts = case_facts(document.request)
    rejected = set(document.rejected_suggestions.values_list("key", flat=True))
    active = list(document.redactions.filter(undone_at__isnull=True))
    out = []
    for page_no, text, boxes_of in _texts(document, page):
        for span in suggest(text, facts=facts):
            key = f"{span.category}:{'' if page_no is None else page_no}:{span.start}:{span.end}"
            if key in rejected:
                continue
            match = Match(span.start, span.end, text[span.start:span.end], page_no,
                          boxes_of(span.start, span.end), _context(text, span.start, span.end))
            if _already_redacted(document, match, active):
                continue
            out.append(Suggestion(key, span.label, span.reason_code, tuple(span.rule_ids),
                                  match, span.category))
    return out


def accept_suggestion(document, user, *, key: str, reason: str = "", http_request=None):
    found = {s.key: s for s in suggestions(document, page=_page_of(key))}.get(key)
    if found is None:
        raise ActionRefused(["That suggestion is no longer there: it may already be redacted."])
    with transaction.atomic():
        lock(document.request)
        _check(user, document)
        made = _create(document, user, found.match, reason or found.reason,
                       f"{found.label} ({', '.join(found.rule_ids)})".strip(),
                       Redaction.Source.SUGGESTION)
        for redaction in made:
            _audit(user, "redaction.add", redaction, http_request)
        return made


def reject_suggestion(document, user, *, key: str, http_request=None):
    found = {s.key: s for s in suggestions(document, page=_page_of(key))}.get(key)
    with transaction.atomic():
        lock(document.request)
        _check(user, document)
        rejection, _ = RejectedSuggestion.objects.get_or_create(
            document=document, key=key[:200],
            defaults={"rejected_by": user, "text": found.match.text if found else ""},
        )
        audit(user, "redaction.suggestion_rejected", document, request=document.request,
              http_request=http_request, detail={"key": key})
        return rejection


def case_facts(request) -> CaseFacts:
    """The council policy's redaction suggestions for this request, as facts to look for."""
    snapshot = access.snapshot_for(request)
    terms = []
    for s in get_policy(request.council.slug).redactions(snapshot):
        if s.category in POLICY_REASONS and s.target:
            terms.append((s.target, s.category, POLICY_LABELS[s.category],
                          POLICY_REASONS[s.category], tuple(s.rule_ids)))
    return CaseFacts(
        other_terms=tuple(terms),
        known_dobs=tuple(c.date_of_birth for c in snapshot.subjects if c.date_of_birth),
        subject_names=tuple(c.name for c in snapshot.subjects if c.name),
    )


# ---- helpers -------------------------------------------------------------------------------


def _texts(document, page=None):
    """(page, text, boxes_of(start, end)) for each page of text in a document."""
    if document.kind == Document.Kind.TEXT:
        yield None, document.text, lambda start, end: ()
        return
    if not document.is_pdf:
        return  # images have no text layer to search (no OCR): draw boxes by eye
    path = document.file.path
    numbers = [page] if page is not None else range(document.page_count or 0)
    for number in numbers:
        page_text = pages.page_text(path, number)

        def boxes_of(start, end, page_text=page_text):
            return tuple(tuple(b) for b in pages.boxes_for_span(page_text, start, end))

        yield number, page_text.text, boxes_of


def _matches(document, spans) -> list[Match]:
    out = []
    for page_no, text, boxes_of in _texts(document):
        for start, end in spans(text):
            out.append(Match(start, end, text[start:end], page_no, boxes_of(start, end),
                             _context(text, start, end)))
    return out


def _already_redacted(document, match: Match, active=None) -> bool:
    """A match wholly covered by an active redaction is not offered again. `active`: the
    document's active redactions, read once by the caller rather than once per match."""
    if active is None:
        active = list(document.redactions.filter(undone_at__isnull=True))
    if match.page is None:
        return any(r.start is not None and r.start <= match.start and r.end >= match.end
                   for r in active)
    if not match.boxes:
        return False
    return all(
        any(r.page == match.page and r.x0 <= x0 + 0.002 and r.y0 <= y0 + 0.002
            and r.x1 >= x1 - 0.002 and r.y1 >= y1 - 0.002 for r in active)
        for x0, y0, x1, y1 in match.boxes
    )


def _create(document, user, match: Match, reason, note, source) -> list[Redaction]:
    if match.page is None:
        return [Redaction.objects.create(
            document=document, start=match.start, end=match.end, text=match.text,
            reason=_reason(reason), note=note[:255], source=source, created_by=user)]
    return [
        Redaction.objects.create(
            document=document, page=match.page, x0=x0, y0=y0, x1=x1, y1=y1, text=match.text,
            reason=_reason(reason), note=note[:255], source=source, created_by=user)
        for x0, y0, x1, y1 in match.boxes
    ]


def _text_under(document, page, box) -> str:
    """The PDF text a box covers (characters whose centre lies inside it), for the log."""
    if not document.is_pdf:
        return ""
    page_text = pages.page_text(document.file.path, page)
    x0, y0, x1, y1 = box
    chars = []
    for char, char_box in zip(page_text.text, page_text.boxes, strict=False):
        if char_box is None:
            continue
        cx, cy = (char_box[0] + char_box[2]) / 2, (char_box[1] + char_box[3]) / 2
        if x0 <= cx <= x1 and y0 <= cy <= y1:
            chars.append(char)
    return "".join(chars).strip()[:2000]


def _lines(text: str) -> str:
    # Browsers send every line break in a form as CR LF, whatever the page held.
    return re.sub(r"\r\n?", "\n", text)


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


def _context(text, start, end, width=40) -> str:
    before = text[max(0, start - width):start].replace("\n", " ")
    after = text[end:end + width].replace("\n", " ")
    return f"…{before}[{text[start:end]}]{after}…"


def _page_of(key: str) -> int | None:
    parts = key.split(":")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def _audit(user, action, redaction, http_request):
    audit(user, action, redaction, request=redaction.document.request,
          http_request=http_request,
          detail={"document": redaction.document_id, "reason": redaction.reason,
                  "source": redaction.source})
