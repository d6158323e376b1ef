"""Nottinghamshire: the SCIMT procedure (source 001) and board chapter (003)."""

from dataclasses import replace

from policies.base import Action, HardCopyRequest, SendDetails
from policies.registry import get_policy
from tests.policies.factories import (
    CSM_DCPT,
    CSM_LAST,
    CSM_MASH,
    CSM_OTHER,
    DEFUNCT_TEAM,
    GM_SCHOOLS,
    WORKER,
    decision,
    make_actor,
    make_case,
    make_closed_case,
    make_request,
    make_requester,
)

notts = get_policy("nottinghamshire")


def ids(result):
    return [u.rule_id for u in result.unmet]


# ----------------------------------------------------------------- routing


def test_own_adoption_records_go_to_adoption_records_manager():
    """NOTTS-0.1"""
    r = notts.route(make_request(request_type="adoption_records"))
    assert r.kind == "referral" and r.target == "adoption_records_manager"
    assert "NOTTS-0.1" in r.rule_ids and r.person.name == "Ada Records"


def test_request_to_view_records_goes_to_view_records_procedure():
    """NOTTS-0.2"""
    r = notts.route(make_request(request_type="view_records"))
    assert r.kind == "referral" and r.target == "view_records_procedure"
    assert r.rule_ids == ("NOTTS-0.2",)


def test_large_request_suggests_viewing_instead():
    """NOTTS-0.3: triage records the advice to view instead."""
    r = notts.route(make_request(large_volume=True))
    assert any(n.rule_id == "NOTTS-0.3" and "view" in n.message for n in r.notes)
    assert not any(n.rule_id == "NOTTS-0.3" for n in notts.route(make_request()).notes)


def test_triage_needs_working_relationship_specific_ask_and_consent():
    """NOTTS-0.4: each of the three is recorded; all missing ones are reported together."""
    req = make_request(
        working_with_subject=None, specific_information=False, consent="not_obtained"
    )
    result = notts.check(Action.TRIAGE, req)
    assert ids(result).count("NOTTS-0.4") == 3
    assert notts.check(Action.TRIAGE, make_request()).ok


def test_call_to_mash_is_transferred_to_scimt():
    """NOTTS-0.5"""
    r = notts.route(make_request(received_by_team_kind="mash", subjects=(make_closed_case(),)))
    assert r.kind == "route" and r.role == "scimt_officer" and r.team.kind == "scimt"
    assert r.rule_ids == ("NOTTS-0.5",)


def test_requester_who_knows_case_is_open_may_go_straight_to_worker():
    """NOTTS-0.5: the exception — open case, request made to the worker's team directly."""
    req = make_request(received_by_team_kind="social_work")
    r = notts.route(req)
    assert r.role == "social_worker" and r.person == WORKER
    assert notts.who_may(Action.TRIAGE, req).allows(make_actor(WORKER.id))


def test_triage_requires_verified_identity_and_shares_only_basic_facts():
    """NOTTS-0.6"""
    assert "NOTTS-0.6" in ids(
        notts.check(Action.TRIAGE, make_request(identity_verified_at_triage=False))
    )
    facts = next(n for n in notts.route(make_request()).notes if n.rule_id == "NOTTS-0.6")
    assert "open" in facts.message and WORKER.name in facts.message
    closed = notts.route(make_request(subjects=(make_closed_case(has_cp_history=True),)))
    facts = next(n for n in closed.notes if n.rule_id == "NOTTS-0.6")
    assert "closed on 01 March 2023" in facts.message and "child-protection history" in (
        facts.message
    )


def test_unknown_person_is_reported_as_not_known():
    """NOTTS-0.6"""
    r = notts.route(make_request(subjects=()))
    assert r.kind == "refusal" and "not known" in r.tell_requester


def test_asking_for_printed_files_is_refused_at_triage():
    """NOTTS-0.7"""
    r = notts.route(make_request(asks_for_printed_files=True))
    assert r.kind == "refusal" and r.rule_ids == ("NOTTS-0.7",)
    assert "NOTTS-0.7" in ids(notts.check(Action.TRIAGE, make_request(asks_for_printed_files=True)))


def test_scimt_adds_case_note_before_forwarding():
    """NOTTS-1"""
    assert ids(notts.check(Action.FORWARD, make_request())) == ["NOTTS-1"]
    done = make_request(completed_steps=frozenset({Action.TRIAGE_CASE_NOTE}))
    assert notts.check(Action.FORWARD, done).ok


def test_open_case_goes_to_current_worker_and_requester_gets_their_details():
    """NOTTS-1.1"""
    r = notts.route(make_request())
    assert r.role == "social_worker" and r.person == WORKER
    assert r.rule_ids[0] == "NOTTS-1.1"
    assert WORKER.name in r.tell_requester and WORKER.email in r.tell_requester


def test_closed_case_goes_to_csm_of_last_team():
    """NOTTS-1.2"""
    r = notts.route(make_request(subjects=(make_closed_case(),)))
    assert r.role == "csm" and r.person == CSM_LAST and r.rule_ids[0] == "NOTTS-1.2"


def test_closed_case_with_defunct_team_goes_to_dcpt_csm():
    """NOTTS-1.2: the team that last held the case no longer exists."""
    r = notts.route(make_request(subjects=(make_closed_case(last_team=DEFUNCT_TEAM),)))
    assert r.person == CSM_DCPT and r.team.kind == "dcpt"
    assert r.explanation.startswith("Routed to the CSM of Mansfield DCPT — NOTTS-1.2")
    assert "no longer exists" in r.explanation


def test_mash_enquiry_only_goes_to_mash_csm():
    """NOTTS-1.2"""
    r = notts.route(make_request(subjects=(make_closed_case(mash_enquiry_only=True),)))
    assert r.person == CSM_MASH and "MASH enquiry" in r.explanation


def test_only_the_routed_csm_records_the_decision_then_tm_allocates():
    """NOTTS-1.2.1"""
    req = make_request(subjects=(make_closed_case(),))
    assert notts.who_may(Action.CSM_DECISION, req).allows(make_actor(CSM_LAST.id, "csm"))
    assert not notts.who_may(Action.CSM_DECISION, req).allows(make_actor(CSM_OTHER.id, "csm"))
    assert "NOTTS-1.2.1" in [s.rule_ids[0] for s in notts.steps(req)]
    assert ids(notts.check(Action.ALLOCATE, req)) == ["ALL-2"]  # nothing agreed yet
    agreed = replace(req, sharing_decision=decision(CSM_LAST.id))
    assert notts.check(Action.ALLOCATE, agreed, make_actor(20, "team_manager")).ok


def test_worker_verifies_identity_again_and_files_a_copy():
    """NOTTS-1.2.2"""
    req = make_request(subjects=(make_closed_case(),), sharing_decision=decision(CSM_LAST.id))
    assert "NOTTS-1.2.2" in ids(notts.check(Action.DISCLOSE, req))
    ok = replace(req, identity_reverified_by_worker=True)
    assert notts.check(Action.DISCLOSE, ok).ok
    disclosed = replace(ok, completed_steps=frozenset({Action.DISCLOSE, Action.CASE_NOTE}))
    assert ids(notts.check(Action.CLOSE, disclosed)) == ["NOTTS-1.2.2"]


def test_paper_records_are_retrieved_and_returned_by_business_support():
    """NOTTS-1.3"""
    case = make_closed_case(on_paper=True, on_microfilm=True)
    req = make_request(
        subjects=(case,), sharing_decision=decision(CSM_LAST.id), identity_reverified_by_worker=True
    )
    codes = [s.code for s in notts.steps(req)]
    assert codes.index("retrieve_records") < codes.index("disclose") < codes.index("return_records")
    assert ids(notts.check(Action.DISCLOSE, req)) == ["NOTTS-1.3"]
    r = notts.route(req)
    assert r.rule_ids[0] == "NOTTS-1.3"


def test_hard_copies_need_the_same_csm_who_approved_sharing():
    """NOTTS-2"""
    shared = make_request(
        subjects=(make_closed_case(),),
        sharing_decision=decision(CSM_LAST.id),
        completed_steps=frozenset({Action.CSM_DECISION, Action.DISCLOSE}),
        hard_copy_request=HardCopyRequest(("Core assessment 2022",), approver_id=CSM_OTHER.id),
    )
    who = notts.who_may(Action.APPROVE_HARD_COPIES, shared)
    assert who.allows(make_actor(CSM_LAST.id, "csm"))
    assert not who.allows(make_actor(CSM_OTHER.id, "csm"))
    result = notts.check(Action.APPROVE_HARD_COPIES, shared, make_actor(CSM_OTHER.id, "csm"))
    assert ids(result) == ["NOTTS-2", "NOTTS-2"]  # wrong CSM acting, and wrong CSM asked
    approved = replace(
        shared,
        hard_copy_request=HardCopyRequest(("Core assessment 2022",), CSM_LAST.id, CSM_LAST.id),
        send=SendDetails("post", address_confirmed=True),
    )
    assert "NOTTS-2" in ids(notts.check(Action.SEND, approved))  # post is not allowed
    by_cryptshare = replace(approved, send=SendDetails("cryptshare", address_confirmed=True))
    assert notts.check(Action.SEND, by_cryptshare).ok


def test_hard_copies_before_anything_is_shared_are_refused():
    """NOTTS-2 / NOTTS-0.7"""
    r = notts.route(make_request(request_type="hard_copies"))
    assert r.kind == "refusal" and "NOTTS-2" in r.rule_ids


def test_police_asking_for_hard_copies_are_sent_to_legal_services_annex_c():
    """NOTTS-2.1"""
    police = make_requester(agency_type="police")
    r = notts.route(make_request(request_type="hard_copies", requester=police))
    assert r.kind == "referral" and r.target == "legal_services_annex_c"
    req = make_request(requester=police, hard_copy_request=HardCopyRequest(("x",)))
    assert "NOTTS-2.1" in ids(notts.check(Action.APPROVE_HARD_COPIES, req))


def test_ofsted_gets_worker_details_for_open_case_and_mash_for_closed():
    """NOTTS-3"""
    r = notts.route(make_request(request_type="ofsted_enquiry"))
    assert r.target == "ofsted_given_worker" and WORKER.name in r.tell_requester
    closed = notts.route(
        make_request(request_type="ofsted_enquiry", subjects=(make_closed_case(),))
    )
    assert closed.target == "mash" and "MASH" in closed.tell_requester


def test_ofsted_school_incident_goes_to_group_manager_support_to_schools():
    """NOTTS-4"""
    r = notts.route(make_request(request_type="ofsted_school_incident"))
    assert r.role == "group_manager" and r.person == GM_SCHOOLS and r.rule_ids == ("NOTTS-4",)


def test_sharing_without_consent_needs_public_interest_justification():
    """NOTTS-5"""
    req = make_request(consent="not_obtained", sharing_decision=decision())
    assert "NOTTS-5" in ids(notts.check(Action.DISCLOSE, req))
    justified = replace(req, public_interest_justification="Risk of significant harm")
    assert notts.check(Action.DISCLOSE, justified).ok


def test_child_sex_offence_question_is_referred_to_police_scheme():
    """NOTTS-6"""
    r = notts.route(
        make_request(
            request_type="child_sex_offender_disclosure",
            requester=make_requester(agency_type="member_of_public"),
        )
    )
    assert r.target == "police_csod_scheme" and r.rule_ids[0] == "NOTTS-6"


def test_each_subject_is_routed_on_its_own_record():
    """NOTTS-1.1 / NOTTS-1.2: siblings with open and closed records go different ways."""
    req = make_request(subjects=(make_case(), make_closed_case(reference="C-2")))
    routes = notts.route_subjects(req)
    assert [r.role for r in routes] == ["social_worker", "csm"]
