"""Detectors for UK personal data in a record's text.

Each detector returns Spans labelled for the worker ("NHS number") with reason code TP, which
the worker can change when accepting. Detectors lean towards suggesting too much, except where
a checksum or an official format lets them be exact (NHS and National Insurance numbers), as a
suggestion nobody needs costs a click and a missed one discloses someone's details.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from datetime import date

from .matching import Span, resolve_overlaps

DEFAULT_REASON = "TP"


def _span(start: int, end: int, category: str, label: str) -> Span:
    return Span(start, end, category, label, DEFAULT_REASON, source="pattern")


# ---- NHS numbers ---------------------------------------------------------------------------

_NHS = re.compile(r"(?<!\d)(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?!\d)")


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS modulus 11 check: weights 10..2 on the first nine digits; a check of 11 is 0
    and a check of 10 means no valid number has those nine digits."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def find_nhs_numbers(text: str) -> list[Span]:
    return [
        _span(m.start(), m.end(), "nhs_number", "NHS number")
        for m in _NHS.finditer(text)
        if nhs_number_is_valid("".join(m.groups()))
    ]


# ---- National Insurance numbers ------------------------------------------------------------

# HMRC: neither prefix letter is D, F, I, Q, U or V; the second is not O; some pairs are never
# issued. The suffix (A-D) is often left off, so it is optional, but then the number must
# stand alone (not run into further letters or digits).
_NI = re.compile(
    r"(?<![A-Za-z0-9])(?P<prefix>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])(?P<gap>\s?)"
    r"\d{2}\s?\d{2}\s?\d{2}(?:(?P<suffix_gap>\s?)(?P<suffix>[A-D]))?(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_NI_NEVER_ISSUED = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


def find_ni_numbers(text: str) -> list[Span]:
    spans = []
    for m in _NI.finditer(text):
        prefix = m["prefix"]
        if prefix.upper() in _NI_NEVER_ISSUED:
            continue
        # Lower case with spaces is too like prose ("at 10 30 45"): only the compact form
        # ("ab123456c") is taken in lower case.
        if not prefix.isupper() and m["gap"]:
            continue
        end = m.end()
        if m["suffix"] and m["suffix_gap"] and m["suffix"].islower():
            end = m.start("suffix_gap")  # "... 56 a visit": the "a" is a word, not a suffix
        spans.append(_span(m.start(), end, "ni_number", "National Insurance number"))
    return spans


# ---- postcodes -----------------------------------------------------------------------------

# Royal Mail's formats (A9, A99, AA9, AA99, A9A, AA9A outward; 9AA inward) and GIR 0AA, with
# the letters each position may hold, in any case, with or without the space.
POSTCODE_REGEX = (
    r"(?:GIR[ \t\u00a0]{0,2}0AA"
    r"|[A-PR-UWYZ](?:[0-9][A-HJKPSTUW0-9]?|[A-HK-Y][0-9][ABEHMNPRVWXY0-9]?)"
    r"[ \t\u00a0]{0,2}[0-9][ABD-HJLNP-UW-Z]{2})"
)
POSTCODE = re.compile(rf"(?<![A-Za-z0-9]){POSTCODE_REGEX}(?![A-Za-z0-9])", re.IGNORECASE)


def find_postcodes(text: str) -> list[Span]:
    return [_span(m.start(), m.end(), "postcode", "Postcode") for m in POSTCODE.finditer(text)]


# ---- phone numbers -------------------------------------------------------------------------

# Where a number may start: +44, an opening bracket before the 0, or a 0; never glued to a
# word or to another number. 999 and 111 do not start with 0 or +44, so are never suggested.
_PHONE_START = re.compile(r"(?<![\w+])(?=\+44|\(0|0)")
_INTERNATIONAL = re.compile(r"\+44[ \t\-]?(?:\(0\)[ \t\-]?)?")
_DIGITS = re.compile(r"\d+")
# Between groups of digits: a closing bracket, a space or a hyphen. Not "/" or ".", which is
# what keeps dates (01/02/2015) out.
_PHONE_GAP = re.compile(r"(?:\)[ \t\-]?|[ \t]?-[ \t]?|[ \t])(?=\d)")


def _phone_digits_valid(digits: str, international: bool) -> bool:
    if international:
        national = digits[1:] if digits.startswith("0") else digits  # "+44 (0)" or "+44 0..."
        if not national or national[0] not in "1237":
            return False
        return len(national) == 10 or (len(national) == 9 and national[0] != "7")
    if len(digits) < 2 or digits[0] != "0" or digits[1] not in "1237":
        return False
    return len(digits) == 11 or (len(digits) == 10 and digits[1] != "7")


def _phone_end(text: str, start: int) -> int | None:
    """Where the longest valid phone number starting at ``start`` ends, if there is one."""
    international = _INTERNATIONAL.match(text, start)
    pos = international.end() if international else start
    if not international and text.startswith("(", pos):
        pos += 1
    digits, best = "", None
    while len(digits) <= 11:
        group = _DIGITS.match(text, pos)
        if not group:
            break
        digits += group.group()
        pos = group.end()
        if _phone_digits_valid(digits, bool(international)):
            best = pos
        gap = _PHONE_GAP.match(text, pos)
        if not gap:
            break
        pos = gap.end()
    return best


def find_phone_numbers(text: str) -> list[Span]:
    spans: list[Span] = []
    for candidate in _PHONE_START.finditer(text):
        start = candidate.start()
        if spans and start < spans[-1].end:
            continue
        end = _phone_end(text, start)
        if end is not None and not (end < len(text) and text[end].isalnum()):
            spans.append(_span(start, end, "phone_number", "Phone number"))
    return spans


# ---- email addresses -----------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.%+\-])\w[\w.%+'\-]*+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+"
)


def find_emails(text: str) -> list[Span]:
    return [_span(m.start(), m.end(), "email", "Email address") for m in _EMAIL.finditer(text)]


# ---- dates of birth ------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}


def _month(name: str) -> str:
    return (
        rf"(?P<{name}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
        r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
    )


_ORDINAL = r"(?:st|nd|rd|th)?"
# UK order throughout: 03/04/2014 is the 3rd of April.
_DATE = re.compile(
    r"(?<![\w/])(?<!\d[.\-])(?:"
    r"(?P<d1>\d{1,2})(?P<sep>[/.\-])(?P<m1>\d{1,2})(?P=sep)(?P<y1>\d{4}|\d{2})"
    rf"|(?P<d2>\d{{1,2}}){_ORDINAL}(?:\s+of)?\s+{_month('m2')},?\s+(?P<y2>\d{{4}})"
    rf"|{_month('m3')}\s+(?P<d3>\d{{1,2}}){_ORDINAL},?\s+(?P<y3>\d{{4}})"
    r")(?![\w/])(?![.\-]\d)",
    re.IGNORECASE,
)
# What says the next (or previous) date is someone's date of birth.
_DOB_CUE = re.compile(
    r"(?<!\w)(?:d\.?\s?o\.?\s?b\.?|d/o/b|date\s+of\s+birth|birth\s*date|born(?:\s+on)?)(?!\w)",
    re.IGNORECASE,
)
_CUE_BEFORE_WINDOW = 40  # "Date of birth (as given by mother): 3rd March 2014"
_CUE_AFTER = re.compile(r"[\s(\[:,\-]{0,4}")  # "03/03/2014 (DOB)"


def _parse(m: re.Match) -> tuple[int, int, int, int] | None:
    """(day, month, year, digits in the year) of a matched date, if it is a real date."""
    for d, mo, y in (("d1", "m1", "y1"), ("d2", "m2", "y2"), ("d3", "m3", "y3")):
        if m[d]:
            day, year_text = int(m[d]), m[y]
            month = int(m[mo]) if m[mo].isdigit() else _MONTHS[m[mo][:3].lower()]
            break
    year = int(year_text)
    # A two-digit year could be either century; 29/02/00 is real in 2000, so try both.
    candidates = [year] if len(year_text) == 4 else [2000 + year, 1900 + year]
    for candidate in candidates:
        try:
            date(candidate, month, day)
        except ValueError:
            continue
        return day, month, year, len(year_text)
    return None


def _is_known(parsed, known_dobs: Iterable[date]) -> bool:
    day, month, year, year_digits = parsed
    for dob in known_dobs:
        same_year = year == dob.year if year_digits == 4 else year == dob.year % 100
        if (day, month) == (dob.day, dob.month) and same_year:
            return True
    return False


def find_dates_of_birth(text: str, *, known_dobs: Iterable[date] = ()) -> list[Span]:
    """Dates written next to a cue ("DOB", "date of birth", "born on"), and any date that
    equals one of ``known_dobs`` wherever it appears and however it is written."""
    known_dobs = tuple(known_dobs)
    dates = [(m, parsed) for m in _DATE.finditer(text) if (parsed := _parse(m))]
    date_starts = [m.start() for m, _ in dates]
    cues = list(_DOB_CUE.finditer(text))
    cue_starts = [c.start() for c in cues]
    cued: set[int] = set()
    for cue in cues:
        # The first date after the cue, if it is close; never a later one ("DOB 3/3/14,
        # seen 5/6/20" cues only the first).
        at = bisect.bisect_left(date_starts, cue.end())
        if at < len(dates):
            gap = text[cue.end():date_starts[at]]
            if len(gap) <= _CUE_BEFORE_WINDOW and gap.count("\n") <= 1:
                cued.add(date_starts[at])
    for m, _ in dates:
        at = bisect.bisect_left(cue_starts, m.end())
        if at < len(cues) and _CUE_AFTER.fullmatch(text, m.end(), cue_starts[at]):
            cued.add(m.start())
    return [
        _span(m.start(), m.end(), "date_of_birth", "Date of birth")
        for m, parsed in dates
        if m.start() in cued or _is_known(parsed, known_dobs)
    ]


# ---- all together --------------------------------------------------------------------------

# Where two detectors claim the same characters, the more specific one labels them: an NHS
# number is never also offered as a phone number.
_SPECIFICITY = ["email", "nhs_number", "ni_number", "date_of_birth", "postcode", "phone_number"]


def detect_personal_data(text: str, *, known_dobs: Iterable[date] = ()) -> list[Span]:
    """Every UK personal data item found, sorted by position, no two overlapping."""
    found = [
        *find_emails(text),
        *find_nhs_numbers(text),
        *find_ni_numbers(text),
        *find_dates_of_birth(text, known_dobs=known_dobs),
        *find_postcodes(text),
        *find_phone_numbers(text),
    ]
    return resolve_overlaps(text, found, rank=lambda span: _SPECIFICITY.index(span.category))
