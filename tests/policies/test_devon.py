"""Devon: Access to Records Guidance for Practitioners (source 000)."""

from dataclasses import replace
from datetime import date

from policies.base import Action, CaseSnapshot, SendDetails
from policies.registry import get_policy
from tests.policies.factories import (
    TM,
    WORKER,
    decision,
    make_actor,
    make_case,
    make_closed_case,
    make_request,
    make_requester,
)

devon = get_policy("devon")
CAFCASS = make_requester(
    name="Kim Lee",
    organisation="Cafcass",
    agency_type="cafcass",
    identity_evidence="Cafcass ID card seen",
)


def req(**kw):
    return make_request(council="devon", **kw)


def ids(result):
    return [u.rule_id for u in result.unmet]


def test_ig_and_business_support_never_decide_practitioner_and_manager_do():
    """DEVON-0"""
    who = devon.who_may(Action.DECIDE, req())
    assert who.allows(make_actor(WORKER.id, "social_worker"))
    assert who.allows(make_actor(TM.id, "team_manager"))
    assert not who.allows(make_actor(50, "ig_officer"))
    assert not who.allows(make_actor(60, "business_support"))


def test_cafcass_public_law_guardian_needs_identity_evidence_and_bs_enables():
    """DEVON-1"""
    r = devon.route(req(request_type="cafcass_public_law", requester=CAFCASS))
    assert r.rule_ids[0] == "DEVON-1" and any("business support" in n.message for n in r.notes)
    no_id = req(
        request_type="cafcass_public_law",
        sharing_decision=decision(),
        requester=replace(CAFCASS, identity_evidence=""),
    )
    assert ids(devon.check(Action.DISCLOSE, no_id)) == ["DEVON-1"]
    # DEVON-0: business support enables access (sends the pack) but never decides to disclose.
    assert devon.who_may(Action.SEND, no_id).allows(make_actor(60, "business_support"))
    assert not devon.who_may(Action.DISCLOSE, no_id).allows(make_actor(60, "business_support"))


def test_cafcass_private_law_safeguarding_information_must_be_provided():
    """DEVON-2"""
    r = devon.route(req(request_type="cafcass_private_law", requester=CAFCASS))
    assert r.rule_ids[0] == "DEVON-2" and "must provide" in r.notes[0].message


def test_section7_closed_files_need_every_pr_holder_and_child_or_court_order():
    """DEVON-2.1"""
    case = make_closed_case(
        parental_responsibility=("Ann Brown", "Ben Brown"), date_of_birth=date(2011, 1, 1)
    )
    base = req(
        request_type="cafcass_section7",
        requester=CAFCASS,
        subjects=(case,),
        sharing_decision=decision(),
        pr_permissions=frozenset({"Ann Brown"}),
    )
    result = devon.check(Action.DISCLOSE, base)
    assert ids(result) == ["DEVON-2.1", "DEVON-2.1"]
    assert "Ben Brown" in result.unmet[0].message
    permitted = replace(
        base, pr_permissions=frozenset({"Ann Brown", "Ben Brown"}), child_permission=True
    )
    assert devon.check(Action.DISCLOSE, permitted).ok
    assert devon.check(Action.DISCLOSE, replace(base, court_order=True)).ok
    young = replace(permitted, child_permission=False, child_of_sufficient_understanding=False)
    assert devon.check(Action.DISCLOSE, young).ok


def test_rule_16_4_guardian_is_treated_as_public_law():
    """DEVON-2.2"""
    r = devon.route(req(request_type="cafcass_rule_16_4", requester=CAFCASS))
    assert r.rule_ids[0] == "DEVON-2.2" and "same access as in public law" in r.notes[0].message
    no_id = req(
        request_type="cafcass_rule_16_4",
        sharing_decision=decision(),
        requester=replace(CAFCASS, identity_evidence=""),
    )
    assert ids(devon.check(Action.DISCLOSE, no_id)) == ["DEVON-2.2"]


def test_parent_gets_signed_minutes_only_if_invited_or_chair_agrees():
    """DEVON-3"""
    parent = make_requester(name="Ann Brown", organisation="", agency_type="parent")
    base = req(
        request_type="meeting_minutes",
        requester=parent,
        meeting_kind="cp_conference",
        sharing_decision=decision(),
        requester_attended_or_invited=False,
    )
    assert devon.route(base).rule_ids[0] == "DEVON-3"
    assert ids(devon.check(Action.DECIDE, base)) == ["DEVON-3", "DEVON-3"]
    ok = replace(base, minutes_signed_by_chair=True, chair_agreed=True)
    assert devon.check(Action.DECIDE, ok).ok


def test_cic_review_for_absent_parent_needs_sw_and_iro_and_placement_removed():
    """DEVON-3.1"""
    parent = make_requester(name="Ann Brown", organisation="", agency_type="parent")
    case = make_case(in_care=True, placement_address="12 Elm Road, Exeter")
    base = req(
        request_type="meeting_minutes",
        requester=parent,
        meeting_kind="cic_review",
        minutes_signed_by_chair=True,
        subjects=(case,),
        sharing_decision=decision(),
    )
    assert ids(devon.check(Action.DECIDE, base)) == ["DEVON-3.1"]
    assert devon.check(Action.DECIDE, replace(base, chair_agreed=True)).ok
    sugg = devon.redactions(base)
    assert any(s.category == "placement_address" and s.rule_ids == ("DEVON-3.1",) for s in sugg)


def test_parent_asking_for_full_file_is_a_subject_access_request():
    """DEVON-3.2"""
    parent = make_requester(name="Ann Brown", organisation="", agency_type="parent")
    r = devon.route(req(requester=parent, what_is_asked="The whole file"))
    assert r.kind == "referral" and r.target == "sar_team" and "DEVON-3.2" in r.rule_ids


def test_legal_services_get_any_document_relevant_to_proceedings():
    """DEVON-4"""
    legal = make_requester(organisation="Devon Legal Services", agency_type="legal_services")
    r = devon.route(req(request_type="legal_proceedings", requester=legal))
    assert r.rule_ids[0] == "DEVON-4" and "any document" in r.notes[0].message


def test_dbs_request_goes_through_safer_recruitment_and_ig_check():
    """DEVON-5"""
    dbs = req(
        request_type="dbs",
        requester=make_requester(agency_type="dbs"),
        sharing_decision=decision(),
        send=SendDetails("secure_email", True),
    )
    r = devon.route(dbs)
    assert r.role == "safer_recruitment_officer" and r.team.kind == "safer_recruitment"
    codes = [s.code for s in devon.steps(dbs)]
    assert codes.index("decide") < codes.index("ig_check") < codes.index("send")
    assert ids(devon.check(Action.SEND, dbs, make_actor(51, "safer_recruitment_officer"))) == [
        "DEVON-5"
    ]
    assert not devon.may(Action.SEND, dbs, make_actor(WORKER.id, "social_worker"))
    assert ids(devon.check(Action.IG_CHECK, dbs)) == ["DEVON-5"]
    checked = replace(dbs, completed_steps=frozenset({Action.DECIDE, Action.IG_CHECK}))
    assert devon.check(Action.SEND, checked, make_actor(51, "safer_recruitment_officer")).ok


def test_police_criminal_investigation_goes_to_ig_first():
    """DEVON-6: nobody shares with the police outside the IG process."""
    police = make_requester(agency_type="police", organisation="Devon and Cornwall Police")
    r = devon.route(req(request_type="police_investigation", requester=police))
    assert r.role == "ig_officer" and r.team.kind == "information_governance"
    assert r.rule_ids == ("DEVON-6",)
    inv = req(request_type="police_investigation", requester=police)
    assert not devon.may(Action.DISCLOSE, inv, make_actor(WORKER.id, "social_worker"))
    assert devon.may(Action.DISCLOSE, inv, make_actor(50, "ig_officer"))


def test_professional_minutes_sent_by_business_support_to_attendees():
    """DEVON-7"""
    prof = req(
        request_type="meeting_minutes",
        requester_attended_or_invited=True,
        sharing_decision=decision(),
        send=SendDetails("secure_email", True),
    )
    assert devon.route(prof).rule_ids[0] == "DEVON-7"
    assert ids(devon.check(Action.SEND, prof)) == ["DEVON-7"]  # not yet signed by the Chair
    signed = replace(prof, minutes_signed_by_chair=True)
    assert devon.check(Action.SEND, signed, make_actor(60, "business_support")).ok


def test_closed_case_goes_to_manager_of_last_team():
    """DEVON-0: the guidance is silent on closed cases; practitioner's manager takes it."""
    r = devon.route(req(subjects=(make_closed_case(),)))
    assert r.role == "team_manager" and r.person == TM and "silent" in r.explanation


def test_case_snapshot_defaults_are_enough():
    """DEVON-0: a bare snapshot still routes (adapter can pass few fields)."""
    r = devon.route(req(subjects=(CaseSnapshot("X-1"),)))
    assert r.rule_ids
