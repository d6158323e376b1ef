"""Adding a case note or a correction (never an edit: ALL-2, BH-11)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from requests_app import access
from requests_app.forms.actions import NoteForm
from requests_app.models import CaseNote
from requests_app.services import closing
from requests_app.services.base import ActionRefused


@require_http_methods(["GET", "POST"])
def add_note(request, reference: str, corrects: int | None = None):
    obj = access.get_request_for_user(request.user, reference)
    original = get_object_or_404(CaseNote, pk=corrects, request=obj) if corrects else None
    problems = []
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                if original:
                    closing.add_correction(obj, request.user, note=original,
                                           text=form.cleaned_data["text"], http_request=request)
                else:
                    closing.add_case_note(obj, request.user, text=form.cleaned_data["text"],
                                          http_request=request)
            except ActionRefused as refused:
                problems = refused.problems
            else:
                messages.success(request, "Correction added." if original else "Case note added.")
                return redirect("request_detail", reference=obj.reference)
    else:
        form = NoteForm()
    return render(request, "requests/note.html",
                  {"obj": obj, "form": form, "original": original, "problems": problems},
                  status=422 if request.method == "POST" else 200)
