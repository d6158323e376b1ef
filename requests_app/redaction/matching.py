"""Where a term or a staff-typed pattern occurs in a record, and how found spans combine.

Records are typed by many hands: the same address appears as "12 Oak Road, Exeter EX1 2AB" in
one note and "12 oak road\\nExeter  EX1 2AB" in the next, and a name ends up split over a line
break. A redaction that misses the second spelling discloses it, so matching is deliberately
forgiving about case, whitespace and punctuation between words, and strict only at the ends of
the term (so "Ann" is never found inside "Annual").

Every search runs on the record's folded text (`folding`: case, accents, invisible characters,
look-alike letters) and maps what it finds back to the original characters, so the offsets
returned are always into the text as stored and cover the variant exactly as it was written.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from .folding import Folded, fold


@dataclass(frozen=True)
class Span:
    """A stretch of text to suggest for redaction; ``end`` is exclusive."""

    start: int
    end: int
    category: str  # machine name: "nhs_number", "postcode", "third_party", "adopter", ...
    label: str  # what the worker sees: "NHS number", "Adopter's name"
    reason_code: str  # one of requests_app.redaction.REASONS
    rule_ids: tuple[str, ...] = ()
    source: str = ""  # "pattern", "case_facts" or "policy": where the suggestion came from


# ---- terms ---------------------------------------------------------------------------------

# What may stand between the words of a term: whitespace (line breaks included) and the
# punctuation people vary when copying an address or a name ("Road, Exeter" / "Road Exeter",
# "Smith-Jones" / "Smith Jones", "St. Leonards" / "St Leonards").
_SEPARATOR = r"[\s,.;:/\\\-\u2010-\u2015]"
_APOSTROPHES = "'\u2019\u2018`"
MIN_TERM_LENGTH = 2


def _literal(text: str) -> str:
    """A literal piece of a term or pattern; straight and curly apostrophes are the same."""
    out = []
    for char in text:
        out.append(f"[{_APOSTROPHES}]" if char in _APOSTROPHES else re.escape(char))
    return "".join(out)


@lru_cache(maxsize=8)
def folded(text: str) -> Folded:
    """The folded form of a record, kept for the next search: suggestions search one text for
    many terms in a row."""
    return Folded.of(text)


def find_in_folded(text: str, regex: re.Pattern) -> list[tuple[int, int]]:
    """Every non-empty match of `regex` (built for folded text) as original (start, end)."""
    found = folded(text)
    return [found.span(m.start(), m.end()) for m in regex.finditer(found.text)
            if m.end() > m.start()]


def term_regex(term: str, *, possessive: bool = True) -> re.Pattern | None:
    """The search for ``term`` in folded text (see ``find_term``), or None if it is too
    short."""
    words = [w for w in re.split(f"{_SEPARATOR}+", fold(term)) if w]
    if len("".join(re.findall(r"\w", "".join(words)))) < MIN_TERM_LENGTH:
        return None
    body = f"{_SEPARATOR}+".join(_literal(w) for w in words)
    start = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    end = ""
    if re.search(r"\w$", words[-1]):
        if possessive:
            # "Jane Smith's" and "the Smiths' house": the span stops before the possessive.
            end = rf"(?=(?:[{_APOSTROPHES}]s|s[{_APOSTROPHES}])?(?!\w))"
        else:
            end = rf"(?!\w)(?![{_APOSTROPHES}]\w)"
    return re.compile(start + body + end, re.IGNORECASE)


def find_term(text: str, term: str, *, possessive: bool = True) -> list[tuple[int, int]]:
    """Every (start, end) where ``term`` appears in ``text``.

    Whole words at both ends; any run of whitespace or separating punctuation in the text
    matches any between the words of the term; case, accents, invisible characters and
    look-alike letters do not matter (`folding`), and each span covers the original
    characters, so "Zo\u0308e" or "J\u00adohn" is cut out whole. With ``possessive``
    (the default, as redacting too little is the worse mistake) "Jane Smith's" yields the span
    of "Jane Smith"; without it "Jane Smith's" is not a match. Terms with fewer than two
    letters or digits find nothing rather than every "a".
    """
    regex = term_regex(term or "", possessive=possessive)
    if regex is None:
        return []
    return find_in_folded(text, regex)


# ---- staff-typed patterns ------------------------------------------------------------------

MAX_PATTERN_LENGTH = 100
_DIGIT = "[0-9]"
_LETTER = r"[^\W\d_]"
# The last character a "*" ending a pattern may take: not closing punctuation, so "Smith*"
# finds "Smithson" in "Smithson, Jane" without the comma.
_WORD_END = r"""[^\s.,;:!?)\]}"'\u2019\u201d]"""


def _element(char: str) -> str:
    if char == "#":
        return _DIGIT
    if char == "@":
        return _LETTER
    if char == " ":
        return r"\s"
    return _literal(char)


def compile_user_pattern(pattern: str) -> re.Pattern:
    """Turn a pattern typed by staff into a safe regular expression over folded text (run it
    with ``find_in_folded``).

    ``#`` is one digit, ``@`` one letter, ``*`` the rest of a word up to the next character
    typed (it never crosses a space), a space any whitespace, and everything else itself,
    ignoring case. Staff never write raw regular expressions: every ``*`` becomes a possessive
    run that cannot backtrack, so no pattern can make matching slow (no ReDoS).

    Raises ValueError, with a message to show the worker, for patterns that are empty, longer
    than 100 characters, or would match ordinary words.
    """
    # Folded like the text it searches: "Zoë*" finds "Zo\u0308ey" and "ZOEY".
    pattern = re.sub(r"\s+", " ", fold(pattern or "").strip())
    pattern = re.sub(r"\*+", "*", pattern)
    if not pattern:
        raise ValueError("Enter a pattern to look for, for example ##/##/#### for a date.")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"The pattern must be {MAX_PATTERN_LENGTH} characters or fewer.")
    solid = [c for c in pattern if c not in "* "]
    if not any(c != "@" for c in solid):
        raise ValueError(
            "A pattern made only of @ and * would match ordinary words. Add the letters, "
            "numbers or symbols you know, or a # for each digit."
        )
    if len(solid) < 2:
        raise ValueError(
            "The pattern must have at least 2 characters besides * and spaces, "
            "or it would match almost everything."
        )

    parts = []
    for index, char in enumerate(pattern):
        following = pattern[index + 1] if index + 1 < len(pattern) else None
        if char == "*":
            if following is None:
                parts.append(rf"(?:\S*{_WORD_END})?")
            else:
                parts.append(rf"(?:(?!{_element(following)})\S)*+")
        elif char == " ":
            parts.append(r"\s+")
        else:
            parts.append(_element(char))

    def wordish(char: str) -> bool:
        return char in "#@" or bool(re.match(r"\w", char))

    start = r"(?<!\S)" if pattern[0] == "*" else r"(?<!\w)" if wordish(pattern[0]) else ""
    end = r"(?!\w)" if wordish(pattern[-1]) else ""
    return re.compile(start + "".join(parts) + end, re.IGNORECASE)


def find_pattern(text: str, pattern: str) -> list[tuple[int, int]]:
    """Every (start, end) matching a staff-typed pattern; ValueError as compile_user_pattern."""
    return find_in_folded(text, compile_user_pattern(pattern))


# ---- combining spans -----------------------------------------------------------------------


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Overlapping or touching spans become one, carrying the first span's reason.

    Used before rendering, where two black boxes side by side should be one box and one code.
    """
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start <= merged[-1].end:
            if span.end > merged[-1].end:
                merged[-1] = replace(merged[-1], end=span.end)
        else:
            merged.append(span)
    return merged


def resolve_overlaps(
    text: str, spans: Iterable[Span], *, rank: Callable[[Span], int] = lambda span: 0
) -> list[Span]:
    """Non-overlapping spans covering everything the input covered, sorted by start.

    Where spans overlap, the one with the lower ``rank`` keeps its label and reason (then the
    longer, then the earlier). The rest of a partly covered span is kept under its own label
    rather than dropped, so nothing suggested goes missing; leftovers with no letter or digit
    (a stray comma) are dropped.
    """
    ordered = sorted(spans, key=lambda s: (rank(s), -(s.end - s.start), s.start))
    starts: list[int] = []  # claimed spans, kept sorted and disjoint
    claimed: list[Span] = []
    for span in ordered:
        for start, end in _unclaimed(span.start, span.end, starts, claimed):
            if any(c.isalnum() for c in text[start:end]):
                piece = replace(span, start=start, end=end)
                at = bisect.bisect_left(starts, start)
                starts.insert(at, start)
                claimed.insert(at, piece)
    return claimed


def _unclaimed(start, end, starts, claimed):
    """The parts of [start, end) no claimed span covers."""
    pieces = []
    at = max(bisect.bisect_right(starts, start) - 1, 0)
    cursor = start
    while at < len(claimed) and claimed[at].start < end:
        other = claimed[at]
        if other.end > cursor:
            if other.start > cursor:
                pieces.append((cursor, other.start))
            cursor = max(cursor, other.end)
        at += 1
    if cursor < end:
        pieces.append((cursor, end))
    return pieces
