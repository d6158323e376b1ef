"""Logging a new request and triaging it (the first point of contact's pages)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from requests_app import access
from requests_app.forms.intake import LogRequestForm
from requests_app.models import CaseRecord
from requests_app.policy_adapter import policy_for
from requests_app.services import intake
from requests_app.services.base import ActionRefused


def _find_subjects(user, query: str, chosen_ids):
    """The council's case records matching a name, date of birth or reference."""
    records = CaseRecord.objects.filter(council_id=user.council_id)
    match = Q(pk__in=chosen_ids)
    for word in query.split():
        match |= (Q(first_name__icontains=word) | Q(last_name__icontains=word)
                  | Q(reference__iexact=word))
        parts = word.split("/")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            day, month, year = (int(p) for p in parts)
            match |= Q(date_of_birth__day=day, date_of_birth__month=month,
                       date_of_birth__year=year)
    if not query:
        return records.filter(pk__in=chosen_ids)
    return records.filter(match).order_by("last_name", "first_name")[:25]


@require_http_methods(["GET", "POST"])
def log_request(request):
    if not access.may_log_requests(request.user):
        raise PermissionDenied("Only the first point of contact logs new requests.")
    query = request.GET.get("q", "").strip()
    chosen = request.POST.getlist("subjects")
    subjects = _find_subjects(request.user, query, [c for c in chosen if c.isdigit()])
    if request.method == "POST":
        council_records = CaseRecord.objects.filter(council_id=request.user.council_id)
        form = LogRequestForm(request.POST, council=request.user.council,
                              subject_queryset=council_records)
        if form.is_valid():
            try:
                obj = intake.log_request(
                    request.user, requester=form.requester(),
                    subjects=list(form.cleaned_data["subjects"]), http_request=request,
                    **form.facts(),
                )
            except ActionRefused as refused:
                for problem in refused.problems:
                    form.add_error(None, problem)
            else:
                messages.success(request, f"Request {obj.reference} logged. Check the routing "
                                          "below, then forward it.")
                return redirect("triage", reference=obj.reference)
        # Validated against the whole council, but show again only what was searched or
        # chosen: never list every child's record on an error page.
        form.fields["subjects"].queryset = subjects
    else:
        form = LogRequestForm(council=request.user.council, subject_queryset=subjects)
    return render(request, "requests/log.html", {"form": form, "query": query,
                                                 "searched": "q" in request.GET},
                  status=422 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def triage(request, reference: str):
    obj = access.get_request_for_user(request.user, reference)
    if not access.may_log_requests(request.user):
        raise PermissionDenied("Only the first point of contact triages requests.")
    problems = []
    if request.method == "POST":
        try:
            obj = intake.triage(obj, request.user, http_request=request)
        except ActionRefused as refused:
            problems = refused.problems
        else:
            messages.success(request, obj.route_explanation)
            return redirect("request_detail", reference=obj.reference)
    snapshot = access.snapshot_for(obj)
    policy = policy_for(obj)
    routing = policy.route(snapshot)
    if not problems and obj.state == "received":
        # The council's answer for the step the routing takes (the triage case note is
        # written by forwarding itself, so it is not a problem yet).
        step = {"route": "route", "referral": "refer_out", "refusal": "refuse_at_triage"}[
            routing.kind]
        problems = access.access_problems(request.user, obj, step)
        offer = policy.offer(step, snapshot, access.actor_for(request.user))
        if not problems and offer is not None:
            problems = list(offer.reasons)
    return render(request, "requests/triage.html", {
        "obj": obj, "routing": routing, "problems": problems,
        "steps": policy.steps(snapshot), "alerts": policy.alerts(snapshot),
        "subjects": obj.subjects.select_related("allocated_worker", "allocated_team",
                                                 "last_team"),
    }, status=422 if problems and request.method == "POST" else 200)
