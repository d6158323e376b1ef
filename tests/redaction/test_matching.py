"""Finding every instance of a term or a staff-typed pattern, and combining spans."""

import re
import time

import pytest

from requests_app.redaction import REASONS
from requests_app.redaction.matching import (
    Span,
    compile_user_pattern,
    find_pattern,
    find_term,
    merge_spans,
    resolve_overlaps,
)


def found(text, spans):
    return [text[start:end] for start, end in spans]


# ---- find_term -----------------------------------------------------------------------------

ADDRESS = "12 Oak Road, Exeter EX1 2AB"


@pytest.mark.parametrize(
    "text",
    [
        "Visited 12 Oak Road, Exeter EX1 2AB today.",
        "Visited 12 Oak Road\nExeter  EX1 2AB today.",
        "Visited 12 oak road exeter ex1 2ab today.",
        "Visited 12 OAK ROAD,\r\n  EXETER, EX1 2AB.",
        "Visited 12 Oak Road,Exeter EX1 2AB",
    ],
)
def test_address_is_found_however_it_was_typed(text):
    assert len(find_term(text, ADDRESS)) == 1


def test_every_instance_is_found_with_its_exact_offsets():
    text = "Jane Smith rang. Later JANE SMITH visited; jane\nsmith left."
    assert found(text, find_term(text, "Jane Smith")) == ["Jane Smith", "JANE SMITH",
                                                          "jane\nsmith"]


def test_term_is_matched_as_whole_words_only():
    text = "Ann attended the Annual review with Joanne and Ann-Marie."
    assert found(text, find_term(text, "Ann")) == ["Ann", "Ann"]


def test_house_number_does_not_match_inside_a_longer_number():
    assert find_term("112 Oak Road", "12 Oak Road") == []


def test_possessive_name_is_found_and_the_span_covers_only_the_name():
    text = "Jane Smith's flat. The Smiths' car. Jane Smith’s dog."
    assert found(text, find_term(text, "Jane Smith")) == ["Jane Smith", "Jane Smith"]
    assert found(text, find_term(text, "Smith")) == ["Smith", "Smith", "Smith"]


def test_possessive_can_be_turned_off():
    assert find_term("Jane Smith's flat", "Jane Smith", possessive=False) == []
    assert find_term("Jane Smith, aged 30", "Jane Smith", possessive=False) == [(0, 10)]


def test_hyphens_and_apostrophes_are_tolerated():
    text = "Mrs Smith Jones and Mr O’Brien"
    assert found(text, find_term(text, "Smith-Jones")) == ["Smith Jones"]
    assert found(text, find_term(text, "O'Brien")) == ["O’Brien"]


@pytest.mark.parametrize("term", ["", " ", "a", "A.", " , ", "-"])
def test_empty_or_one_character_terms_find_nothing(term):
    assert find_term("a b c a A. - , every a", term) == []


def test_regex_characters_in_a_term_are_literal():
    assert find_term("Ref (A+B) and AAB", "(A+B)") == [(4, 9)]


# ---- staff-typed patterns ------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern, text, expected",
    [
        ("##/##/####", "Seen 03/04/2015 and 3/4/2015 and 03/04/20155.", ["03/04/2015"]),
        ("Smith*", "Smithson, Jane; smith; Blacksmith; Smith's", ["Smithson", "smith",
                                                                   "Smith's"]),
        ("@@## #@@", "DN55 1PT and EX1 2AB and dn55\n1pt", ["DN55 1PT", "dn55\n1pt"]),
        ("PC ####", "PC 1234 and PC 12345 and pc  5678", ["PC 1234", "pc  5678"]),
        ("*-Smith", "Mrs Jones-Smith and Mr Smith", ["Jones-Smith"]),
        ("Case ref *", "Case ref AB/123, next", ["Case ref AB/123"]),
    ],
)
def test_user_patterns(pattern, text, expected):
    assert found(text, find_pattern(text, pattern)) == expected


def test_user_pattern_is_case_insensitive_and_compiles_to_a_regex():
    regex = compile_user_pattern("ab-##")
    assert regex.search("Ref AB-12.").group() == "AB-12"


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("", "Enter a pattern to look for"),
        ("   ", "Enter a pattern to look for"),
        ("*", "only of @ and *"),
        ("@@ *", "only of @ and *"),
        ("#", "at least 2 characters besides * and spaces"),
        ("#*", "at least 2 characters besides * and spaces"),
        ("#" * 101, "100 characters or fewer"),
    ],
)
def test_unusable_patterns_are_refused_in_plain_english(pattern, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        compile_user_pattern(pattern)


def test_regex_syntax_typed_by_staff_is_taken_literally():
    assert find_pattern("a(b|c)+ and abc", "a(b|c)+") == [(0, 7)]


def test_stars_cannot_make_matching_slow():
    # Nested wildcards are the classic catastrophic-backtracking shape; "*" never backtracks.
    text = ("a" * 20000 + " ") * 5
    started = time.perf_counter()
    find_pattern(text, "*a*a*a*a*b")
    find_pattern(text, "#*#*#*#*x")
    assert time.perf_counter() - started < 1


# ---- combining spans -----------------------------------------------------------------------


def span(start, end, reason="TP", category="term"):
    return Span(start, end, category, category.title(), reason)


def test_overlapping_and_touching_spans_merge_keeping_the_first_reason():
    merged = merge_spans([span(10, 15, "PL"), span(0, 5, "TP"), span(3, 8, "AD"),
                          span(15, 20, "SH"), span(22, 25, "NR")])
    assert [(s.start, s.end, s.reason_code) for s in merged] == [
        (0, 8, "TP"), (10, 20, "PL"), (22, 25, "NR")]


def test_merge_keeps_a_span_inside_another_as_one():
    assert [(s.start, s.end) for s in merge_spans([span(0, 10), span(2, 4)])] == [(0, 10)]


def test_resolve_overlaps_gives_contested_text_to_the_higher_ranked_span():
    text = "jane.smith@example.org"
    name = Span(0, 10, "third_party", "Third party's name", "TP", ("ALL-5",))
    email = Span(0, 22, "email", "Email address", "TP")
    ranks = {"third_party": 0, "email": 1}
    resolved = resolve_overlaps(text, [email, name], rank=lambda s: ranks[s.category])
    assert [(text[s.start:s.end], s.category) for s in resolved] == [
        ("jane.smith", "third_party"), ("@example.org", "email")]


def test_resolve_overlaps_drops_what_is_wholly_covered_and_leftover_punctuation():
    text = "12 Oak Road, Exeter"
    resolved = resolve_overlaps(text, [span(0, 11, category="a"), span(0, 13, category="b")],
                                rank=lambda s: 0 if s.category == "a" else 1)
    assert [(s.start, s.end) for s in resolved] == [(0, 11)]


def test_reason_codes_are_the_eight_the_councils_use():
    assert set(REASONS) == {"TP", "NR", "PL", "LP", "PC", "SH", "AD", "PD"}
