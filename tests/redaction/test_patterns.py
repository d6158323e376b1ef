"""Detecting UK personal data: each detector's yes and no cases, then all of them together."""

from datetime import date

import pytest

from requests_app.redaction.patterns import (
    detect_personal_data,
    find_dates_of_birth,
    find_emails,
    find_nhs_numbers,
    find_ni_numbers,
    find_phone_numbers,
    find_postcodes,
    nhs_number_is_valid,
)


def found(text, spans):
    return [text[s.start:s.end] for s in spans]


# ---- NHS numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["943 476 5919", "9434765919", "943-476-5919", "401 023 2137", "398 259 7919",
     "678 698 1984", "634 648 4850"],
)
def test_nhs_number_with_valid_check_digit_is_found(written):
    text = f"NHS no: {written}."
    assert found(text, find_nhs_numbers(text)) == [written]


@pytest.mark.parametrize(
    "written",
    [
        "943 476 5918",  # check digit wrong
        "943 476 5910",
        "100 000 0010",  # the first nine digits give a check of 10: no valid number
        "94347659191",  # a longer run of digits
        "19434765919",
        "943 476 591",
    ],
)
def test_not_an_nhs_number(written):
    assert find_nhs_numbers(f"Ref {written} on file") == []


def test_nhs_check_digit_of_eleven_is_zero():
    # 334 229 042 weighs to a multiple of 11, so its check digit is 0.
    assert nhs_number_is_valid("3342290420")
    assert not nhs_number_is_valid("3342290421")


# ---- National Insurance numbers ------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["AB 12 34 56 C", "AB123456C", "JG 10 36 84 D", "ab123456c", "CE 12 34 56", "CE123456"],
)
def test_ni_number_is_found(written):
    text = f"NI number {written}, checked."
    assert found(text, find_ni_numbers(text)) == [written]


@pytest.mark.parametrize(
    "written",
    [
        "QQ 12 34 56 C",  # Q is never a prefix letter
        "DA 12 34 56 A",  # nor D
        "AO 12 34 56 A",  # O is never the second letter
        "GB 12 34 56 A",  # never-issued pairs
        "BG 12 34 56 A",
        "NK 12 34 56 A",
        "TN 12 34 56 A",
        "ZZ 12 34 56 A",
        "AB123456E",  # suffix is A-D
        "AB1234567",  # a digit too many
        "XAB123456C",  # not delimited
    ],
)
def test_not_an_ni_number(written):
    assert find_ni_numbers(f"Ref {written} here") == []


def test_lower_case_words_and_times_are_not_ni_numbers():
    assert find_ni_numbers("arrived at 10 30 45 minutes late") == []


def test_a_lower_case_word_after_an_ni_number_is_not_its_suffix():
    text = "NI AB 12 34 56 a visit"
    assert found(text, find_ni_numbers(text)) == ["AB 12 34 56"]


# ---- postcodes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["SW1A 1AA", "EX1 2AB", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "GIR 0AA", "ex1 2ab",
     "EX12AB", "W1A 0AX", "EC1A 1BB"],
)
def test_postcode_is_found(written):
    text = f"Moved to {written}."
    assert found(text, find_postcodes(text)) == [written]


@pytest.mark.parametrize(
    "text",
    [
        "Room B12 at 3pm",
        "QX1 2AB",  # Q never starts a postcode
        "EX1 2CB",  # C never ends one
        "EX1 2AB3",  # run into more characters
        "AEX1 2AB",
        "Section 17 assessment",
        "V1 1AA",
    ],
)
def test_not_a_postcode(text):
    assert find_postcodes(text) == []


# ---- phone numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["01392 123456", "(020) 7946 0000", "07700 900123", "+44 7700 900123",
     "+44 (0)20 7946 0000", "0117 496 0123", "01392-123456", "07700900123", "0300 123 1234",
     "(01392) 123456", "+447700900123"],
)
def test_phone_number_is_found(written):
    text = f"Tel: {written}, ask for duty."
    assert found(text, find_phone_numbers(text)) == [written]


@pytest.mark.parametrize(
    "text",
    [
        "Called 999 at 2am",
        "Called 111 for advice",
        "Seen on 01/02/2015",
        "Seen on 01-02-2015",
        "Seen on 01.02.2015",
        "0770 090",  # too short
        "07700 9001234 5",  # a mobile has 11 digits
        "08001234567",  # not 01/02/03/07
        "Ref 101392123456",
    ],
)
def test_not_a_phone_number(text):
    assert find_phone_numbers(text) == []


def test_a_phone_number_followed_by_more_numbers_is_still_found():
    text = "Tel 01392 123456 2 visits"
    assert found(text, find_phone_numbers(text)) == ["01392 123456"]


def test_nhs_number_is_not_also_suggested_as_a_phone_number():
    # 012 345 6789 is both a valid NHS number and shaped like a London number.
    assert nhs_number_is_valid("0123456789")
    text = "NHS 012 345 6789"
    spans = detect_personal_data(text)
    assert [(found(text, [s]), s.category) for s in spans] == [(["012 345 6789"], "nhs_number")]


# ---- email addresses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["jane.smith@example.org", "j.o'brien@devon.gov.uk", "duty+cp@camden.gov.uk",
     "A_B-1@mail.example.co.uk"],
)
def test_email_is_found(written):
    text = f"Email ({written}). "
    assert found(text, find_emails(text)) == [written]


@pytest.mark.parametrize("text", ["jane@", "@example.org", "jane at example dot org",
                                  "jane@example"])
def test_not_an_email(text):
    assert find_emails(text) == []


# ---- dates of birth ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, date_text",
    [
        ("DOB: 03/03/2014", "03/03/2014"),
        ("D.O.B 3.3.14", "3.3.14"),
        ("d/o/b 03-03-2014", "03-03-2014"),
        ("Date of birth: 3 March 2014", "3 March 2014"),
        ("Date of Birth\n3rd March 2014", "3rd March 2014"),
        ("She was born on 3rd of March 2014 in Exeter", "3rd of March 2014"),
        ("born March 3, 2014", "March 3, 2014"),
        ("Jayden (DOB 3 Mar. 2014)", "3 Mar. 2014"),
        ("Jayden, 03/03/2014 (DOB)", "03/03/2014"),
    ],
)
def test_date_next_to_a_dob_cue_is_a_date_of_birth(text, date_text):
    assert found(text, find_dates_of_birth(text)) == [date_text]


def test_other_dates_are_not_dates_of_birth():
    text = "Visited 01/02/2015. Strategy meeting 3 March 2016. Review on March 5, 2017."
    assert find_dates_of_birth(text) == []


def test_only_the_first_date_after_a_cue_is_the_date_of_birth():
    text = "DOB 03/03/2014, seen 05/06/2020"
    assert found(text, find_dates_of_birth(text)) == ["03/03/2014"]


def test_a_distant_date_is_not_cued():
    text = "DOB not known to the school at the time of referral; seen 05/06/2020"
    assert find_dates_of_birth(text) == []


@pytest.mark.parametrize("written", ["03/03/2014", "3/3/14", "3.3.2014", "3 March 2014",
                                     "3rd Mar 2014", "March 3rd, 2014", "03-03-2014"])
def test_a_known_date_of_birth_is_found_in_any_format_without_a_cue(written):
    text = f"Jayden's birthday party, {written}, was cancelled; 04/03/2014 was fine."
    spans = find_dates_of_birth(text, known_dobs=[date(2014, 3, 3)])
    assert found(text, spans) == [written]


def test_impossible_dates_are_not_dates():
    assert find_dates_of_birth("DOB 31/02/2014") == []


# ---- all together --------------------------------------------------------------------------

RECORD = """Referral received from Jane Smith (school nurse), tel 01392 123456,
email jane.smith@example.org. Child: Jayden, DOB 03/03/2014, NHS 943 476 5919.
Mother's NI number AB 12 34 56 C. Address 12 Oak Road, Exeter EX1 2AB.
Police called on 999; strategy meeting 01/02/2015."""


def test_detect_personal_data_finds_each_kind_once_in_order():
    spans = detect_personal_data(RECORD)
    assert [(RECORD[s.start:s.end], s.label) for s in spans] == [
        ("01392 123456", "Phone number"),
        ("jane.smith@example.org", "Email address"),
        ("03/03/2014", "Date of birth"),
        ("943 476 5919", "NHS number"),
        ("AB 12 34 56 C", "National Insurance number"),
        ("EX1 2AB", "Postcode"),
    ]
    assert {s.reason_code for s in spans} == {"TP"}
    assert {s.source for s in spans} == {"pattern"}
