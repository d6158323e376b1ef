"""Logging a new request and triaging it (the first point of contact's pages)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from requests_app import access, audit_reads, intake_lookup
from requests_app.forms.intake import LogRequestForm
from requests_app.models import Requester
from requests_app.policy_adapter import policy_for
from requests_app.services import intake
from requests_app.services.base import ActionRefused

# The buttons of the page that change what is chosen without saving: each posts the whole
# form, so nothing typed is lost when JavaScript is off (with it, search-as-you-type fills the
# results from the endpoints below instead, and changing the type of request or of requester
# asks for the council's questions only: "update_questions" from htmx).
_KEEP_BUTTONS = ("add_subject", "remove_subject", "choose_requester", "change_requester",
                 "search", "update_questions")


def _may_log(user):
    if not access.may_log_requests(user):
        raise PermissionDenied("Only the first point of contact logs new requests.")


def _picker(user, data) -> dict:
    """What the child and requester parts of the page show for the submitted ``data``: the
    children chosen (after any "Add" or "Remove"), the requester chosen, and the results of
    each search — bounded, and from the user's own council only."""
    council_id = user.council_id
    ids = [i for i in data.getlist("subjects") if i.isdigit()]
    if data.get("add_subject", "").isdigit():
        ids.append(data["add_subject"])
    if data.get("remove_subject"):
        ids = [i for i in ids if i != data["remove_subject"]]
    chosen = intake_lookup.chosen_records(council_id, ids)
    requester_id = data.get("choose_requester") or data.get("existing_requester") or ""
    if "change_requester" in data:
        requester_id = ""
    requester = (Requester.objects.filter(council_id=council_id, pk=requester_id).first()
                 if requester_id.isdigit() else None)
    child_q = data.get("child_q", "").strip()[:100]
    requester_q = data.get("requester_q", "").strip()[:100]
    return {
        "chosen": chosen, "child_q": child_q,
        "child_results": intake_lookup.case_records(council_id, child_q,
                                                    exclude=[c.pk for c in chosen]),
        "requester": requester, "requester_q": requester_q, "limit": intake_lookup.LIMIT,
        "requester_results": ([] if requester else
                              intake_lookup.requesters(council_id, requester_q)),
    }


@require_http_methods(["GET", "POST"])
def log_request(request):
    _may_log(request.user)
    council = request.user.council
    data = request.POST if request.method == "POST" else QueryDict()
    picker = _picker(request.user, data)
    if picker["child_q"] or picker["requester_q"]:
        # A search posted with the form (no JavaScript): its words go in the read's audit
        # detail, as a search-as-you-type query string does.
        audit_reads.describe(request, searched={"child_q": picker["child_q"],
                                                "requester_q": picker["requester_q"]})
    status = 200
    chosen = picker["requester"]
    if request.method == "POST" and not any(name in data for name in _KEEP_BUTTONS):
        form = LogRequestForm(data, council=council, requester=chosen)
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
        status = 422
    elif request.method == "POST":
        form = LogRequestForm.kept(data, council=council, requester=chosen)
        if request.htmx and "update_questions" in data:
            # The questions of the type now chosen, in place; the rest of the page stays.
            return render(request, "requests/_intake_questions.html", {"form": form})
    else:
        form = LogRequestForm(council=council)
    return render(request, "requests/log.html",
                  {"form": form, "focus": _focus_after(data, picker), **picker}, status=status)


def _focus_after(data, picker) -> str:
    """The id of what keeps the focus when the page comes back after a button that only
    changes what is chosen: where the person was, not the top of the page (WCAG 2.4.3)."""
    if "add_subject" in data or "remove_subject" in data:
        return "id_subjects"
    if "choose_requester" in data:
        return "requester-change"
    if "change_requester" in data:
        return "id_existing_requester"
    searched = data.get("search")
    if searched == "children" or (searched == "all" and picker["child_q"]):
        return "id_subjects"
    if searched in ("requesters", "all") and not picker["requester"]:
        return "id_existing_requester"
    return ""


@require_GET
def find_children(request):
    """Search-as-you-type for the child: the results list only (an htmx request from the log
    page; read-audited with the query, audit_reads.READS)."""
    _may_log(request.user)
    picker = _picker(request.user, request.GET)
    return render(request, "requests/_child_results.html", picker)


@require_GET
def find_requesters(request):
    """Search-as-you-type for a known requester: the results list only."""
    _may_log(request.user)
    picker = _picker(request.user, request.GET)
    return render(request, "requests/_requester_results.html", picker)


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
