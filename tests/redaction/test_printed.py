"""Fields a pack prints about a record (title, author, organisation, the cover's names) say no
redacted term, in any spelling: each is replaced by its reason code."""

from requests_app.redaction.printed import MAX_TERM_LENGTH, PrintedTerms


def test_a_redacted_name_is_replaced_by_its_code_in_every_spelling():
    printed = PrintedTerms.of([("Zoë Hartley", "TP")])
    assert printed.clean("Letter from Zoe\u0308 HART\u00adLEY, 3 May") == "Letter from [TP], 3 May"
    assert printed.clean("Zо\u200bë Hartley") == "[TP]"  # Cyrillic о, zero-width space
    assert printed.clean("Zoë\u00a0Hartley’s notes") == "[TP]’s notes"
    assert printed.clean("Hartley Centre") == "Hartley Centre"  # another term, not redacted


def test_overlapping_terms_become_one_code_listing_each_reason():
    printed = PrintedTerms.of([("Oak Road", "PL"), ("12 Oak Road", "PL"), ("Zoë", "TP")])
    assert printed.clean("Zoë, 12 Oak Road") == "[TP], [PL]"
    assert printed.used == {"TP", "PL"}
    both = PrintedTerms.of([("Jane Smith", "TP"), ("Smith family", "NR")])
    assert both.clean("Jane Smith family") == "[TP, NR]"


def test_terms_too_short_or_too_long_to_be_a_name_are_left_alone():
    printed = PrintedTerms.of([("a", "TP"), ("", "TP"), ("x " * MAX_TERM_LENGTH, "TP")])
    assert printed.terms == ()
    assert printed.clean("a x x") == "a x x"


def test_the_first_reason_for_a_term_is_kept():
    printed = PrintedTerms.of([("Zoë Hartley", "TP"), ("ZOE HARTLEY", "NR")])
    assert len(printed.terms) == 1
    assert printed.clean("Zoë Hartley") == "[TP]"
