"""Adding documents, recording third-party consent, and audited downloads."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from requests_app import access
from requests_app.audit_reads import describe
from requests_app.forms.documents import AuthorshipForm, TextRecordForm, UploadForm
from requests_app.policy_adapter import policy_for
from requests_app.reauth import requires_recent_sign_in, restore_draft
from requests_app.services import documents as service
from requests_app.services.base import ActionRefused


def _document(obj, pk):
    try:
        return obj.documents.get(pk=pk)
    except obj.documents.model.DoesNotExist as missing:
        raise Http404("No such document on this request.") from missing


def _form_page(request, obj, form, problems, *, heading, button, multipart=False):
    return render(request, "requests/document_form.html", {
        "obj": obj, "form": form, "problems": problems, "heading": heading,
        "button": button, "multipart": multipart,
    }, status=422 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def upload(request, reference: str):
    if request.method == "POST":
        obj = access.get_request_for_action(request.user, reference)
        form = UploadForm(request.POST, request.FILES)
        problems = []
        if form.is_valid():
            try:
                document = service.upload_document(
                    obj, request.user, title=form.cleaned_data["title"],
                    upload=form.cleaned_data["file"], http_request=request,
                    **form.service_kwargs(),
                )
            except ActionRefused as refused:
                # Browsers cannot refill a file input: say so, keep everything else.
                problems = [*refused.problems, "Select the file again after fixing this."]
            else:
                messages.success(request, f"'{document.title}' added.")
                return redirect("document_detail", reference=obj.reference, pk=document.pk)
    else:
        obj = access.get_request_for_user(request.user, reference)
        form, problems = UploadForm(), access.document_problems(request.user, obj)
    return _form_page(request, obj, form, problems, heading="Add a document",
                      button="Upload document", multipart=True)


@require_http_methods(["GET", "POST"])
def add_text(request, reference: str):
    if request.method == "POST":
        obj = access.get_request_for_action(request.user, reference)
        form = TextRecordForm(request.POST)
        problems = []
        if form.is_valid():
            try:
                document = service.add_text_record(
                    obj, request.user, title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"], http_request=request,
                    **form.service_kwargs(),
                )
            except ActionRefused as refused:
                problems = refused.problems
            else:
                messages.success(request, f"'{document.title}' added.")
                return redirect("document_detail", reference=obj.reference, pk=document.pk)
    else:
        obj = access.get_request_for_user(request.user, reference)
        form, problems = TextRecordForm(), access.document_problems(request.user, obj)
    return _form_page(request, obj, form, problems, heading="Write or paste a text record",
                      button="Save record")


def _asks(obj):
    """The document facts this council's policy asks (CAMDEN-8, BH-5 …)."""
    return policy_for(obj).document_facts(access.snapshot_for(obj))


@require_http_methods(["GET", "POST"])
@requires_recent_sign_in("record the author's consent")
def consent(request, reference: str, pk: int):
    if request.method == "POST":
        obj = access.get_request_for_action(request.user, reference)
        document = _document(obj, pk)
        form = AuthorshipForm(request.POST, asks=_asks(obj))
        problems = []
        if form.is_valid():
            try:
                service.record_consent(document, request.user, http_request=request,
                                       **form.service_kwargs())
            except ActionRefused as refused:
                problems = refused.problems
            else:
                messages.success(request, f"Author and consent recorded for '{document.title}'.")
                return redirect("request_detail", reference=obj.reference)
    else:
        obj = access.get_request_for_user(request.user, reference)
        document = _document(obj, pk)
        form = AuthorshipForm(asks=_asks(obj), initial={
            "is_third_party": document.is_third_party, "author_name": document.author_name,
            "author_organisation": document.author_organisation,
            "author_consent": "" if document.author_consent == "not_needed"
            else document.author_consent,
            "consent_evidence": document.consent_evidence,
            "what_was_given": document.what_was_given,
            "use_restrictions": document.use_restrictions,
            "concerns_child_protection": document.concerns_child_protection,
        })
        restore_draft(request, form)
        problems = access.document_problems(request.user, obj)
    return _form_page(request, obj, form, problems, heading=f"Author and consent: "
                      f"{document.title}", button="Save")


@require_GET
def download(request, reference: str, pk: int):
    """The original, unredacted document — audited, never cached."""
    obj = access.get_request_for_user(request.user, reference)
    document = _document(obj, pk)
    # Audited by audit_reads as "document.download"; this says which file went.
    describe(request, title=document.title, sha256=document.sha256)
    if document.kind == document.Kind.TEXT:
        response = FileResponse(iter([document.text.encode()]), content_type="text/plain; "
                                "charset=utf-8", as_attachment=True,
                                filename=f"{obj.reference}-document-{document.pk}.txt")
    else:
        response = FileResponse(document.file.open("rb"), content_type=document.content_type,
                                as_attachment=True, filename=f"{obj.reference}-document-"
                                f"{document.pk}{service.suffix_for(document.content_type)}")
    response["Cache-Control"] = "private, no-store"
    return response

