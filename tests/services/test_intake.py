"""Logging a request (ALL-1) and triage: route, refer out or refuse (NOTTS-0.x, NOTTS-1.x,
DEVON-5/6, CAMDEN-5, BH-1, ALL-4)."""

import pytest

from requests_app.models import AuditEvent, CaseNote, InformationRequest, RequestState
from requests_app.services import intake
from tests.services.conftest import (
    assert_audited,
    assert_noted_on_every_subject,
    case,
    cites,
    closed_electronic,
    fresh,
    log,
    log_and_triage,
    may_act,
    may_see,
    notes,
    open_case,
    refused,
    requester,
    team,
)

S = RequestState
pytestmark = pytest.mark.usefixtures("demo")

NOT_WITH = ["The request is not with you or your team at this step."]


# ---- logging (ALL-1) ------------------------------------------------------------------------


def test_logging_records_the_request_with_a_triage_note_and_an_audit_event(people):
    scimt = people["notts.scimt"]
    request = log(scimt, closed_electronic("nottinghamshire"))

    request = fresh(request)
    assert request.state == S.RECEIVED
    assert request.reference.startswith("NOTTS-")
    assert request.created_by == scimt
    assert request.identity_verified_by == scimt and request.identity_verified_at
    assert request.due_date is not None
    (note,) = assert_noted_on_every_subject(request, CaseNote.Kind.TRIAGE, "ALL-1")
    assert "Derbyshire County Council" in note.text
    event = AuditEvent.objects.get(request=request, action="request.logged")
    assert (event.actor, event.to_state) == (scimt, S.RECEIVED)


def test_a_request_about_two_children_is_noted_on_both_records(people):
    scimt = people["notts.scimt"]
    siblings = [closed_electronic("nottinghamshire"), open_case("nottinghamshire")]
    request = intake.log_request(
        scimt, requester=requester("nottinghamshire", "other_council"),
        subjects=siblings, request_type="information", channel="email",
        information_sought="Whether either child is known.", consent="obtained",
        consent_evidence="Mother's signed consent.",
    )

    triage_notes = notes(request, CaseNote.Kind.TRIAGE)
    assert {n.case_record_id for n in triage_notes} == {c.pk for c in siblings}


def test_only_the_first_point_of_contact_logs_requests(people):
    problems = refused(log, people["notts.sw"], closed_electronic("nottinghamshire"))

    assert cites(problems, "NOTTS-0.5")
    assert not InformationRequest.objects.exists()


def test_a_request_must_be_about_someone(people):
    problems = refused(
        intake.log_request, people["notts.scimt"],
        requester=requester("nottinghamshire", "police"), subjects=[],
        request_type="information", channel="email", information_sought="Anything known.",
    )

    assert cites(problems, "ALL-1")


# ---- Nottinghamshire routing ------------------------------------------------------------------


def test_closed_case_goes_to_the_csm_of_the_team_that_last_held_it(people):
    scimt, csm = people["notts.scimt"], people["notts.csm"]
    request = log_and_triage(scimt, closed_electronic("nottinghamshire"))

    request = fresh(request)
    assert request.state == S.AWAITING_DECISION
    assert request.routed_to == csm
    assert request.routed_team == team("nottinghamshire", "Mansfield Children's Social Work Team")
    assert "NOTTS-1.2" in request.route_rule_ids
    assert "NOTTS-1.2" in request.route_explanation
    # NOTTS-1: the triage officer's case note is written on the child's record.
    assert_noted_on_every_subject(request, CaseNote.Kind.ROUTING, "NOTTS-1.2", "NOTTS-1")
    assert_audited(request, "route", S.RECEIVED, S.AWAITING_DECISION, scimt)
    assert may_act(csm, request)
    assert not may_act(people["notts.dcpt.csm"], request)
    assert not may_see(people["notts.dcpt.csm"], request)


def test_closed_case_with_defunct_team_goes_to_dcpt_csm(people):
    broxtowe = case("nottinghamshire", locality="Broxtowe", on_paper=False)
    request = log_and_triage(people["notts.scimt"], broxtowe)

    request = fresh(request)
    assert request.routed_to == people["notts.dcpt.csm"]
    assert request.routed_team == team("nottinghamshire", "Broxtowe DCPT")
    assert "no longer exists" in request.route_explanation
    assert "NOTTS-1.2" in request.route_rule_ids
    assert may_act(people["notts.dcpt.csm"], request)
    assert not may_act(people["notts.csm"], request)


def test_closed_paper_case_is_routed_under_notts_1_3(people):
    paper = case("nottinghamshire", locality="Broxtowe", on_paper=True)
    request = log_and_triage(people["notts.scimt"], paper)

    request = fresh(request)
    assert request.state == S.AWAITING_DECISION
    assert request.route_rule_ids[0] == "NOTTS-1.3"
    assert request.routed_to == people["notts.dcpt.csm"]


def test_open_case_goes_straight_to_the_allocated_worker(people):
    request = log_and_triage(people["notts.scimt"], open_case("nottinghamshire"))

    request = fresh(request)
    assert request.state == S.WITH_WORKER
    assert request.routed_to == people["notts.sw"]
    assert "NOTTS-1.1" in request.route_rule_ids
    told = [n for n in notes(request, CaseNote.Kind.ROUTING) if "Requester told" in n.text]
    assert told and "Sophie Walker" in told[0].text  # NOTTS-1.1: the requester gets the SW's name
    assert may_act(people["notts.sw"], request)


def test_triage_reports_every_missing_fact_not_just_the_first(people):
    scimt = people["notts.scimt"]
    request = log(scimt, closed_electronic("nottinghamshire"), working_with_subject=None,
                  specific_information=None, consent="not_obtained", consent_evidence="",
                  identity_verified=False)

    problems = refused(intake.triage, request, scimt)

    assert len(cites(problems, "NOTTS-0.4")) == 3  # works with the subject, specific, consent
    assert cites(problems, "NOTTS-0.6")  # identity
    request = fresh(request)
    assert request.state == S.RECEIVED
    assert not notes(request, CaseNote.Kind.ROUTING)  # the triage note was rolled back too
    assert not may_see(people["notts.csm"], request)


def test_printed_files_are_refused_at_triage(people):
    scimt = people["notts.scimt"]
    request = log_and_triage(scimt, closed_electronic("nottinghamshire"),
                             asks_for_printed_files=True)

    request = fresh(request)
    assert request.state == S.REFUSED_AT_TRIAGE
    assert "NOTTS-0.7" in request.route_rule_ids
    (note,) = assert_noted_on_every_subject(request, CaseNote.Kind.DECISION, "NOTTS-0.7")
    assert "Requester told" in note.text
    assert_audited(request, "refuse_at_triage", S.RECEIVED, S.REFUSED_AT_TRIAGE, scimt)
    assert not may_see(people["notts.csm"], request)


def test_subject_access_is_referred_to_the_sar_team(people):
    scimt = people["notts.scimt"]
    request = log_and_triage(scimt, closed_electronic("nottinghamshire"),
                             request_type="subject_access")

    request = fresh(request)
    assert request.state == S.REFERRED_OUT
    (note,) = assert_noted_on_every_subject(request, CaseNote.Kind.REFERRAL, "ALL-4")
    assert "Requester told" in note.text and "subject access" in note.text
    assert_audited(request, "refer_out", S.RECEIVED, S.REFERRED_OUT, scimt)


def test_only_the_first_point_of_contact_triages(people):
    request = log(people["notts.scimt"], closed_electronic("nottinghamshire"))

    problems = refused(intake.triage, request, people["notts.sw"])

    assert problems == NOT_WITH
    assert fresh(request).state == S.RECEIVED
    assert not notes(request, CaseNote.Kind.ROUTING)


def test_a_first_point_of_contact_from_another_council_cannot_triage(people):
    request = log(people["notts.scimt"], closed_electronic("nottinghamshire"))

    problems = refused(intake.triage, request, people["camden.scimt"])

    assert problems == ["You do not work for this council."]
    assert fresh(request).state == S.RECEIVED


# ---- the other councils ---------------------------------------------------------------------


def test_devon_police_investigation_goes_to_information_governance_first(people):
    scimt = people["devon.scimt"]
    request = log_and_triage(scimt, open_case("devon"), agency_type="police",
                             request_type="police_investigation", criminal_investigation=True)

    request = fresh(request)
    assert request.routed_team == team("devon", "Information and Cyber Security Team")
    assert "DEVON-6" in request.route_rule_ids
    assert_audited(request, "route", S.RECEIVED, request.state, scimt)
    assert may_act(people["devon.ig"], request)  # through the IG team's group
    assert not may_act(people["devon.bs"], request)


def test_devon_dbs_request_is_logged_and_routed_by_safer_recruitment(people):
    saferrec = people["devon.saferrec"]
    request = log_and_triage(saferrec, closed_electronic("devon"), agency_type="dbs",
                             request_type="dbs")

    request = fresh(request)
    assert request.state == S.AWAITING_ALLOCATION
    assert request.routed_team == team("devon", "Safer Recruitment Team")
    assert "DEVON-5" in request.route_rule_ids
    assert may_act(saferrec, request)


def test_camden_open_case_goes_to_the_allocated_worker(people):
    request = log_and_triage(people["camden.scimt"], open_case("camden"), agency_type="health")

    request = fresh(request)
    assert request.state == S.WITH_WORKER
    assert request.routed_to == people["camden.sw"]
    assert "CAMDEN-5" in request.route_rule_ids
    assert may_act(people["camden.sw"], request)
    assert not may_act(people["camden.sw2"], request)


def test_camden_triage_reports_the_lawful_basis_and_consent_evidence_together(people):
    scimt = people["camden.scimt"]
    request = log(scimt, open_case("camden"), agency_type="health", lawful_basis="",
                  consent_evidence="")

    problems = refused(intake.triage, request, scimt)

    assert cites(problems, "CAMDEN-1")
    assert cites(problems, "ALL-1")
    assert fresh(request).state == S.RECEIVED


def test_brighton_hove_open_case_goes_to_the_allocated_worker(people):
    sixteen = case("brighton_hove", is_open=True, family_wishes__gt="")
    request = log_and_triage(people["bh.scimt"], sixteen, agency_type="health")

    request = fresh(request)
    assert request.state == S.WITH_WORKER
    assert request.routed_to == people["bh.sw"]
    assert "BH-1" in request.route_rule_ids
