"""Properties that must hold for any text, not just the examples we thought of."""

import re
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from requests_app.redaction.matching import compile_user_pattern, find_term
from requests_app.redaction.patterns import detect_personal_data
from requests_app.redaction.suggest import CaseFacts, suggest

# Terms are made of letters a-m and filler of n-z, so filler can never spell part of a term
# and every occurrence found beyond the inserted ones would be a bug in the test, not noise.
TERM_WORD = st.text(alphabet="abcdefghijklm", min_size=2, max_size=8)
FILLER = st.text(alphabet="nopqrstuvwxyz0123456789 .,;:!?()\n\t'\"-", max_size=30)
BETWEEN_WORDS = st.sampled_from([" ", "  ", "\n", "\t", " \n ", ", ", ",\n", ". ", "-", "\r\n"])


def vary_case(draw, word):
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if flip else c for c, flip in zip(word, flips, strict=True))


@st.composite
def text_with_term(draw):
    words = draw(st.lists(TERM_WORD, min_size=1, max_size=4))
    term = " ".join(words)
    pieces, inserted, length = [], [], 0
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        before = draw(FILLER) + " "
        occurrence = words[0] + "".join(draw(BETWEEN_WORDS) + w for w in words[1:])
        occurrence = vary_case(draw, occurrence)
        start = length + len(before)
        inserted.append((start, start + len(occurrence)))
        pieces += [before, occurrence, " "]
        length = start + len(occurrence) + 1
    pieces.append(draw(FILLER))
    return "".join(pieces), term, inserted


@settings(max_examples=300, deadline=None)
@given(text_with_term())
def test_find_term_finds_every_inserted_occurrence(case):
    text, term, inserted = case
    assert find_term(text, term) == inserted


# Spellings that look the same on the page (see requests_app/redaction/folding.py).
INVISIBLE = st.sampled_from(["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
LOOK_ALIKE = {"a": "\u0430", "c": "\u0441", "e": "\u0435", "i": "\u0456", "j": "\u0458",
              "k": "\u03ba", "b": "\u0432"}
SPACES = st.sampled_from([" ", "\u00a0", "\u202f", "\u2007", "\n", " \r\n", "\u3000"])
# Filler may hold emoji, right-to-left letters and marks: none of them folds to a-m.
WIDE_FILLER = st.text(alphabet="nopqrstuvwxyz .,;\n\U0001F600\U0001F44D\U0001F3FD"
                               "\u05e9\u05dc\u05d5\u05dd\u0645\u0631", max_size=30)


def vary_letter(draw, char):
    how = draw(st.sampled_from(["same", "same", "upper", "accent", "look-alike", "full-width"]))
    if how == "upper":
        return char.upper()
    if how == "accent":
        return char + draw(st.sampled_from(["\u0301", "\u0308", "\u0327", "\u030a"]))
    if how == "look-alike" and char in LOOK_ALIKE:
        return LOOK_ALIKE[char]
    if how == "full-width":
        return chr(ord(char) + 0xFEE0)
    return char


def vary_word(draw, word):
    out = []
    for index, char in enumerate(word):
        if index and draw(st.integers(0, 4)) == 0:
            out.append(draw(INVISIBLE))  # only inside a word, never at its edges
        out.append(vary_letter(draw, char))
    return "".join(out)


@st.composite
def text_with_look_alike_term(draw):
    words = draw(st.lists(TERM_WORD, min_size=1, max_size=3))
    pieces, inserted, length = [], [], 0
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        before = draw(WIDE_FILLER) + " "
        occurrence = vary_word(draw, words[0]) + "".join(
            draw(SPACES) + vary_word(draw, w) for w in words[1:])
        start = length + len(before)
        inserted.append((start, start + len(occurrence)))
        pieces += [before, occurrence, " "]
        length = start + len(occurrence) + 1
    pieces.append(draw(WIDE_FILLER))
    term = " ".join(vary_word(draw, w) for w in words)
    return "".join(pieces), term, inserted


@settings(max_examples=200, deadline=None)
@given(text_with_look_alike_term())
def test_every_look_alike_spelling_is_found_with_its_exact_original_offsets(case):
    # Accents, invisible characters, look-alike letters, full-width letters and odd spaces,
    # in the text and in the term typed: each occurrence is found, covering all it is written
    # with, among emoji and right-to-left text.
    text, term, inserted = case
    assert find_term(text, term) == inserted


PERSONAL_BITS = st.sampled_from([
    "943 476 5919", "AB 12 34 56 C", "EX1 2AB", "01392 123456", "+44 (0)20 7946 0000",
    "jane@example.org", "DOB 03/03/2014", "3rd March 2014", "07700 900123", "GIR 0AA",
])
NOISY_TEXT = st.lists(
    st.one_of(PERSONAL_BITS, st.text(alphabet="0123456789 ()+-/.@:aAbBeExX\n", max_size=15)),
    max_size=12,
).map("".join)


def assert_well_formed(text, spans):
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    assert all(a.end <= b.start for a, b in pairwise(spans)), "sorted, no overlaps"


@settings(max_examples=300, deadline=None)
@given(NOISY_TEXT)
def test_detector_spans_are_in_range_sorted_and_never_overlap(text):
    assert_well_formed(text, detect_personal_data(text))


@settings(max_examples=200, deadline=None)
@given(NOISY_TEXT, st.lists(st.text(alphabet="aAbBeEX 12", min_size=2, max_size=8), max_size=3))
def test_suggestions_are_in_range_sorted_and_never_overlap(text, names):
    facts = CaseFacts(third_party_names=tuple(names), placement_addresses=("12 Oak Road EX1 2AB",))
    assert_well_formed(text, suggest(text, facts=facts))


@settings(max_examples=300, deadline=1000)
@given(st.text(alphabet="#@* ab1-/.()[]\\+?", max_size=30),
       st.text(alphabet="ab1-/. \n@#*", max_size=300))
def test_any_pattern_either_is_refused_or_compiles_to_a_quick_search(pattern, text):
    try:
        regex = compile_user_pattern(pattern)
    except ValueError as refused:
        assert str(refused)  # a message for the worker, never an empty error
        return
    assert isinstance(regex, re.Pattern)
    list(regex.finditer(text * 10))
