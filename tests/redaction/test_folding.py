"""Every instance means every instance: spellings that look the same on the page are found,
and each span covers the variant exactly as written."""

import pytest

from requests_app.redaction.folding import Folded, fold, whole_clusters
from requests_app.redaction.matching import find_pattern, find_term


def found(text, spans):
    return [text[start:end] for start, end in spans]


@pytest.mark.parametrize("variant", [
    "Zoë Quarrington",  # precomposed
    "Zoe\u0308 Quarrington",  # e + combining diaeresis
    "Zoe Quarrington",  # no accent at all
    "ZOË QUARRINGTON",
    "Zo\u00ade Qua\u00adrrington",  # soft hyphens
    "Zo\u200bë Quar\u200crington",  # zero-width space and non-joiner
    "Zo\u2060ë\ufeff Quarrington",  # word joiner, byte-order mark
    "Zoë\u00a0Quarrington",  # non-breaking space
    "Zoë\u202fQuarrington",  # narrow non-breaking space
    "Zoë\nQuarrington",  # line break
    "Zoë Quаrrington",  # Cyrillic а
    "Ζοë Quarrington",  # Greek capital zeta, small omicron
    "Ｚｏë Ｑｕａｒｒｉｎｇｔｏｎ",  # full-width letters
    "\u202aZoë Quarrington\u202c",  # inside bidirectional embedding controls
])
def test_every_variant_of_a_name_is_found_and_cut_out_exactly_as_written(variant):
    text = f"Seen by {variant}, who said she would call."
    spans = find_term(text, "Zoë Quarrington")
    assert len(spans) == 1
    [(start, end)] = spans
    cut = text[start:end]
    # Everything of the name, visible or not, is inside the span; nothing else is.
    assert fold(cut).replace("\n", " ").replace("\u00a0", " ") == "zoe quarrington"
    rest = text[:start] + text[end:]
    assert fold(rest).strip("\u202a\u202c") == "seen by , who said she would call."


def test_a_trailing_combining_mark_goes_with_the_name():
    text = "Zoe\u0308 came."
    assert found(text, find_term(text, "Zoe")) == ["Zoe\u0308"]


def test_ligatures_and_sharp_s_match_their_spelled_out_forms():
    assert found("Mrs Stra\u00dfe and \ufb01ona", find_term("Mrs Stra\u00dfe and \ufb01ona",
                                                           "strasse")) == ["Stra\u00dfe"]
    assert found("\ufb01ona came", find_term("\ufb01ona came", "Fiona")) == ["\ufb01ona"]


def test_folding_keeps_whole_words_whole():
    # "Zoë" must not be found inside "Zoëlla", however either is spelled.
    text = "Zo\u0308ella and Zoe\u0308lla met Zoë."
    assert found(text, find_term(text, "Zoe")) == ["Zoë"]


def test_look_alikes_are_found_both_ways():
    text = "Jаne Smith and Jane Smith"  # the first has a Cyrillic а
    assert len(find_term(text, "Jane Smith")) == 2
    assert len(find_term(text, "Jаne Smith")) == 2


def test_non_latin_names_still_match_in_any_case():
    assert found("Встреча: АННА и Анна", find_term("Встреча: АННА и Анна", "анна")) == [
        "АННА", "Анна"]
    assert len(find_term("ΝΙΚΟΣ και Νίκος", "νικος")) == 2
    assert found("زارت فاطِمة اليوم", find_term("زارت فاطِمة اليوم", "فاطمة")) == ["فاطِمة"]


def test_patterns_are_folded_like_terms():
    text = "Ref ＡＢ１２, then Zo\u00adey and ZOËY."
    assert found(text, find_pattern(text, "@@##")) == ["ＡＢ１２"]
    assert found(text, find_pattern(text, "Zoë*")) == ["Zo\u00adey", "ZOËY"]


def test_folded_offsets_point_back_at_the_original_characters():
    text = "a\u00adb\u0308c ﬁ"
    folded = Folded.of(text)
    assert folded.text == "abc fi"
    assert folded.span(0, 3) == (0, 5)  # soft hyphen and diaeresis inside
    assert folded.span(4, 5) == (6, 7)  # half a ligature is the whole ligature
    assert list(folded.origin) == [0, 2, 4, 5, 6, 6]


@pytest.mark.parametrize(("text", "start", "end", "expected"), [
    ("Zoe\u0308 Ray", 0, 3, (0, 4)),  # the diaeresis after the selection comes too
    ("xe\u0301y", 2, 4, (1, 4)),  # a selection starting on a mark takes its letter
    ("\U0001F469\u200d\U0001F467 Ann", 0, 1, (0, 3)),  # a ZWJ family emoji stays whole
    ("\U0001F44D\U0001F3FD ok", 0, 1, (0, 2)),  # a skin-tone modifier stays with its emoji
    ("plain words", 0, 5, (0, 5)),
])
def test_a_selection_is_widened_to_whole_characters(text, start, end, expected):
    assert whole_clusters(text, start, end) == expected
