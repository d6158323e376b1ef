"""The disclosure pack page: choose documents, generate (with progress), check, finalise,
second-check, download. Sending is a workflow action (`send_pack`, views.actions)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from requests_app import access
from requests_app.audit_reads import describe
from requests_app.forms.documents import ChooseDocumentsForm, FinaliseForm
from requests_app.models import Pack
from requests_app.services import packs as service
from requests_app.services.base import ActionRefused


def _pack(obj, version) -> Pack:
    try:
        return obj.packs.get(version=version)
    except Pack.DoesNotExist as missing:
        raise Http404("No such pack version.") from missing


def _context(request, obj, *, form=None, problems=(), finalise_form=None):
    pack = service.current(obj)
    documents = obj.documents.filter(is_disclosure_copy=False).order_by("pk")
    if form is None:
        initial = [item.document_id for item in pack.items.all()] if pack else []
        form = ChooseDocumentsForm(request_obj=obj, initial={"documents": initial})
    send = next((a for a in _offered(obj, request.user) if a.transition == "send_pack"), None)
    ready = bool(pack and pack.status == Pack.Status.READY and not service.is_stale(pack))
    pending = service.pending_suggestions(pack) if ready else []
    if finalise_form is None:
        finalise_form = FinaliseForm(pending_total=sum(n for _, n in pending))
    return {
        "pending": pending, "pending_total": sum(n for _, n in pending),
        "finalise_form": finalise_form,
        "obj": obj, "pack": pack, "form": form, "problems": list(problems),
        "documents": documents,
        "pack_problems": access.pack_problems(request.user, obj),
        "stalled": bool(pack and service.stalled(pack)),
        "stale": bool(pack and service.is_stale(pack)),
        "versions": obj.packs.order_by("-version").select_related(
            "finalised_by", "sent_by", "second_checked_by"),
        "send_action": send,
        # Only a council whose policy has a second check of the pack offers it.
        "second_check_rules": service.second_check_rules(obj),
    }


def _offered(obj, user):
    from requests_app.views.actions import offered_actions

    return offered_actions(obj, user)


@require_GET
def pack_page(request, reference: str):
    obj = access.get_request_for_user(request.user, reference)
    return render(request, "requests/pack.html", _context(request, obj))


@require_POST
def choose(request, reference: str):
    obj = access.get_request_for_action(request.user, reference)
    form = ChooseDocumentsForm(request.POST, request_obj=obj)
    problems = []
    if form.is_valid():
        # Keep the order documents were added in: the index follows the record.
        chosen = sorted(form.cleaned_data["documents"], key=lambda d: d.pk)
        try:
            service.choose_documents(obj, request.user, documents=chosen, http_request=request)
        except ActionRefused as refused:
            problems = refused.problems
        else:
            messages.success(request, "Documents chosen. Generate the pack when the redactions "
                                      "are done.")
            return redirect("pack", reference=obj.reference)
    return render(request, "requests/pack.html",
                  _context(request, obj, form=form, problems=problems), status=422)


@require_POST
def new_version(request, reference: str):
    obj = access.get_request_for_action(request.user, reference)
    try:
        pack = service.new_version(obj, request.user, http_request=request)
    except ActionRefused as refused:
        return render(request, "requests/pack.html",
                      _context(request, obj, problems=refused.problems), status=422)
    messages.success(request, f"Version {pack.version} started.")
    return redirect("pack", reference=obj.reference)


STEPS = {
    "generate": (service.generate, "Pack queued: it is being generated."),
    "finalise": (service.finalise, "Pack finalised. It can now be sent."),
    "second-check": (service.second_check, "Second check recorded."),
}


@require_POST
def pack_step(request, reference: str, version: int, step: str):
    obj = access.get_request_for_action(request.user, reference)
    pack = _pack(obj, version)
    if step not in STEPS:
        raise Http404("No such step.")
    run, done = STEPS[step]
    kwargs = {}
    if step == "finalise":  # how many pending suggestions the person confirmed reviewing
        kwargs["reviewed_pending"] = FinaliseForm(request.POST).reviewed_pending()
    try:
        run(pack, request.user, http_request=request, **kwargs)
    except ActionRefused as refused:
        return render(request, "requests/pack.html",
                      _context(request, obj, problems=refused.problems), status=422)
    messages.success(request, done)
    return redirect("pack", reference=obj.reference)


@require_GET
def progress(request, reference: str, version: int):
    """The progress panel on its own, polled by static/app/pack.js while a run is going."""
    obj = access.get_request_for_user(request.user, reference)
    pack = _pack(obj, version)
    response = render(request, "requests/pack.html#progress", {
        "obj": obj, "pack": pack, "stalled": service.stalled(pack),
    })
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def download(request, reference: str, version: int):
    obj = access.get_request_for_sent_pack(request.user, reference, version)
    pack = _pack(obj, version)
    if not pack.file or pack.status not in (Pack.Status.READY, Pack.Status.FINALISED,
                                            Pack.Status.SENT):
        raise Http404("This pack has not been generated.")
    # Audited by audit_reads as "pack.download"; this says which file went.
    describe(request, sha256=pack.sha256)
    response = FileResponse(pack.file.open("rb"), content_type="application/pdf",
                            as_attachment=True,
                            filename=f"{obj.reference}-pack-v{pack.version}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response
