"""Redaction suggestions for one record: the case's own sensitive facts plus UK personal data.

The service layer gathers the facts (who the third parties, informants and adopters are, where
the child is placed, what the council's policy says to look for) and shows what comes back as
suggestions a worker accepts or rejects. Nothing is redacted here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from policies.redaction_kinds import SUGGESTION_RULE_IDS

from .matching import Span, find_term, resolve_overlaps
from .patterns import POSTCODE, detect_personal_data


class PolicyTerm(NamedTuple):
    """Something the council policy says to look for; a plain 5-tuple works as well."""

    term: str
    category: str
    label: str
    reason_code: str
    rule_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseFacts:
    """What is known about the case that makes some text sensitive."""

    third_party_names: tuple[str, ...] = ()
    informant_names: tuple[str, ...] = ()
    adopter_names: tuple[str, ...] = ()
    placement_addresses: tuple[str, ...] = ()
    other_terms: tuple[PolicyTerm | tuple, ...] = ()
    known_dobs: tuple[date, ...] = ()
    # Accepted and deliberately not suggested: the requester usually knows who the child is,
    # and blacking out the child's name throughout makes a record unreadable.
    subject_names: tuple[str, ...] = ()


class _Kind(NamedTuple):
    category: str
    label: str
    reason_code: str
    rule_ids: tuple[str, ...]
    rank: int  # lower wins where suggestions overlap


# The rules each kind rests on are the policy's answer (policies/redaction_kinds.py).
THIRD_PARTY = _Kind("third_party", "Third party's name", "TP",
                    SUGGESTION_RULE_IDS["third_party"], 2)
INFORMANT = _Kind("informant", "Informant's name", "TP", SUGGESTION_RULE_IDS["informant"], 1)
ADOPTER = _Kind("adopter", "Adopter's name", "AD", SUGGESTION_RULE_IDS["adopter"], 0)
PLACEMENT = _Kind("placement_address", "Placement address", "PL",
                  SUGGESTION_RULE_IDS["placement_address"], 0)
_RANKS = {kind.category: kind.rank for kind in (THIRD_PARTY, INFORMANT, ADOPTER, PLACEMENT)}
_POLICY_RANK = 3  # the policy's own terms: after the case's facts, before generic patterns
_PATTERN_RANK = 4

# Words that end the street part of a one-line address ("12 Oak Road Exeter" -> "12 Oak Road").
_STREET_TYPES = (
    "road|rd|street|st|lane|ln|avenue|ave|close|drive|dr|way|crescent|place|gardens|court"
    "|terrace|grove|hill|park|walk|row|square|mews|rise|view|green|parade|vale|wharf"
)
_HOUSE_NUMBER = re.compile(r"\d+[A-Za-z]?(?:\s*[-\u2013]\s*\d+[A-Za-z]?)?\s+\S")


def suggest(text: str, *, facts: CaseFacts = CaseFacts()) -> list[Span]:
    """Everything in ``text`` worth redacting, sorted by position, no two overlapping.

    Where a case fact and a generic pattern cover the same words, the fact labels them (a
    placement's postcode is "Placement address", reason PL, not just "Postcode").
    """
    candidates: list[Span] = []
    for kind, names in (
        (ADOPTER, facts.adopter_names),
        (INFORMANT, facts.informant_names),
        (THIRD_PARTY, facts.third_party_names),
    ):
        for name in names:
            candidates += _term_spans(text, name, kind, source="case_facts")
    for address in facts.placement_addresses:
        candidates += _address_spans(text, address, PLACEMENT, source="case_facts")

    for term, category, label, reason_code, rule_ids in facts.other_terms:
        kind = _Kind(category, label, reason_code, tuple(rule_ids), _POLICY_RANK)
        if category == PLACEMENT.category:
            candidates += _address_spans(text, term, kind, source="policy")
        else:
            candidates += _term_spans(text, term, kind, source="policy")

    candidates += detect_personal_data(text, known_dobs=facts.known_dobs)
    return resolve_overlaps(text, candidates, rank=_rank)


def _rank(span: Span) -> int:
    if span.source == "pattern":
        return _PATTERN_RANK
    if span.source == "policy":
        return _POLICY_RANK
    return _RANKS.get(span.category, _POLICY_RANK)


def _term_spans(text: str, term: str, kind: _Kind, *, source: str, label: str = "") -> list[Span]:
    return [
        Span(start, end, kind.category, label or kind.label, kind.reason_code, kind.rule_ids,
             source)
        for start, end in find_term(text, term or "")
    ]


def _address_spans(text: str, address: str, kind: _Kind, *, source: str) -> list[Span]:
    """The whole address, and its postcode and first line wherever they appear on their own
    (a note saying "visited 12 Oak Road" still gives the placement away)."""
    spans = _term_spans(text, address, kind, source=source)
    postcode, first_line = address_parts(address or "")
    if postcode:
        spans += [
            Span(start, end, kind.category, f"{kind.label} (postcode)", kind.reason_code,
                 kind.rule_ids, source)
            for start, end in find_postcode(text, postcode)
        ]
    if first_line:
        spans += _term_spans(text, first_line, kind, source=source,
                             label=f"{kind.label} (street)")
    return spans


def address_parts(address: str) -> tuple[str, str]:
    """(postcode, house number and street) of an address; either may be "" if not found."""
    found = POSTCODE.search(address)
    postcode = found.group() if found else ""
    rest = address.replace(postcode, " ") if postcode else address
    lines = [line.strip() for line in re.split(r"[,\n]", rest) if line.strip()]
    first_line = next((line for line in lines if _HOUSE_NUMBER.match(line)), "")
    if not first_line and len(lines) >= 3:
        first_line = lines[0]  # a house name: "Rose Cottage, Mill Lane, Crediton"
    street = re.match(rf"(.*\b(?:{_STREET_TYPES}))\b", first_line, re.IGNORECASE)
    if street and _HOUSE_NUMBER.match(first_line):
        first_line = street.group(1)  # "12 Oak Road Exeter", written on one line
    return postcode, first_line


def find_postcode(text: str, postcode: str) -> list[tuple[int, int]]:
    """Every (start, end) of one postcode, in any case, with or without its space."""
    compact = re.sub(r"\s+", "", postcode).upper()
    if len(compact) < 5:
        return []
    outward, inward = re.escape(compact[:-3]), re.escape(compact[-3:])
    regex = re.compile(rf"(?<![A-Za-z0-9]){outward}\s{{0,2}}{inward}(?![A-Za-z0-9])",
                       re.IGNORECASE)
    return [(m.start(), m.end()) for m in regex.finditer(text)]
