"""Every workflow action through one thin view: parse the form, call one service, redirect.

Which actions a page offers, their labels, whether each is enabled and why not, the facts its
form asks and the choices it gives all come from the council policy's catalogue of actions
(`access.offers_for` → `CouncilPolicy.offers`). This module only knows, for each transition,
its form and the service that performs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from requests_app import access
from requests_app.forms import actions as f
from requests_app.forms import documents as fd
from requests_app.forms.facts import add_fact_fields
from requests_app.reauth import requires_recent_sign_in, restore_draft
from requests_app.services import (
    clock,
    closing,
    decisions,
    disclosure,
    facts,
    hard_copies,
    packs,
    routing,
)
from requests_app.services.base import ActionRefused


@dataclass(frozen=True)
class ActionSpec:
    form: type
    run: Callable
    heading: str = ""
    needs_request: bool = False  # the form's choices depend on the request
    # Information leaves the council: a recent sign-in is needed first (reauth.py); this
    # finishes "Before you …" on the "Confirm it is you" page.
    reauth: str = ""


def _svc(function):
    """Call a service with the form's cleaned data (the facts included) as keywords."""
    def run(obj, user, form, http_request):
        return function(obj, user, http_request=http_request, **form.cleaned_data)
    return run


ACTIONS: dict[str, ActionSpec] = {
    "approve": ActionSpec(f.DecisionForm, _svc(decisions.approve),
                          "Approve sharing information"),
    "refuse": ActionSpec(f.RefusalForm, _svc(decisions.refuse), "Refuse the request"),
    "allocate": ActionSpec(f.AllocateForm, _svc(decisions.allocate), needs_request=True),
    "reallocate": ActionSpec(f.ReallocateForm, _svc(decisions.reallocate),
                             "Reallocate the request", needs_request=True),
    "override_route": ActionSpec(f.OverrideRouteForm, _svc(routing.override_route),
                                 "Change who has the request", needs_request=True),
    "record_decision": ActionSpec(f.DecisionForm, _svc(decisions.record_decision),
                                  "Record the decision to share"),
    "decline": ActionSpec(f.RefusalForm, _svc(decisions.decline),
                          "Record a decision not to share"),
    "record_facts": ActionSpec(f.ConfirmForm, _svc(facts.record_facts),
                               "Record what the council's rules need"),
    "request_retrieval": ActionSpec(f.RetrievalForm, _svc(disclosure.request_retrieval)),
    "mark_retrieved": ActionSpec(f.ConfirmForm, _svc(disclosure.mark_retrieved),
                                 "Confirm the records have been retrieved"),
    "return_files": ActionSpec(f.ConfirmForm, _svc(disclosure.return_files),
                               "Confirm the paper files are back in storage"),
    "submit_for_check": ActionSpec(f.CheckForm, _svc(disclosure.submit_for_check),
                                   "Send for a check before release"),
    "complete_check": ActionSpec(f.CheckDoneForm, _svc(disclosure.complete_check),
                                 "Record that the check is done"),
    "disclose": ActionSpec(f.DiscloseForm, _svc(disclosure.disclose),
                           "Record what was disclosed",
                           reauth="record information as disclosed"),
    "ask_for_pack": ActionSpec(f.InstructionsForm, _svc(packs.ask_for_pack),
                               "Ask business support to prepare the pack"),
    "send_pack": ActionSpec(fd.SendPackForm, _svc(packs.send),
                            "Send the finalised disclosure pack",
                            reauth="send the disclosure pack"),
    "request_hard_copies": ActionSpec(f.HardCopiesForm, _svc(hard_copies.request_hard_copies),
                                      "Ask the CSM to approve hard copies"),
    "approve_hard_copies": ActionSpec(f.ApproveHardCopiesForm,
                                      _svc(hard_copies.approve_hard_copies)),
    "refuse_hard_copies": ActionSpec(f.ApproveHardCopiesForm,
                                     _svc(hard_copies.refuse_hard_copies)),
    "send_hard_copies": ActionSpec(f.SendForm, _svc(hard_copies.send_hard_copies),
                                   "Record that the hard copies were sent",
                                   reauth="record the hard copies as sent"),
    "pause": ActionSpec(f.ReasonForm, _svc(clock.pause)),
    "resume": ActionSpec(f.ConfirmForm, _svc(clock.resume)),
    "extend": ActionSpec(f.ExtendForm, _svc(clock.extend), needs_request=True),
    "withdraw": ActionSpec(f.ReasonForm, _svc(closing.withdraw), "Withdraw the request"),
    "close": ActionSpec(f.CloseForm, _svc(closing.close)),
    "accept_referral": ActionSpec(f.AcceptReferralForm, _svc(closing.accept_referral),
                                  "Take on this referral"),
}


def offered_actions(request_obj, user):
    """The council's offers for this person that this page can act on."""
    return [o for o in access.offers_for(user, request_obj) if o.transition in ACTIONS]


def build_form(spec: ActionSpec, offer, obj, data=None, files=None):
    kwargs = {"request_obj": obj} if spec.needs_request else {}
    form = spec.form(data, files, **kwargs) if data is not None else spec.form(**kwargs)
    if offer is not None:
        add_fact_fields(form, offer, access.snapshot_for(obj))
    return form


def _sends(request, reference: str, action: str) -> str:
    spec = ACTIONS.get(action)
    return spec.reauth if spec else ""


@require_http_methods(["GET", "POST"])
@requires_recent_sign_in(_sends)
def act(request, reference: str, action: str):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    obj = access.get_request_for_user(request.user, reference)
    offer = next((o for o in offered_actions(obj, request.user) if o.transition == action),
                 None)
    if offer is None:
        # Not this person's job on this request now (or not this council's step at all).
        raise PermissionDenied("This is not yours to do on this request now.")
    problems: list[str] = []
    if request.method == "POST":
        form = build_form(spec, offer, obj, request.POST, request.FILES)
        if form.is_valid():
            try:
                spec.run(obj, request.user, form, request)
            except ActionRefused as refused:
                problems = refused.problems
            else:
                messages.success(request, f"{offer.label}: done.")
                return redirect("request_detail", reference=obj.reference)
    else:
        form = build_form(spec, offer, obj)
        restore_draft(request, form)
        problems = list(offer.reasons)
    return render(request, "requests/action.html", {
        "obj": obj, "form": form, "spec": spec, "offer": offer, "action": action,
        "problems": problems, "heading": spec.heading or offer.label,
    }, status=422 if request.method == "POST" else 200)
