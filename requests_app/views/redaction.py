"""The redaction screen: one document, its redactions, suggestions and redaction log.

Text records are redacted by selecting text (character offsets into `Document.text`); PDFs and
images by drawing boxes on a page image (fractions of the page, top-left origin). Each POST
parses one form, calls one service in `services.redaction`, and redirects back to the page it
came from; a refusal re-renders the page with the reasons and what the user entered (422).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from requests_app import access
from requests_app.forms.redaction import (
    BoxRedactionForm,
    EveryInstanceForm,
    SuggestionForm,
    TextRedactionForm,
)
from requests_app.models import Document, RedactionReason
from requests_app.packs import pages
from requests_app.reauth import back_to, requires_recent_sign_in
from requests_app.services import redaction as service
from requests_app.services.base import ActionRefused

# Page images are drawn this many pixels wide: sharp on a high-density screen at the width
# the redaction screen shows them.
PAGE_IMAGE_WIDTH = 1400


def _document(obj, pk) -> Document:
    """A document of this request only: a document id from another request is a 404."""
    try:
        return obj.documents.get(pk=pk)
    except Document.DoesNotExist as missing:
        raise Http404("No such document on this request.") from missing


def _page_count(document) -> int:
    return document.page_count or 1


def _page_from(value, document) -> int:
    """A 1-based page number of a PDF or image from the URL or a form; 404 if out of range."""
    try:
        page = int(value or 1)
    except (TypeError, ValueError):
        raise Http404("No such page.") from None
    if not 1 <= page <= _page_count(document):
        raise Http404("No such page.")
    return page


def _back(obj, document, page: int | None = None):
    url = reverse("document_detail", kwargs={"reference": obj.reference, "pk": document.pk})
    if page and document.kind == Document.Kind.FILE:
        url += f"?page={page}"
    return redirect(url)


# ---- the screen --------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A stretch of a text record; `codes` are the reasons of the redactions covering it."""

    start: int
    text: str
    codes: str = ""


def segments(text: str, redactions) -> list[Segment]:
    """The whole text as consecutive segments, cut wherever a redaction starts or ends, so the
    page can mark what is redacted and the browser can map a selection back to offsets."""
    spans = [(r.start, r.end, r.reason) for r in redactions
             if r.start is not None and r.end is not None]
    cuts = sorted({0, len(text), *(min(max(p, 0), len(text)) for s, e, _ in spans
                                      for p in (s, e))})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        codes = []
        for s, e, reason in spans:
            if s <= start and end <= e and reason not in codes:
                codes.append(reason)
        out.append(Segment(start, text[start:end], " ".join(codes)))
    return out


def in_context(context: str, text: str) -> tuple[str, str, str]:
    """Split the service's "…before[match]after…" into its three parts, to mark the match."""
    marked = f"[{text}]"
    before, found, after = context.partition(marked)
    if not found:
        return context, "", ""
    return before, text, after


def pagination(current: int, total: int) -> list[int | None]:
    """Page numbers to link to: the first, the last and two either side of the current page;
    None where pages are left out."""
    wanted = {1, total, *range(current - 2, current + 3)}
    out: list[int | None] = []
    for n in sorted(p for p in wanted if 1 <= p <= total):
        if out and out[-1] is not None and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


def _screen(request, obj, document, *, page: int | None = None, form=None, problems=(),
            status: int = 200):
    user = request.user
    readonly = service.redaction_problems(user, document)
    redactions = list(document.redactions.select_related("created_by", "undone_by"))
    active = [r for r in redactions if r.active]
    context = {
        "obj": obj, "document": document, "problems": list(problems), "readonly": readonly,
        "can_redact": not readonly, "log": sorted(redactions, key=lambda r: (r.created_at, r.pk)),
        "reasons": RedactionReason.choices, "form": form,
    }
    if document.kind == Document.Kind.TEXT:
        context["segments"] = segments(document.text, active)
        if form is None:
            context["form"] = TextRedactionForm(document=document)
        context["selected_text"] = _selected_text(context["form"], document)
        found = service.suggestions(document) if not readonly else []
    else:
        page = page or 1
        context.update({
            "page": page, "page_count": _page_count(document),
            "pages": pagination(page, _page_count(document)),
            "boxes": [r for r in active if r.page == page - 1],
            "image_url": reverse("document_page_image", kwargs={
                "reference": obj.reference, "pk": document.pk, "page": page}),
        })
        if form is None:
            context["form"] = BoxRedactionForm(initial={"page": page})
        found = service.suggestions(document, page=page - 1) if not readonly else []
    labels = dict(RedactionReason.choices)
    context["suggestions"] = [
        {"s": s, "parts": in_context(s.match.context, s.match.text),
         "reason_label": labels.get(s.reason, s.reason)}
        for s in found
    ]
    return render(request, "documents/detail.html", context, status=status)


def _selected_text(form, document) -> str:
    """What a re-shown form had selected, so the person can see it is kept."""
    if not form.is_bound:
        return ""
    try:
        start, end = int(form.data.get("start", "")), int(form.data.get("end", ""))
    except ValueError:
        return ""
    if 0 <= start < end <= len(document.text):
        return document.text[start:end]
    return ""


@require_GET
def document_detail(request, reference: str, pk: int):
    obj = access.get_request_for_user(request.user, reference)
    document = _document(obj, pk)
    page = _page_from(request.GET.get("page"), document) if document.kind == "file" else None
    return _screen(request, obj, document, page=page)


@require_GET
def page_image(request, reference: str, pk: int, page: int):
    """The unredacted page, for drawing boxes on: only for people who can see the request."""
    obj = access.get_request_for_user(request.user, reference)
    document = _document(obj, pk)
    if document.kind != Document.Kind.FILE:
        raise Http404("A text record has no page images.")
    page = _page_from(page, document)
    png = pages.render_page_png(document.file.path, page - 1, width=PAGE_IMAGE_WIDTH)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


# ---- redacting and undoing ---------------------------------------------------------------


@require_POST
def redact(request, reference: str, pk: int):
    obj = access.get_request_for_action(request.user, reference)
    document = _document(obj, pk)
    if document.kind == Document.Kind.TEXT:
        form = TextRedactionForm(request.POST, document=document)
        page = None
    else:
        form = BoxRedactionForm(request.POST)
        page = _page_from(request.POST.get("page"), document)
    problems: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            if document.kind == Document.Kind.TEXT:
                service.redact_text(document, request.user, start=data["start"],
                                    end=data["end"], reason=data["reason"], note=data["note"],
                                    expected=data["selected_text"], http_request=request)
            else:
                service.redact_box(document, request.user, page=page - 1, box=data["box"],
                                   reason=data["reason"], note=data["note"],
                                   http_request=request)
        except service.SelectionRefused as refused:
            problems = refused.problems
            # Offsets that point at other words must not come back as "Selected: …".
            form.data = form.data.copy()
            for name in ("start", "end", "selected_text"):
                form.data[name] = ""
        except ActionRefused as refused:
            problems = refused.problems
        else:
            messages.success(request, f"Redacted ({data['reason']}).")
            return _back(obj, document, page)
    return _screen(request, obj, document, page=page, form=form, problems=problems,
                   status=422)


@require_POST
@requires_recent_sign_in("undo a redaction",
                         back=back_to("document_detail", "reference", "pk"))
def undo_redaction(request, reference: str, pk: int, rid: int):
    obj = access.get_request_for_action(request.user, reference)
    document = _document(obj, pk)
    try:
        redaction = document.redactions.get(pk=rid)
    except document.redactions.model.DoesNotExist as missing:
        raise Http404("No such redaction on this document.") from missing
    page = redaction.page + 1 if redaction.is_box else None
    try:
        service.undo(redaction, request.user, http_request=request)
    except ActionRefused as refused:
        return _screen(request, obj, document, page=page, problems=refused.problems,
                       status=422)
    messages.success(request, "Redaction undone: it stays in the redaction log.")
    return _back(obj, document, page)


# ---- suggestions -------------------------------------------------------------------------


def _suggestion(request, reference: str, pk: int, *, accept: bool):
    obj = access.get_request_for_action(request.user, reference)
    document = _document(obj, pk)
    form = SuggestionForm(request.POST)
    page = _page_from(request.POST.get("page"), document) if document.kind == "file" else None
    if not form.is_valid():
        return _screen(request, obj, document, page=page, status=422,
                       problems=["That suggestion is no longer there: reload the page."])
    key, reason = form.cleaned_data["key"], form.cleaned_data["reason"]
    try:
        if accept:
            service.accept_suggestion(document, request.user, key=key, reason=reason,
                                      http_request=request)
        else:
            service.reject_suggestion(document, request.user, key=key, http_request=request)
    except ActionRefused as refused:
        return _screen(request, obj, document, page=page, problems=refused.problems,
                       status=422)
    messages.success(request, "Suggestion accepted and redacted." if accept else
                     "Suggestion rejected: it will not be offered again.")
    return _back(obj, document, page)


@require_POST
def accept_suggestion(request, reference: str, pk: int):
    return _suggestion(request, reference, pk, accept=True)


@require_POST
def reject_suggestion(request, reference: str, pk: int):
    return _suggestion(request, reference, pk, accept=False)


# ---- every instance ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def every_instance(request, reference: str):
    """Find a term or pattern across the request's documents, preview, then redact them all.

    The preview's confirm button posts the same inputs again with `confirm`; the search is run
    again then, so what is redacted is what is in the documents at that moment."""
    problems: list[str] = []
    preview = blocked = None
    if request.method == "POST":
        obj = access.get_request_for_action(request.user, reference)
        form = EveryInstanceForm(request.POST, request_obj=obj)
        if form.is_valid():
            data = form.cleaned_data
            documents = list(data["documents"])
            what = dict(term=data["term"].strip(), pattern=data["pattern"].strip())
            try:
                if "confirm" in request.POST:
                    made = service.redact_every_instance(
                        obj, request.user, documents=documents, reason=data["reason"],
                        http_request=request, **what)
                    return _after_every_instance(request, obj, documents, made, what)
                preview = service.find_every_instance(documents, **what)
            except ActionRefused as refused:
                problems = refused.problems
            else:
                blocked = sorted({p for d in documents
                                  for p in service.redaction_problems(request.user, d)})
    else:
        obj = access.get_request_for_user(request.user, reference)
        documents = obj.documents.filter(is_disclosure_copy=False)
        chosen = [d.pk for d in documents if str(d.pk) == request.GET.get("document")]
        form = EveryInstanceForm(request_obj=obj,
                                 initial={"documents": chosen or [d.pk for d in documents]})
    status = 200
    if request.method == "POST" and (form.errors or problems):
        status = 422
    return render(request, "documents/every_instance.html", {
        "obj": obj, "form": form, "problems": problems, "preview": _preview(preview, form),
        "blocked": blocked, "readonly": access.document_problems(request.user, obj),
    }, status=status)


def _preview(preview, form):
    """The preview, per chosen document, each match split to mark it in its context."""
    if preview is None:
        return None
    rows, not_found = [], []
    for document in form.cleaned_data["documents"]:
        found = preview.matches.get(document.pk, [])
        if not found:
            not_found.append(document)
            continue
        rows.append({
            "document": document, "count": len(found),
            "matches": [{"m": m, "parts": in_context(m.context, m.text),
                         "page": None if m.page is None else m.page + 1} for m in found],
        })
    reason = form.cleaned_data["reason"]
    return {"count": preview.count, "documents": rows, "not_found": not_found,
            "reason_label": f"{reason} – {RedactionReason(reason).label}"}


def _after_every_instance(request, obj, documents, made: int, what: dict):
    said = what["term"] or f"the pattern {what['pattern']}"
    if made:
        messages.success(request, f"Every instance of ‘{said}’ redacted: {made} "
                                  f"redaction{'s' if made != 1 else ''} made.")
    else:
        messages.info(request, f"Nothing was redacted: ‘{said}’ is no longer in the documents "
                               "unredacted.")
    if len(documents) == 1:
        return _back(obj, documents[0])
    return redirect(reverse("request_detail", kwargs={"reference": obj.reference})
                    + "#documents")
