"""Suggestions for one record: the case's own facts first, then UK personal data."""

from datetime import date
from itertools import pairwise

from requests_app.redaction.suggest import CaseFacts, PolicyTerm, address_parts, suggest

RECORD = """Strategy discussion 01/02/2015. Jayden Smith (DOB 03/03/2014) is placed with
Mr and Mrs Patel at 12 Oak Road, Exeter EX1 2AB. The referral came from Mary Jones, a
neighbour. Jane Brown's report (school nurse, 07700 900123) is attached. Foster carers at
12 oak road said Jayden is settled; post goes to ex1 2ab. Mary Jones's concerns were shared."""

FACTS = CaseFacts(
    third_party_names=("Jane Brown",),
    informant_names=("Mary Jones",),
    adopter_names=("Mr and Mrs Patel",),
    placement_addresses=("12 Oak Road, Exeter EX1 2AB",),
    subject_names=("Jayden Smith",),
)


def suggested(text, facts):
    return [(text[s.start:s.end], s.category, s.reason_code, s.rule_ids)
            for s in suggest(text, facts=facts)]


def test_each_kind_of_fact_carries_its_reason_and_rules():
    assert suggested(RECORD, FACTS) == [
        ("03/03/2014", "date_of_birth", "TP", ()),
        ("Mr and Mrs Patel", "adopter", "AD", ("BH-9", "DEVON-3.1")),
        ("12 Oak Road, Exeter EX1 2AB", "placement_address", "PL", ("BH-9", "DEVON-3.1")),
        ("Mary Jones", "informant", "TP", ("BH-5",)),
        ("Jane Brown", "third_party", "TP", ("ALL-5",)),
        ("07700 900123", "phone_number", "TP", ()),
        ("12 oak road", "placement_address", "PL", ("BH-9", "DEVON-3.1")),
        ("ex1 2ab", "placement_address", "PL", ("BH-9", "DEVON-3.1")),
        ("Mary Jones", "informant", "TP", ("BH-5",)),
    ]


def test_the_childs_own_name_is_not_suggested():
    spans = suggest(RECORD, facts=FACTS)
    assert not any("Jayden" in RECORD[s.start:s.end] for s in spans)


def test_a_placement_postcode_is_labelled_as_the_placement_not_just_a_postcode():
    text = "Letters to EX1 2AB only."
    (span,) = suggest(text, facts=FACTS)
    assert (span.label, span.reason_code) == ("Placement address (postcode)", "PL")
    (generic,) = suggest(text, facts=CaseFacts())
    assert (generic.label, generic.reason_code) == ("Postcode", "TP")


def test_the_street_alone_is_labelled_as_the_placement_street():
    (span,) = suggest("Visit at 12 Oak Road tomorrow", facts=FACTS)
    assert span.label == "Placement address (street)"


def test_a_postcode_typed_without_its_space_is_still_the_placement():
    text = "Post to EX12AB."
    assert suggested(text, FACTS) == [("EX12AB", "placement_address", "PL",
                                       ("BH-9", "DEVON-3.1"))]


def test_a_case_fact_wins_over_a_generic_pattern_on_the_same_words():
    # The informant's email starts with her name: the name part is labelled as the informant.
    text = "Email mary.jones@example.org"
    assert suggested(text, FACTS) == [
        ("mary.jones", "informant", "TP", ("BH-5",)),
        ("@example.org", "email", "TP", ()),
    ]


def test_a_person_in_two_roles_is_suggested_once_under_the_stronger_one():
    facts = CaseFacts(third_party_names=("Mary Jones",), informant_names=("Mary Jones",))
    assert suggested("Mary Jones rang.", facts) == [("Mary Jones", "informant", "TP",
                                                     ("BH-5",))]


def test_policy_terms_are_suggested_with_the_policys_label_and_rules():
    facts = CaseFacts(other_terms=(
        PolicyTerm("Dr Okafor", "third_party", "Third party", "TP", ("CAMDEN-9",)),
        ("Hillside Children's Home, 4 Vale Rise, Crediton EX17 1AA", "placement_address",
         "Placement address", "PL", ("BH-9",)),
    ))
    text = "Dr Okafor's letter. Placed at 4 Vale Rise; post EX17 1AA."
    assert [(text[s.start:s.end], s.label, s.rule_ids, s.source)
            for s in suggest(text, facts=facts)] == [
        ("Dr Okafor", "Third party", ("CAMDEN-9",), "policy"),
        ("4 Vale Rise", "Placement address (street)", ("BH-9",), "policy"),
        ("EX17 1AA", "Placement address (postcode)", ("BH-9",), "policy"),
    ]


def test_case_facts_outrank_the_policys_terms():
    facts = CaseFacts(adopter_names=("Sam Patel",),
                      other_terms=(("Sam Patel", "third_party", "Third party", "TP", ()),))
    assert suggested("Sam Patel", facts) == [("Sam Patel", "adopter", "AD",
                                              ("BH-9", "DEVON-3.1"))]


def test_a_known_date_of_birth_is_suggested_without_a_cue():
    facts = CaseFacts(known_dobs=(date(2014, 3, 3),))
    text = "Party on 3rd March 2014."
    assert suggested(text, facts) == [("3rd March 2014", "date_of_birth", "TP", ())]


def test_no_facts_and_no_personal_data_means_no_suggestions():
    assert suggest("Jayden is settled at school.", facts=CaseFacts()) == []


def test_suggestions_are_sorted_and_never_overlap():
    spans = suggest(RECORD, facts=FACTS)
    assert all(a.end <= b.start for a, b in pairwise(spans))


def test_address_parts():
    assert address_parts("12 Oak Road, Exeter EX1 2AB") == ("EX1 2AB", "12 Oak Road")
    assert address_parts("12 Oak Road Exeter EX1 2AB") == ("EX1 2AB", "12 Oak Road")
    assert address_parts("Flat 2, 14 High St, Exeter") == ("", "14 High St")
    assert address_parts("Rose Cottage\nMill Lane\nCrediton") == ("", "Rose Cottage")
    assert address_parts("Crediton") == ("", "")
