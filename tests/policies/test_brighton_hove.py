"""Brighton & Hove: Recording Policy for Children's Social Work (source 004)."""

from dataclasses import replace
from datetime import date

from policies.base import Action, DocumentSnapshot, SendDetails
from policies.catalogue import Fact, Transition
from policies.registry import get_policy
from tests.policies.factories import decision, make_actor, make_case, make_request, make_requester

bh = get_policy("brighton_hove")


def req(**kw):
    values = dict(council="brighton_hove", sharing_decision=decision())
    values.update(kw)
    return make_request(**values)


def ids(result):
    return [u.rule_id for u in result.unmet]


def test_reasons_recorded_for_decision_to_share_or_not():
    """BH-1"""
    result = bh.check(Action.DECIDE, req(sharing_decision=decision(shared=False, reason="")))
    assert "BH-1" in ids(result) and "ALL-2" in ids(result)


def test_sending_to_another_agency_is_traceable_on_the_file():
    """BH-2"""
    done = req(completed_steps=frozenset({Action.SEND}))
    assert ids(bh.check(Action.CLOSE, done)) == ["BH-2"]


def test_sharing_without_family_agreement_needs_strong_public_interest():
    """BH-3"""
    no = req(consent="not_obtained")
    assert "BH-3" in ids(bh.check(Action.DISCLOSE, no))
    yes = replace(no, public_interest_justification="Prevention of serious crime")
    assert bh.check(Action.DISCLOSE, yes).ok


def test_family_wish_not_to_share_is_shown_and_acknowledged():
    """BH-4"""
    r = req(subjects=(make_case(family_wishes=("Father's mental health",)),))
    assert bh.alerts(r)[0].rule_id == "BH-4"
    assert ids(bh.check(Action.DISCLOSE, r)) == ["BH-4"]
    assert bh.check(Action.DISCLOSE, replace(r, family_wishes_acknowledged=True)).ok


def test_informant_identity_protected_in_child_protection_material():
    """BH-5"""
    doc = DocumentSnapshot(
        1,
        "Neighbour's referral",
        is_third_party=True,
        author="Neighbour",
        consent_status="refused",
        child_protection=True,
    )
    r = req(documents=(doc,), subjects=(make_case(informant_names=("Mrs Green",)),))
    assert ids(bh.check(Action.DISCLOSE, r)).count("BH-5") == 2
    assert any(s.category == "informant" and s.target == "Mrs Green" for s in bh.redactions(r))
    done = replace(
        r, documents=(replace(doc, redacted=True),), completed_steps=frozenset({Action.REDACT})
    )
    assert bh.check(Action.DISCLOSE, done).ok


def test_sixteen_year_old_is_informed_in_their_own_right():
    """BH-6"""
    r = req(subjects=(make_case(date_of_birth=date(2008, 1, 1)),))
    assert ids(bh.check(Action.DISCLOSE, r)) == ["BH-6"]
    assert bh.check(Action.DISCLOSE, replace(r, subject_informed=True)).ok


def test_subject_access_shows_forty_days_and_statutory_month():
    """BH-7"""
    sar = req(
        request_type="subject_access",
        requester=make_requester(agency_type="subject", organisation=""),
    )
    assert bh.route(sar).target == "sar_team"
    d = bh.deadline(sar)
    assert d.due == date(2025, 5, 14)  # received Mon 14 April 2025 + one month
    assert d.also[0].due == date(2025, 5, 24) and d.also[0].rule_ids == ("BH-7",)
    assert "40 days" in d.explanation and "one calendar month" in d.explanation
    phoned = bh.deadline(replace(sar, channel="phone"))
    assert phoned.notes and phoned.notes[0].rule_id == "BH-7"


def test_post_is_second_checked_by_someone_else_and_email_must_be_secure():
    """BH-8"""
    post = req(send=SendDetails("post", True, sender_id=10))
    assert ids(bh.check(Action.SEND, post)) == ["BH-8"]
    same = replace(post, send=SendDetails("post", True, sender_id=10, second_checker_id=10))
    assert ids(bh.check(Action.SEND, same)) == ["BH-8"]
    checked = replace(post, send=SendDetails("post", True, sender_id=10, second_checker_id=11))
    assert bh.check(Action.SEND, checked).ok
    assert "BH-8" in ids(bh.check(Action.SECOND_CHECK, post, make_actor(10)))
    plain = req(send=SendDetails("unsecure_email", False))
    assert ids(bh.check(Action.SEND, plain)) == ["BH-8", "BH-8"]


def test_adopters_and_placement_address_are_redacted():
    """BH-9"""
    case = make_case(
        adopted=True, placement_address="4 Sea Lane, Hove", adopter_names=("Jo Smith",)
    )
    r = req(subjects=(case,))
    cats = {(s.category, s.rule_ids) for s in bh.redactions(r)}
    assert ("placement_address", ("BH-9",)) in cats and ("adopter", ("BH-9",)) in cats
    assert ids(bh.check(Action.DISCLOSE, r)) == ["BH-9"]


def test_deletion_request_that_cannot_be_met_is_acknowledged():
    """BH-10"""
    r = req(deletion_requested=True)
    assert ids(bh.check(Action.CLOSE, r)) == ["BH-10"]
    assert bh.check(Action.CLOSE, replace(r, deletion_acknowledged=True)).ok


def test_closing_asks_about_deletion_citing_bh_10():
    """BH-10: the close form asks the question even when nothing is unmet yet, and its hint
    cites the rule that asks it, not the step's case-note rule (BH-1)."""
    close = bh.offer(Transition.CLOSE, req(), make_actor())
    assert Fact.DELETION in close.facts
    assert close.fact_rule_ids == ("BH-10",)


def test_amendments_are_new_entries_never_overwrites():
    """BH-11 / ALL-2"""
    result = bh.check(Action.AMEND, req())
    assert ids(result) == ["ALL-2", "BH-11"] and "new entry" in result.explanation


def test_young_person_step_is_done_when_they_were_told_on_the_disclosure_form():
    """BH-6: asked on the disclosure form; the step is done once it is on record, and the
    disclosure note cites it."""
    mia = make_case(date_of_birth=date(2008, 1, 1))
    r = req(subjects=(mia,))
    assert Action.INFORM_FAMILY in [s.code for s in bh.steps(r)]
    assert Action.INFORM_FAMILY not in bh.done_steps(r)
    told = replace(r, subject_informed=True)
    assert Action.INFORM_FAMILY in bh.done_steps(told)
    assert "BH-6" in bh.note_rule_ids("disclose", told)


def test_closing_note_cites_bh_10_not_the_decision_rule():
    """BH-10: the close form always asks about deletion, so its note cites BH-10 (not BH-1,
    the rule for decisions to share)."""
    assert bh.note_rule_ids("close", req()) == ("BH-10",)
