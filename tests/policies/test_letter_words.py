"""Each council's letters speak in its own words (ADR 0024): the team that writes, how to reach
it, its advice per outcome, citing only its own rules (or the common ones) that exist."""

from dataclasses import replace

import pytest

from policies.letters import LetterKind, letters, words_of
from policies.registry import get_policy
from policies.rules import rules
from tests.policies.factories import decision, make_request

COUNCILS = ("nottinghamshire", "devon", "camden", "brighton_hove")
PREFIX = {"nottinghamshire": "NOTTS-", "devon": "DEVON-", "camden": "CAMDEN-",
          "brighton_hove": "BH-"}


def cited(words):
    yield from (s.rule_ids for s in (*words.acknowledgement, *words.refusal,
                                     *words.subject_access))
    for said in words.referral.values():
        yield from (s.rule_ids for s in said)


@pytest.mark.parametrize("council", COUNCILS)
def test_every_council_has_its_own_letterhead_and_cites_only_its_own_existing_rules(council):
    words = get_policy(council).letter_words
    assert words is not None and words.team and words.contact and words.signed_for
    known = rules()
    for rule_ids in cited(words):
        for rule in rule_ids:
            assert rule in known, rule
            assert rule.startswith(("ALL-", PREFIX[council])), rule


def test_no_two_councils_write_from_the_same_team_and_contact():
    heads = {(words_of(get_policy(c)).team, words_of(get_policy(c)).contact) for c in COUNCILS}
    assert len(heads) == len(COUNCILS)


@pytest.mark.parametrize("council", COUNCILS)
def test_the_acknowledgement_carries_the_councils_words_and_rules(council):
    policy = get_policy(council)
    ack = letters(policy, make_request(council=council))[0]
    assert ack.kind == LetterKind.ACKNOWLEDGEMENT
    assert (ack.council, ack.team, ack.contact) == (
        policy.name, policy.letter_words.team, policy.letter_words.contact)
    for said in policy.letter_words.acknowledgement:
        assert said.text in ack.paragraphs
        assert set(said.rule_ids) <= set(ack.rule_ids)


@pytest.mark.parametrize("council", COUNCILS)
def test_a_refusal_gives_the_recorded_reasons_then_the_councils_words(council):
    policy = get_policy(council)
    refused = make_request(council=council, state="refused",
                           sharing_decision=decision(shared=False, reason="Not needed."))
    letter = next(x for x in letters(policy, refused) if x.kind == LetterKind.REFUSAL)
    assert letter.paragraphs[1] == "Our reasons: Not needed."
    assert all(s.text in letter.paragraphs for s in policy.letter_words.refusal)


def test_nottinghamshire_gives_its_annex_c_advice_only_on_a_police_hard_copy_referral():
    notts = get_policy("nottinghamshire")
    police = make_request(state="referred_out", request_type="hard_copies")
    police = replace(police, requester=replace(police.requester, agency_type="police"))
    letter = next(x for x in letters(notts, police) if x.kind == LetterKind.REFERRAL)
    assert any("under Annex C" in p for p in letter.paragraphs)
    assert letter.rule_ids == ("NOTTS-2.1",)
