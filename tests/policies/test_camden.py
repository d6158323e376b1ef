"""Camden: information sharing practice guidance (source 002)."""

from dataclasses import replace

from policies.base import Action, DocumentSnapshot, SendDetails
from policies.registry import get_policy
from tests.policies.factories import (
    TM,
    WORKER,
    decision,
    make_actor,
    make_case,
    make_closed_case,
    make_request,
)

camden = get_policy("camden")
REPORT = DocumentSnapshot(
    7, "Paediatric report", is_third_party=True, author="Dr Jones", consent_status="granted"
)


def req(**kw):
    values = dict(
        council="camden",
        sharing_decision=decision(),
        parents_informed=True,
        necessity_note="Only the CP plan dates; the GP needs them",
    )
    values.update(kw)
    return make_request(**values)


def ids(result):
    return [u.rule_id for u in result.unmet]


def test_sharing_needs_recorded_lawful_basis():
    """CAMDEN-1"""
    assert ids(camden.check(Action.DISCLOSE, req(lawful_basis=""))) == ["CAMDEN-1"]
    assert camden.check(Action.DISCLOSE, req()).ok


def test_parents_told_first_unless_exception_recorded():
    """CAMDEN-2"""
    assert ids(camden.check(Action.DISCLOSE, req(parents_informed=False))) == ["CAMDEN-2"]
    for code in ("harm", "criminal_investigation", "not_practicable", "court_order"):
        assert camden.check(Action.DISCLOSE, req(parents_informed=False, parents_exception=code)).ok


def test_decision_records_why_sharing_is_necessary_and_proportionate():
    """CAMDEN-3"""
    assert ids(camden.check(Action.DECIDE, req(necessity_note=""))) == ["CAMDEN-3"]


def test_sharing_is_case_noted_on_mosaic_before_closing():
    """CAMDEN-4"""
    done = req(completed_steps=frozenset({Action.DISCLOSE}), family_informed_after_sharing=True)
    result = camden.check(Action.CLOSE, done)
    assert ids(result) == ["CAMDEN-4"] and "MOSAIC" in result.unmet[0].message


def test_only_allocated_worker_or_their_supervisor_discloses():
    """CAMDEN-5"""
    r = req()
    who = camden.who_may(Action.DISCLOSE, r)
    assert who.allows(make_actor(WORKER.id, "social_worker"))
    assert who.allows(make_actor(TM.id, "team_manager"))
    assert who.allows(make_actor(77, "csm", supervisee_ids=frozenset({WORKER.id})))
    assert not who.allows(make_actor(99, "social_worker"))
    assert "CAMDEN-5" in ids(camden.check(Action.DISCLOSE, r, make_actor(99, "social_worker")))


def test_closed_case_goes_to_supervisor_of_last_team():
    """CAMDEN-5: the guidance is silent on closed cases; the last team's manager takes it."""
    r = camden.route(req(subjects=(make_closed_case(),)))
    assert r.person == TM and "silent" in r.explanation
    who = camden.who_may(Action.DISCLOSE, req(subjects=(make_closed_case(),)))
    assert who.allows(make_actor(TM.id, "team_manager"))
    assert not who.allows(make_actor(WORKER.id, "social_worker"))


def test_disclosure_restrictions_are_shown_and_suggested_for_redaction():
    """CAMDEN-6"""
    case = make_case(disclosure_restrictions=("Mother's new address",))
    r = req(subjects=(case,))
    assert camden.alerts(r)[0].rule_id == "CAMDEN-6"
    assert "Mother's new address" in camden.alerts(r)[0].message
    assert any(s.rule_ids == ("CAMDEN-6",) for s in camden.redactions(r))


def test_family_told_after_sensitive_information_is_shared():
    """CAMDEN-7"""
    done = req(completed_steps=frozenset({Action.DISCLOSE, Action.CASE_NOTE}))
    assert ids(camden.check(Action.CLOSE, done)) == ["CAMDEN-7"]
    assert camden.check(Action.CLOSE, replace(done, family_informed_after_sharing=True)).ok


def test_third_party_provider_and_restrictions_are_recorded():
    """CAMDEN-8"""
    anon = replace(REPORT, author="")
    assert "CAMDEN-8" in ids(camden.check(Action.DISCLOSE, req(documents=(anon,))))


def test_third_party_report_needs_written_consent_or_redaction():
    """CAMDEN-9"""
    pending = replace(REPORT, consent_status="requested")
    assert ids(camden.check(Action.DISCLOSE, req(documents=(pending,)))) == ["CAMDEN-9"]
    assert camden.check(Action.DISCLOSE, req(documents=(replace(pending, redacted=True),))).ok


def test_care_order_third_party_report_goes_to_legal_services():
    """CAMDEN-9: Care Order → Legal Services redact before sending."""
    r = req(
        subjects=(make_case(care_order=True),),
        documents=(REPORT,),
        send=SendDetails("egress", True),
    )
    assert "legal_redaction" in [s.code for s in camden.steps(r)]
    assert ids(camden.check(Action.SEND, r)) == ["CAMDEN-9"]
    assert camden.who_may(Action.LEGAL_REDACTION, r).allows(make_actor(5, "legal"))
    done = replace(r, completed_steps=frozenset({Action.LEGAL_REDACTION}))
    assert camden.check(Action.SEND, done).ok


def test_network_checks_need_parents_informed_or_abc_exception():
    """CAMDEN-10: a court order is not an exception for network checks."""
    base = req(request_type="network_check", parents_informed=False)
    assert camden.route(base).rule_ids[0] == "CAMDEN-10"
    assert ids(camden.check(Action.DISCLOSE, base)) == ["CAMDEN-10"]
    court = replace(base, parents_exception="court_order")
    assert ids(camden.check(Action.DISCLOSE, court)) == ["CAMDEN-10"]
    assert camden.check(Action.DISCLOSE, replace(base, parents_exception="harm")).ok


# ---- steps done by their facts, wherever they were recorded ----------------------------------

SHARED = frozenset({Action.TRIAGE, Action.DECIDE, Action.DISCLOSE, Action.FILE_COPY,
                    Action.CASE_NOTE})


def test_parents_step_is_done_once_parents_told_or_an_exception_is_recorded():
    """CAMDEN-2: told at logging (no action of its own) marks the step done; so does an
    exception (a)–(d); nothing recorded leaves it open."""
    assert Action.INFORM_PARENTS in camden.done_steps(req(parents_informed=True))
    assert Action.INFORM_PARENTS in camden.done_steps(
        req(parents_informed=False, parents_exception="criminal_investigation"))
    assert Action.INFORM_PARENTS not in camden.done_steps(req(parents_informed=False))


def test_network_check_parents_step_is_not_done_by_a_court_order():
    """CAMDEN-10: a court order is not an exception before network checks."""
    base = req(request_type="network_check", parents_informed=False)
    assert Action.INFORM_PARENTS not in camden.done_steps(
        replace(base, parents_exception="court_order"))
    assert Action.INFORM_PARENTS in camden.done_steps(replace(base, parents_exception="harm"))


def test_family_step_is_done_once_the_family_is_told_what_was_shared():
    """CAMDEN-7: done after sharing when the family was told (or why not is recorded);
    never before anything was shared."""
    shared = req(completed_steps=SHARED)
    assert Action.INFORM_FAMILY not in camden.done_steps(shared)
    assert Action.INFORM_FAMILY in camden.done_steps(
        replace(shared, family_informed_after_sharing=True))
    assert Action.INFORM_FAMILY in camden.done_steps(
        replace(shared, family_informed_exception="harm"))
    assert Action.INFORM_FAMILY not in camden.done_steps(
        req(family_informed_after_sharing=True))


def test_the_closing_note_cites_camden_7_once_the_family_is_told():
    """CAMDEN-7: the family told is recorded at closing, so its note cites CAMDEN-7, not the
    disclosure rule CAMDEN-5."""
    told = req(completed_steps=SHARED, family_informed_after_sharing=True)
    cited = camden.note_rule_ids("close", told)
    assert "CAMDEN-7" in cited and "CAMDEN-5" not in cited
    assert camden.offer("close", told, make_actor(WORKER.id, "social_worker"),
                        preview=False).note_rule_ids == cited


def test_the_disclosure_note_cites_the_parents_told_first():
    """CAMDEN-2: the disclosure note records that the parents were told before sharing."""
    assert "CAMDEN-2" in camden.note_rule_ids("disclose", req(parents_informed=True))
    assert "CAMDEN-10" in camden.note_rule_ids(
        "disclose", req(request_type="network_check", parents_informed=True))
