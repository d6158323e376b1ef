"""Rules common to every council (ALL-*), deadlines and the rule registry."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from policies.base import Action, ClockFacts, DocumentSnapshot, Extension, Pause, SendDetails
from policies.registry import POLICIES, get_policy
from policies.rules import rules
from tests.policies.factories import decision, make_actor, make_request, make_requester

COUNCILS = sorted(POLICIES)
TESTS = Path(__file__).parent


def ids(result):
    return [u.rule_id for u in result.unmet]


@pytest.mark.parametrize("council", COUNCILS)
def test_triage_reports_every_missing_request_detail_at_once(council):
    """ALL-1: requester, contact, what, about whom, basis — all reported together."""
    bare = make_request(
        council=council,
        requester=make_requester(name="", organisation="", email="", phone=""),
        what_is_asked="",
        subjects=(),
        consent="not_obtained",
        lawful_basis="",
    )
    result = get_policy(council).check(Action.TRIAGE, bare)
    assert ids(result).count("ALL-1") == 6


@pytest.mark.parametrize("council", COUNCILS)
def test_decision_needs_reason_named_person_and_time_and_is_never_edited(council):
    """ALL-2"""
    policy = get_policy(council)
    no_reason = make_request(council=council, sharing_decision=decision(by=10, reason=""))
    result = policy.check(Action.DECIDE, no_reason, make_actor(11, "team_manager"))
    assert ids(result).count("ALL-2") >= 2
    assert "ALL-2" in ids(policy.check(Action.AMEND, no_reason))


@pytest.mark.parametrize("council", COUNCILS)
def test_what_left_the_council_is_case_noted_before_closing(council):
    """ALL-3"""
    sent = make_request(
        council=council,
        completed_steps=frozenset({Action.SEND}),
        family_informed_after_sharing=True,
    )
    assert not get_policy(council).check(Action.CLOSE, sent).ok
    noted = replace(sent, completed_steps=frozenset({Action.SEND, Action.CASE_NOTE}))
    assert get_policy(council).check(Action.CLOSE, noted).ok


@pytest.mark.parametrize("council", COUNCILS)
def test_own_records_request_is_referred_to_sar_team(council):
    """ALL-4"""
    r = get_policy(council).route(
        make_request(
            council=council,
            request_type="subject_access",
            requester=make_requester(agency_type="subject", organisation=""),
        )
    )
    assert r.kind == "referral" and r.target == "sar_team" and r.rule_ids[0] == "ALL-4"


@pytest.mark.parametrize("council", COUNCILS)
def test_third_party_report_without_author_consent_is_withheld(council):
    """ALL-5"""
    doc = DocumentSnapshot(
        3, "School report", is_third_party=True, author="Head teacher", consent_status="refused"
    )
    r = make_request(
        council=council,
        documents=(doc,),
        sharing_decision=decision(),
        send=SendDetails("secure_email", True),
    )
    assert not get_policy(council).check(Action.SEND, r).ok
    assert any(s.document_id == 3 for s in get_policy(council).redactions(r))


@pytest.mark.parametrize("council", COUNCILS)
def test_sensitive_information_only_by_secure_method_to_confirmed_address(council):
    """ALL-6"""
    r = make_request(
        council=council,
        sharing_decision=decision(),
        send=SendDetails("unsecure_email", address_confirmed=False),
    )
    result = get_policy(council).check(Action.SEND, r)
    assert len(result.unmet) >= 2 and not result.ok


def test_working_days_skip_weekends_and_easter_and_name_them():
    """ALL-1: 20 working days where the guidance is silent, bank holidays listed."""
    d = get_policy("camden").deadline(make_request(council="camden"))
    assert d.due == date(2025, 5, 15)  # 14 Apr + 20 WD, skipping Good Friday, Easter Mon, May Day
    assert [n for _, n in d.skipped_bank_holidays] == ["Good Friday", "Easter Monday", "May Day"]
    assert "Good Friday Fri 18 Apr 2025" in d.explanation


def test_pause_and_one_extension_with_reason_move_the_date():
    """ALL-1: pause/resume and one extension with a reason."""
    clock = ClockFacts(
        pauses=(Pause(date(2025, 4, 22), date(2025, 4, 24)),),
        extension=Extension(5, "Records on microfilm"),
    )
    d = get_policy("devon").deadline(make_request(council="devon", clock=clock))
    assert d.paused_days == 2 and d.extension_days == 5
    assert d.due == date(2025, 5, 27)  # 20 + 2 paused + 5 extended WD; Spring Bank Hol skipped
    assert "Records on microfilm" in d.explanation and "Spring Bank Holiday" in d.explanation
    again = replace(clock, extensions_granted=1)
    assert ids(get_policy("devon").check(Action.EXTEND, make_request(clock=again))) == ["ALL-1"]
    no_reason = get_policy("devon").deadline(
        make_request(clock=ClockFacts(extension=Extension(5, "")))
    )
    assert no_reason.extension_days == 0 and "ignored" in no_reason.explanation


def test_statutory_subject_access_month_rolls_past_a_bank_holiday():
    """ALL-4: one calendar month, to the next working day."""
    sar = make_request(
        request_type="subject_access",
        received_at=make_request().received_at.replace(month=4, day=26),
    )
    d = get_policy("nottinghamshire").deadline(sar)
    assert d.due == date(2025, 5, 27)  # 26 May is Spring Bank Holiday
    assert "Spring Bank Holiday" in d.explanation


def test_registry_has_all_58_rules_each_enforced_or_guidance_only():
    """Every catalogue rule is enforced somewhere or says why it is guidance-only."""
    registry = rules()
    assert len(registry) == 58
    assert all(r.enforced_by or r.guidance for r in registry.values())


def test_every_rule_id_is_cited_by_a_test():
    """Each rule ID has at least one behaviour test citing it."""
    text = "".join(p.read_text() for p in TESTS.glob("test_*.py") if p.name != "test_common.py")
    text += Path(__file__).read_text().split("def test_registry_has_all")[0]
    missing = [
        rid
        for rid in rules()
        if f'"{rid}' not in text and f"{rid}:" not in text and f"{rid} " not in text
    ]
    assert missing == []


def test_unknown_council_is_refused():
    with pytest.raises(LookupError):
        get_policy("wessex")
