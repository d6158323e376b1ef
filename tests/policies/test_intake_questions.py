"""What each council asks when a request is logged, by type of request (ADR 0023): only the
questions its own rules read for that type, each with the rule IDs that ask it."""

import pytest

from policies.base import Action, AgencyType, Consent, RequestType
from policies.catalogue import IntakeFact as F
from policies.registry import get_policy
from tests.policies.factories import make_request, make_requester

COUNCILS = ("nottinghamshire", "devon", "camden", "brighton_hove")
PREFIX = {"nottinghamshire": "NOTTS-", "devon": "DEVON-", "camden": "CAMDEN-",
          "brighton_hove": "BH-"}
EVERY_TYPE = (F.LAWFUL_BASIS, F.IDENTITY_VERIFIED, F.RECEIVED_BY_TEAM)


def asked(council: str, request_type: str, agency: str = "health") -> dict[str, tuple]:
    return {a.code: a.rule_ids for a in get_policy(council).intake_facts(request_type, agency)}


# ----------------------------------------------------------------- every council


@pytest.mark.parametrize("council", COUNCILS)
def test_every_type_records_the_lawful_basis_identity_and_where_it_arrived(council):
    for request_type in ("", *RequestType):
        for agency in AgencyType:
            questions = asked(council, request_type, agency)
            assert all(code in questions for code in EVERY_TYPE), (request_type, agency)


@pytest.mark.parametrize("council", COUNCILS)
def test_a_council_cites_only_its_own_rules_or_the_common_ones(council):
    for request_type in ("", *RequestType):
        for agency in AgencyType:
            for rule_ids in asked(council, request_type, agency).values():
                assert rule_ids, (request_type, agency)
                for rule in rule_ids:
                    assert rule.startswith(("ALL-", PREFIX[council])), (request_type, rule)


@pytest.mark.parametrize("council", COUNCILS)
@pytest.mark.parametrize("request_type", ["subject_access", "child_sex_offender_disclosure"])
def test_a_request_that_leaves_at_once_is_asked_only_what_every_request_records(
        council, request_type):
    """ALL-4 and NOTTS-6: nothing is shared in this workflow, so no sharing question."""
    assert asked(council, request_type) == {code: ("ALL-1",) for code in EVERY_TYPE}


@pytest.mark.parametrize("council", COUNCILS)
def test_with_no_type_chosen_only_what_every_type_records_is_asked(council):
    assert set(asked(council, "")) == set(EVERY_TYPE)


# ----------------------------------------------------------------- Nottinghamshire


def test_nottinghamshire_asks_the_scimt_procedures_tests_of_a_professionals_request():
    assert asked("nottinghamshire", "information") == {
        F.WORKING_WITH_SUBJECT: ("NOTTS-0.4",),
        F.SPECIFIC_INFORMATION: ("NOTTS-0.3", "NOTTS-0.4"),
        F.LARGE_VOLUME: ("NOTTS-0.3",),
        F.PRINTED_FILES: ("NOTTS-0.7",),
        F.PUBLIC_INTEREST: ("NOTTS-5", "NOTTS-0.4"),
        F.LAWFUL_BASIS: ("ALL-1",),
        F.IDENTITY_VERIFIED: ("NOTTS-0.6",),
        F.RECEIVED_BY_TEAM: ("NOTTS-0.5",),
    }
    for request_type in ("police_investigation", "cafcass_section7", "network_check", "dbs"):
        assert asked("nottinghamshire", request_type) == asked("nottinghamshire", "information")


def test_nottinghamshire_hard_copies_are_particular_documents_not_a_lot_of_information():
    questions = asked("nottinghamshire", "hard_copies", "health")
    assert F.LARGE_VOLUME not in questions  # NOTTS-2: copies of particular documents
    assert questions[F.PRINTED_FILES] == ("NOTTS-0.7",)
    # NOTTS-2.1: a police officer's hard copies go to Legal Services under Annex C.
    assert set(asked("nottinghamshire", "hard_copies", "police")) == set(EVERY_TYPE)


@pytest.mark.parametrize("request_type", ["adoption_records", "view_records",
                                          "ofsted_school_incident"])
def test_nottinghamshire_asks_nothing_of_the_procedure_where_it_sends_the_request_elsewhere(
        request_type):
    """NOTTS-0.1 adoption records, NOTTS-0.2 viewing records, NOTTS-4 school incidents."""
    assert asked("nottinghamshire", request_type) == {code: ("ALL-1",) for code in EVERY_TYPE}


def test_nottinghamshire_answers_ofsted_from_framework_after_checking_who_asks():
    assert asked("nottinghamshire", "ofsted_enquiry", "ofsted") == {
        F.LAWFUL_BASIS: ("ALL-1",),
        F.IDENTITY_VERIFIED: ("NOTTS-0.6", "NOTTS-3"),
        F.RECEIVED_BY_TEAM: ("NOTTS-0.5",),
    }


@pytest.mark.parametrize("request_type", list(RequestType))
def test_nottinghamshire_triage_blocks_on_the_procedures_tests_only_where_it_asks_them(
        request_type):
    """The gate reads the same table as the page: nothing unasked becomes a blocker."""
    notts = get_policy("nottinghamshire")
    bare = make_request(request_type=request_type, working_with_subject=None,
                        specific_information=None, consent=Consent.NOT_OBTAINED,
                        requester=make_requester(agency_type="ofsted"))
    cited = [u.rule_id for u in notts.check(Action.TRIAGE, bare).unmet]
    expected = F.WORKING_WITH_SUBJECT in asked("nottinghamshire", request_type, "ofsted")
    assert ("NOTTS-0.4" in cited) == expected


# ----------------------------------------------------------------- Devon


def test_devon_asks_about_a_childrens_guardian_only_where_access_rests_on_one():
    assert asked("devon", "cafcass_public_law", "cafcass")[F.GUARDIAN_APPOINTED] == ("DEVON-1",)
    assert asked("devon", "cafcass_rule_16_4", "cafcass")[F.GUARDIAN_APPOINTED] == (
        "DEVON-2.2",)
    for request_type in ("cafcass_private_law", "cafcass_section7", "information"):
        assert F.GUARDIAN_APPOINTED not in asked("devon", request_type, "cafcass")


def test_devon_asks_about_a_court_order_only_for_a_section_7_report():
    assert asked("devon", "cafcass_section7", "cafcass")[F.COURT_ORDER] == ("DEVON-2.1",)
    others = [t for t in RequestType if t != RequestType.CAFCASS_SECTION7]
    assert all(F.COURT_ORDER not in asked("devon", t, "cafcass") for t in others)


def test_devon_asks_a_police_officer_whether_a_crime_is_being_investigated():
    assert asked("devon", "information", "police")[F.CRIMINAL_INVESTIGATION] == ("DEVON-6",)
    assert asked("devon", "hard_copies", "police")[F.CRIMINAL_INVESTIGATION] == ("DEVON-6",)
    # The type already says so, or it is not the police asking: not asked.
    assert F.CRIMINAL_INVESTIGATION not in asked("devon", "police_investigation", "police")
    assert F.CRIMINAL_INVESTIGATION not in asked("devon", "information", "health")
    assert F.CRIMINAL_INVESTIGATION not in asked("devon", "information", "")


def test_devon_asks_a_family_nothing_more_unless_it_is_for_minutes():
    """DEVON-3.2: anything but minutes is a subject access request."""
    assert set(asked("devon", "cafcass_section7", "parent")) == set(EVERY_TYPE)
    assert set(asked("devon", "meeting_minutes", "parent")) == set(EVERY_TYPE)


# ----------------------------------------------------------------- Camden


def test_camden_asks_the_lawful_basis_necessity_and_whether_parents_were_told():
    assert asked("camden", "information") == {
        F.NECESSITY: ("CAMDEN-3",),
        F.PARENTS_INFORMED: ("CAMDEN-2",),
        F.LAWFUL_BASIS: ("CAMDEN-1",),
        F.IDENTITY_VERIFIED: ("ALL-1",),
        F.RECEIVED_BY_TEAM: ("ALL-1",),
    }


def test_camden_asks_about_parents_under_the_network_check_rule_for_network_checks():
    assert asked("camden", "network_check")[F.PARENTS_INFORMED] == ("CAMDEN-10",)


# ----------------------------------------------------------------- Brighton & Hove


def test_brighton_and_hove_asks_the_public_interest_for_a_request_it_may_share_on():
    assert asked("brighton_hove", "information") == {
        F.PUBLIC_INTEREST: ("BH-3",),
        F.LAWFUL_BASIS: ("ALL-1",),
        F.IDENTITY_VERIFIED: ("ALL-1",),
        F.RECEIVED_BY_TEAM: ("ALL-1",),
    }
    assert F.PUBLIC_INTEREST not in asked("brighton_hove", "subject_access")
