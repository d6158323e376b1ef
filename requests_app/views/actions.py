"""Every workflow action through one thin view: parse the form, call one service, redirect.

Which actions a page offers comes from the state machine (`get_available_state_transitions`)
filtered by access; a disabled action carries the reasons (with rule IDs) it is not available.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from requests_app import access
from requests_app.forms import actions as f
from requests_app.forms import documents as fd
from requests_app.services import clock, closing, decisions, disclosure, hard_copies, packs
from requests_app.services.base import ActionRefused, gate_problems
from requests_app.workflow import TRANSITION_ACTIONS


@dataclass(frozen=True)
class ActionSpec:
    label: str
    form: type
    run: Callable
    heading: str = ""
    secondary: bool = False
    warning: bool = False


def _d(form):
    return form.cleaned_data


ACTIONS: dict[str, ActionSpec] = {
    "approve": ActionSpec("Approve sharing", f.DecisionForm,
                          lambda r, u, form, h: decisions.approve(r, u, http_request=h, **_d(form)),
                          "Approve sharing information"),
    "refuse": ActionSpec("Refuse", f.RefusalForm,
                         lambda r, u, form, h: decisions.refuse(r, u, http_request=h, **_d(form)),
                         "Refuse the request", warning=True),
    "allocate": ActionSpec("Allocate a worker", f.AllocateForm,
                           lambda r, u, form, h: decisions.allocate(r, u, http_request=h,
                                                                   **_d(form))),
    "record_decision": ActionSpec("Record decision to share", f.DecisionForm,
                                  lambda r, u, form, h: decisions.record_decision(
                                      r, u, http_request=h, **_d(form)),
                                  "Record the decision to share"),
    "decline": ActionSpec("Decide not to share", f.RefusalForm,
                          lambda r, u, form, h: decisions.decline(r, u, http_request=h,
                                                                  **_d(form)),
                          "Record a decision not to share", warning=True),
    "request_retrieval": ActionSpec("Request records retrieval", f.RetrievalForm,
                                    lambda r, u, form, h: disclosure.request_retrieval(
                                        r, u, http_request=h, **_d(form)),
                                    secondary=True),
    "mark_retrieved": ActionSpec("Records retrieved", f.ConfirmForm,
                                 lambda r, u, form, h: disclosure.mark_retrieved(
                                     r, u, http_request=h),
                                 "Confirm the records have been retrieved", secondary=True),
    "return_files": ActionSpec("Return paper files to storage", f.ConfirmForm,
                               lambda r, u, form, h: disclosure.return_files(
                                   r, u, http_request=h),
                               "Confirm the paper files are back in storage", secondary=True),
    "submit_for_check": ActionSpec("Send for a check", f.CheckForm,
                                   lambda r, u, form, h: disclosure.submit_for_check(
                                       r, u, http_request=h, **_d(form)),
                                   "Send for a check before release", secondary=True),
    "complete_check": ActionSpec("Check done", f.CheckDoneForm,
                                 lambda r, u, form, h: disclosure.complete_check(
                                     r, u, http_request=h, **_d(form)),
                                 "Record that the check is done"),
    "disclose": ActionSpec("Record disclosure", f.DiscloseForm,
                           lambda r, u, form, h: disclosure.disclose(r, u, http_request=h,
                                                                     **_d(form)),
                           "Record what was disclosed"),
    "ask_for_pack": ActionSpec("Ask business support to prepare the pack", f.InstructionsForm,
                               lambda r, u, form, h: packs.ask_for_pack(r, u, http_request=h,
                                                                        **_d(form)),
                               secondary=True),
    "send_pack": ActionSpec("Send the pack", fd.SendPackForm,
                            lambda r, u, form, h: packs.send(r, u, http_request=h, **_d(form)),
                            "Send the finalised disclosure pack"),
    "request_hard_copies": ActionSpec("Ask for hard copies", f.HardCopiesForm,
                                      lambda r, u, form, h: hard_copies.request_hard_copies(
                                          r, u, http_request=h, **_d(form)),
                                      "Ask the CSM to approve hard copies", secondary=True),
    "approve_hard_copies": ActionSpec("Approve hard copies", f.ApproveHardCopiesForm,
                                      lambda r, u, form, h: hard_copies.approve_hard_copies(
                                          r, u, http_request=h, **_d(form))),
    "refuse_hard_copies": ActionSpec("Refuse hard copies", f.ApproveHardCopiesForm,
                                     lambda r, u, form, h: hard_copies.refuse_hard_copies(
                                         r, u, http_request=h, **_d(form)), warning=True),
    "send_hard_copies": ActionSpec("Send hard copies", f.SendForm,
                                   lambda r, u, form, h: hard_copies.send_hard_copies(
                                       r, u, http_request=h, **_d(form)),
                                   "Record that the hard copies were sent"),
    "pause": ActionSpec("Pause the clock", f.ReasonForm,
                        lambda r, u, form, h: clock.pause(r, u, http_request=h, **_d(form)),
                        secondary=True),
    "resume": ActionSpec("Restart the clock", f.ConfirmForm,
                         lambda r, u, form, h: clock.resume(r, u, http_request=h),
                         secondary=True),
    "extend": ActionSpec("Extend the deadline", f.ExtendForm,
                         lambda r, u, form, h: clock.extend(r, u, http_request=h, **_d(form)),
                         secondary=True),
    "withdraw": ActionSpec("Withdraw", f.ReasonForm,
                           lambda r, u, form, h: closing.withdraw(r, u, http_request=h,
                                                                  **_d(form)),
                           "Withdraw the request", secondary=True, warning=True),
    "close": ActionSpec("Close the request", f.CloseForm,
                        lambda r, u, form, h: closing.close(r, u, http_request=h, **_d(form))),
}
# Triage transitions have their own page (views.intake.triage).
TRIAGE_ONLY = {"route", "refer_out", "refuse_at_triage"}


@dataclass(frozen=True)
class OfferedAction:
    name: str
    spec: ActionSpec
    problems: tuple[str, ...]

    @property
    def enabled(self) -> bool:
        return not self.problems


def offered_actions(request_obj, user) -> list[OfferedAction]:
    """The actions this state allows, each enabled or with the reasons it is not."""
    offered = []
    for transition in request_obj.get_available_state_transitions():
        name = transition.name
        if name in TRIAGE_ONLY or name not in ACTIONS:
            continue
        problems = access.access_problems(user, request_obj, name)
        if not problems and name in {"approve", "approve_hard_copies"}:
            # Show who may decide before anyone fills in the form (NOTTS-1.2.1, NOTTS-2).
            policy_action = TRANSITION_ACTIONS[name]
            problems = [p for p in gate_problems(request_obj, user, policy_action)
                        if "ALL-2" not in p]
        if problems and not access.is_with(user, request_obj) and name != "approve_hard_copies":
            continue  # onlookers are not shown the buttons at all
        offered.append(OfferedAction(name, ACTIONS[name], tuple(problems)))
    return offered


@require_http_methods(["GET", "POST"])
def act(request, reference: str, action: str):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    if request.method == "POST":
        obj = access.get_request_for_action(request.user, reference)
    else:
        obj = access.get_request_for_user(request.user, reference)
    form_kwargs = {"request_obj": obj} if spec.form is f.AllocateForm else {}
    problems: list[str] = []
    if request.method == "POST":
        form = spec.form(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            try:
                spec.run(obj, request.user, form, request)
            except ActionRefused as refused:
                problems = refused.problems
            else:
                messages.success(request, f"{spec.label}: done.")
                return redirect("request_detail", reference=obj.reference)
    else:
        form = spec.form(**form_kwargs)
        problems = access.access_problems(request.user, obj, action)
    return render(request, "requests/action.html", {
        "obj": obj, "form": form, "spec": spec, "action": action, "problems": problems,
    }, status=422 if request.method == "POST" else 200)
