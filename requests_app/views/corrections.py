"""Correcting a request's recorded facts: a thin view over `services.corrections`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from requests_app import access, intake_lookup
from requests_app.forms.corrections import CorrectionForm
from requests_app.models import CaseRecord
from requests_app.services import corrections
from requests_app.services.base import ActionRefused


def correction_offer(user, obj):
    """The council's answer for correcting this request, for this person (None: not theirs)."""
    return next((o for o in access.offers_for(user, obj) if o.transition == "correct"), None)


@require_http_methods(["GET", "POST"])
def correct(request, reference: str):
    obj = access.get_request_for_user(request.user, reference)
    offer = correction_offer(request.user, obj)
    if offer is None:
        raise PermissionDenied("This request is not with you to correct now.")
    query = request.GET.get("q", "").strip()
    current = list(obj.subjects.values_list("pk", flat=True))
    chosen = [int(c) for c in request.POST.getlist("subjects") if c.isdigit()]
    # The search results (bounded and indexed), and the children already on the request.
    found = intake_lookup.case_records(obj.council_id, query)
    shown = CaseRecord.objects.filter(council_id=obj.council_id).filter(
        pk__in=[*current, *chosen, *(c.pk for c in found)]).order_by("last_name")
    problems: list[str] = []
    if request.method == "POST":
        form = CorrectionForm(request.POST, request_obj=obj, subject_queryset=CaseRecord.objects
                              .filter(council_id=obj.council_id))
        if form.is_valid():
            try:
                corrections.correct_request(obj, request.user, changes=form.changes(),
                                            reason=form.cleaned_data["reason"],
                                            http_request=request)
            except ActionRefused as refused:
                problems = refused.problems
            else:
                messages.success(request, "The request's details have been corrected. The old "
                                          "values are kept in its history.")
                return redirect("request_detail", reference=obj.reference)
        # Validated against the whole council; show again only what was on the page.
        form.fields["subjects"].queryset = shown
    else:
        form = CorrectionForm(request_obj=obj, subject_queryset=shown,
                              initial=corrections.current_values(obj))
        problems = list(offer.reasons)
    return render(request, "requests/correct.html", {
        "obj": obj, "form": form, "offer": offer, "problems": problems, "query": query,
        "searched": "q" in request.GET,
    }, status=422 if request.method == "POST" else 200)
