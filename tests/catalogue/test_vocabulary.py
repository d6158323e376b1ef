"""One vocabulary: the models' choices are the policy's words, and every transition the
catalogue names is a workflow transition (and the other way round)."""

from __future__ import annotations

from policies import base as p
from policies.catalogue import SPECS, Transition
from policies.registry import POLICIES
from requests_app import models as m
from requests_app.models.documents import SEND_METHOD_LABELS
from requests_app.views.actions import ACTIONS
from requests_app.workflow import RequestWorkflow


def values(choices) -> set[str]:
    return {str(v) for v in choices.values if str(v)}


def test_model_choices_are_the_policy_vocabulary():
    assert values(m.Council.Slug) == set(POLICIES) == {str(c) for c in p.Council}
    assert values(m.RequestType) == {str(v) for v in p.RequestType}
    assert values(m.AgencyType) == {str(v) for v in p.AgencyType}
    assert values(m.Channel) == {str(v) for v in p.Channel}
    assert values(m.Consent) == {str(v) for v in p.Consent}
    assert values(m.Role) == {str(v) for v in p.Role}
    assert values(m.Document.AuthorConsent) == {str(v) for v in p.DocumentConsent}
    assert values(m.ParentsInformed) == {"informed"} | {str(v) for v in p.ParentsException}
    # The policy knows one team kind more (a separate SAR team) than any demo council has.
    assert values(m.TeamKind) <= {str(v) for v in p.TeamKind}
    assert values(m.HardCopyRequest.Method) <= {str(v) for v in p.SendMethod}
    assert values(m.Pack.Method) <= {str(v) for v in p.SendMethod}
    assert {str(v) for v, _ in SEND_METHOD_LABELS} == {str(v) for v in p.SendMethod}


def test_every_catalogue_transition_is_a_workflow_transition():
    workflow = {name for name in dir(RequestWorkflow)
                if hasattr(getattr(RequestWorkflow, name), "_django_fsm")}
    assert {str(t) for t in Transition} == set(SPECS) == workflow
    assert set(ACTIONS) <= workflow
