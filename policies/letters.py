"""Letters to the requester (issue 13 item 4): which are offered now, and what each says.

Pure: from the request's snapshot and the council's policy. The wording of a refusal, a
referral or a subject access redirection is the policy's own `tell_requester` (routing) or the
recorded reasons of the decision (ALL-2); the acknowledgement's date is the policy's deadline.
Around those, each council's letters speak in its own words (`LetterWords`, a class attribute
of the council's policy, from its guidance): the team that writes, how to reach it, the advice
its guidance gives for each outcome and the sign-off (ADR 0024). Every letter carries the rule
IDs it rests on, printed at its foot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from policies.base import Referral, Refusal, RequestSnapshot

REFUSED_STATES = frozenset({"refused", "refused_at_triage"})
# Referred to a team of the council (it waits there), or out of it (closed at once: the
# requester still needs the advice, e.g. the police's scheme under NOTTS-6).
REFERRED_STATES = frozenset({"referred_out", "closed"})


class LetterKind(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    REFUSAL = "refusal"
    REFERRAL = "referral"
    SAR_REDIRECT = "sar_redirect"


@dataclass(frozen=True, slots=True)
class Said:
    """One paragraph of a council's own wording, and the rules it rests on."""

    text: str
    rule_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LetterWords:
    """A council's own words in its letters. ``team``, ``service`` and ``contact`` head every
    letter (who writes and how to reach them); ``signed_for`` goes under the signature; the
    rest are paragraphs added to a letter of that kind (``referral`` by the referral's
    target). ``subject_access_dates``: the redirection gives the deadline's dates (BH-7)."""

    team: str
    service: str
    contact: str
    signed_for: str
    acknowledgement: tuple[Said, ...] = ()
    refusal: tuple[Said, ...] = ()
    referral: dict[str, tuple[Said, ...]] = field(default_factory=dict)
    subject_access: tuple[Said, ...] = ()
    subject_access_dates: bool = False


@dataclass(frozen=True, slots=True)
class LetterText:
    kind: str
    title: str  # the button's and the letter's heading
    paragraphs: tuple[str, ...]
    rule_ids: tuple[str, ...]
    council: str = ""  # the council's name, as its policy gives it
    team: str = ""  # who writes (the letterhead)
    service: str = ""
    contact: str = ""  # how the requester reaches the team
    signed_for: str = ""  # under the signature


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def words_of(policy) -> LetterWords:
    """The council's words; where a policy gives none, plain ones in its own name."""
    return policy.letter_words or LetterWords(
        team="Children's Services", service="", contact="", signed_for=policy.name)


def _dates(policy, request: RequestSnapshot, today: date | None) -> tuple[list[str], list[str]]:
    deadline = policy.deadline(request, today)
    paragraphs = [f"{also.label}: {long_date(also.due)}." for also in deadline.also]
    rule_ids = list(deadline.rule_ids)
    for also in deadline.also:
        rule_ids += also.rule_ids
    return paragraphs, rule_ids


def _with(letter: LetterText, policy, said: tuple[Said, ...] = (), extra_ids=()) -> LetterText:
    """The letter in the council's words: its own paragraphs and rules added, its letterhead."""
    words = words_of(policy)
    ids = [*letter.rule_ids, *extra_ids]
    for s in said:
        ids += s.rule_ids
    return LetterText(letter.kind, letter.title,
                      (*letter.paragraphs, *(s.text for s in said)),
                      tuple(dict.fromkeys(ids)), policy.name, words.team, words.service,
                      words.contact, words.signed_for)


def acknowledgement(policy, request: RequestSnapshot, today: date | None = None) -> LetterText:
    deadline = policy.deadline(request, today)
    paragraphs = [
        f"We received your request on {long_date(request.received_on)}. We will reply by "
        f"{long_date(deadline.due)}.",
    ]
    also, rule_ids = _dates(policy, request, today)
    paragraphs += also
    paragraphs.append("If we need more time, or more information from you, we will tell you "
                      "before that date.")
    letter = LetterText(LetterKind.ACKNOWLEDGEMENT, "Acknowledgement of your request",
                        tuple(paragraphs), tuple(dict.fromkeys(rule_ids)))
    return _with(letter, policy, words_of(policy).acknowledgement)


def refusal(policy, request: RequestSnapshot, routing) -> LetterText | None:
    decision = request.sharing_decision
    said = words_of(policy).refusal
    if request.state == "refused" and decision is not None and not decision.shared:
        return _with(LetterText(
            LetterKind.REFUSAL, "We cannot share the information you asked for",
            ("We have considered your request and decided not to share the information.",
             f"Our reasons: {decision.reason}"),
            policy.note_rule_ids("refuse", request),
        ), policy, said)
    if request.state == "refused_at_triage" and isinstance(routing, Refusal):
        return _with(LetterText(
            LetterKind.REFUSAL, "We cannot deal with your request in this way",
            (routing.tell_requester or "We cannot share the information you asked for.",),
            routing.rule_ids,
        ), policy)
    return None


def referral(policy, request: RequestSnapshot, routing,
             today: date | None = None) -> LetterText | None:
    if request.state not in REFERRED_STATES or not isinstance(routing, Referral):
        return None
    words = words_of(policy)
    if routing.target == "sar_team":
        said, dates, ids = words.subject_access, [], list(routing.rule_ids)
        if words.subject_access_dates:
            due = policy.due_dates(request, today)
            dates = [f"{d.label}: {long_date(d.due)}." for d in due]
            ids += [rule for d in due for rule in d.rule_ids]
        ids += [rule for s in said for rule in s.rule_ids]
        return _with(LetterText(LetterKind.SAR_REDIRECT, "Your request is a subject access request",
                                (routing.tell_requester, *(s.text for s in said), *dates),
                                tuple(dict.fromkeys(ids))), policy)
    return _with(LetterText(LetterKind.REFERRAL, "Where to send your request",
                            (routing.tell_requester or "Your request has been passed on.",),
                            routing.rule_ids), policy, words.referral.get(routing.target, ()))


def letters(policy, request: RequestSnapshot, today: date | None = None) -> tuple[LetterText, ...]:
    """The letters this request can be sent now, acknowledgement first."""
    offered = [acknowledgement(policy, request, today)]
    routing = policy.route(request) if request.subjects else None
    for letter in (refusal(policy, request, routing), referral(policy, request, routing, today)):
        if letter is not None:
            offered.append(letter)
    return tuple(offered)
