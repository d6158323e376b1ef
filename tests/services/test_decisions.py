"""Decisions to share or not, with reasons, by a named person (ALL-2, NOTTS-1.2.1, CAMDEN-3,
BH-1, BH-4)."""

import pytest

from requests_app.models import CaseNote, DisclosureDecision, RequestState
from requests_app.services import decisions
from tests.services.conftest import (
    assert_audited,
    assert_noted_on_every_subject,
    case,
    cites,
    closed_electronic,
    fresh,
    log_and_triage,
    may_act,
    may_see,
    open_case,
    refused,
)

S = RequestState
pytestmark = pytest.mark.usefixtures("demo")

NOT_WITH = ["The request is not with you or your team at this step."]


@pytest.fixture
def awaiting_csm(people):
    """A Nottinghamshire closed case, triaged to Carol Hennessy (CSM, Mansfield)."""
    return log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"))


# ---- the CSM's decision (NOTTS-1.2.1) --------------------------------------------------------


def test_csm_approval_is_recorded_and_passes_to_the_team_manager(people, awaiting_csm):
    csm, tm = people["notts.csm"], people["notts.tm"]

    request = decisions.approve(awaiting_csm, csm, reasons="Specific and with consent.",
                                conditions="Dates only.")

    request = fresh(request)
    assert request.state == S.AWAITING_ALLOCATION
    assert request.routed_to == tm
    (decision,) = request.decisions.all()
    assert (decision.outcome, decision.decided_by, decision.reasons) == (
        "approved", csm, "Specific and with consent.")
    (note,) = assert_noted_on_every_subject(request, CaseNote.Kind.DECISION, "NOTTS-1.2.1",
                                            "ALL-2")
    assert "Dates only." in note.text
    assert_audited(request, "approve", S.AWAITING_DECISION, S.AWAITING_ALLOCATION, csm)
    assert may_act(tm, request)
    assert not may_act(csm, request)
    assert may_see(csm, request)  # they decided: they keep sight of it


def test_another_csm_cannot_decide(people, awaiting_csm):
    problems = refused(decisions.approve, awaiting_csm, people["notts.dcpt.csm"],
                       reasons="Looks fine.")

    assert problems
    assert fresh(awaiting_csm).state == S.AWAITING_DECISION
    assert not DisclosureDecision.objects.filter(request=awaiting_csm).exists()


def test_the_triage_officer_cannot_take_the_csm_decision(people, awaiting_csm):
    problems = refused(decisions.approve, awaiting_csm, people["notts.scimt"],
                       reasons="Looks fine.")

    assert problems == NOT_WITH
    assert not DisclosureDecision.objects.filter(request=awaiting_csm).exists()


def test_a_csm_from_another_council_cannot_decide(people, awaiting_csm):
    problems = refused(decisions.refuse, awaiting_csm, people["camden.csm"],
                       reasons="No.", requester_informed=True)

    assert problems == ["You do not work for this council."]
    assert not DisclosureDecision.objects.filter(request=awaiting_csm).exists()


def test_a_decision_needs_its_reasons(people, awaiting_csm):
    problems = refused(decisions.approve, awaiting_csm, people["notts.csm"], reasons="  ")

    assert cites(problems, "ALL-2")
    assert fresh(awaiting_csm).state == S.AWAITING_DECISION


def test_csm_refusal_records_that_the_requester_was_told(people, awaiting_csm):
    csm = people["notts.csm"]

    request = decisions.refuse(awaiting_csm, csm, reasons="The whole file is asked for.",
                               requester_informed=True)

    request = fresh(request)
    assert request.state == S.REFUSED
    (decision,) = request.decisions.all()
    assert decision.outcome == "refused" and decision.requester_informed
    (note,) = assert_noted_on_every_subject(request, CaseNote.Kind.DECISION, "NOTTS-1.2.1")
    assert "requester has been told" in note.text
    assert_audited(request, "refuse", S.AWAITING_DECISION, S.REFUSED, csm)


def test_csm_cannot_refuse_without_telling_the_requester(people, awaiting_csm):
    problems = refused(decisions.refuse, awaiting_csm, people["notts.csm"],
                       reasons="Not proportionate.", requester_informed=False)

    assert cites(problems, "NOTTS-1.2.1")
    assert fresh(awaiting_csm).state == S.AWAITING_DECISION
    assert not DisclosureDecision.objects.filter(request=awaiting_csm).exists()


def test_a_decided_request_cannot_be_decided_again(people, awaiting_csm):
    csm = people["notts.csm"]
    decisions.approve(awaiting_csm, csm, reasons="Specific and with consent.")

    problems = refused(decisions.refuse, fresh(awaiting_csm), csm, reasons="Changed my mind.",
                       requester_informed=True)

    assert problems
    assert DisclosureDecision.objects.filter(request=awaiting_csm).count() == 1


# ---- the practitioner's decision (ALL-2, open cases and the other councils) --------------------


def test_worker_records_a_decision_to_share_on_an_open_case(people):
    sw = people["notts.sw"]
    request = log_and_triage(people["notts.scimt"], open_case("nottinghamshire"))

    request = decisions.record_decision(request, sw, reasons="Needed for the assessment.")

    request = fresh(request)
    assert request.state == S.WITH_WORKER
    (decision,) = request.decisions.all()
    assert (decision.outcome, decision.decided_by) == ("approved", sw)
    assert_noted_on_every_subject(request, CaseNote.Kind.DECISION, "ALL-2")
    assert_audited(request, "record_decision", S.WITH_WORKER, S.WITH_WORKER, sw)


def test_worker_declines_and_says_the_requester_was_told(people):
    sw = people["notts.sw"]
    request = log_and_triage(people["notts.scimt"], open_case("nottinghamshire"))

    problems = refused(decisions.decline, request, sw, reasons="Not needed.",
                       requester_informed=False)
    assert cites(problems, "ALL-2")

    request = decisions.decline(fresh(request), sw, reasons="Not needed.",
                                requester_informed=True)
    request = fresh(request)
    assert request.state == S.REFUSED
    assert request.decisions.get().requester_informed
    assert_audited(request, "decline", S.WITH_WORKER, S.REFUSED, sw)


def test_another_worker_cannot_decide_for_the_allocated_one(people):
    request = log_and_triage(people["notts.scimt"], open_case("nottinghamshire"))

    problems = refused(decisions.record_decision, request, people["notts.sw2"],
                       reasons="Fine by me.")

    assert problems
    assert not request.decisions.exists()


def test_camden_decision_needs_the_necessity_recorded(people):
    request = log_and_triage(people["camden.scimt"], open_case("camden"), agency_type="health")

    problems = refused(decisions.record_decision, request, people["camden.sw"],
                       reasons="Needed for a health assessment.")

    assert cites(problems, "CAMDEN-3")
    assert not request.decisions.exists()


def test_camden_worker_decides_when_necessity_is_recorded(people):
    request = log_and_triage(people["camden.scimt"], open_case("camden"), agency_type="health",
                             necessity_note="Only the plan dates, to the named nurse.")

    decisions.record_decision(request, people["camden.sw"], reasons="Needed for the plan.")

    assert request.decisions.get().decided_by == people["camden.sw"]


def test_brighton_hove_decision_waits_for_the_family_wishes_to_be_acknowledged(people):
    sixteen = case("brighton_hove", is_open=True, family_wishes__gt="")
    request = log_and_triage(people["bh.scimt"], sixteen, agency_type="health")

    problems = refused(decisions.record_decision, request, people["bh.sw"],
                       reasons="Relevant to the assessment.")

    assert cites(problems, "BH-4")
    assert "mental health history" in cites(problems, "BH-4")[0]
    assert not request.decisions.exists()
