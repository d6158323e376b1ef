"""Letters to the requester (issue 13 item 4): which are offered now, and what each says.

Pure: from the request's snapshot and the council's policy. The wording of a refusal, a
referral or a subject access redirection is the policy's own `tell_requester` (routing) or the
recorded reasons of the decision (ALL-2); the acknowledgement's date is the policy's deadline.
Every letter carries the rule IDs it rests on, printed at its foot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from policies.base import Referral, Refusal, RequestSnapshot

REFUSED_STATES = frozenset({"refused", "refused_at_triage"})
REFERRED_STATES = frozenset({"referred_out"})


class LetterKind(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    REFUSAL = "refusal"
    REFERRAL = "referral"
    SAR_REDIRECT = "sar_redirect"


@dataclass(frozen=True, slots=True)
class LetterText:
    kind: str
    title: str  # the button's and the letter's heading
    paragraphs: tuple[str, ...]
    rule_ids: tuple[str, ...]


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def acknowledgement(policy, request: RequestSnapshot, today: date | None = None) -> LetterText:
    deadline = policy.deadline(request, today)
    paragraphs = [
        f"We received your request on {long_date(request.received_on)}. We will reply by "
        f"{long_date(deadline.due)}.",
    ]
    paragraphs += [f"{also.label}: {long_date(also.due)}." for also in deadline.also]
    paragraphs.append("If we need more time, or more information from you, we will tell you "
                      "before that date.")
    rule_ids = list(deadline.rule_ids)
    for also in deadline.also:
        rule_ids += also.rule_ids
    return LetterText(LetterKind.ACKNOWLEDGEMENT, "Acknowledgement of your request",
                      tuple(paragraphs), tuple(dict.fromkeys(rule_ids)))


def refusal(policy, request: RequestSnapshot, routing) -> LetterText | None:
    decision = request.sharing_decision
    if request.state == "refused" and decision is not None and not decision.shared:
        return LetterText(
            LetterKind.REFUSAL, "We cannot share the information you asked for",
            ("We have considered your request and decided not to share the information.",
             f"Our reasons: {decision.reason}"),
            policy.note_rule_ids("refuse", request),
        )
    if request.state == "refused_at_triage" and isinstance(routing, Refusal):
        return LetterText(
            LetterKind.REFUSAL, "We cannot deal with your request in this way",
            (routing.tell_requester or "We cannot share the information you asked for.",),
            routing.rule_ids,
        )
    return None


def referral(request: RequestSnapshot, routing) -> LetterText | None:
    if request.state not in REFERRED_STATES or not isinstance(routing, Referral):
        return None
    if routing.target == "sar_team":
        return LetterText(LetterKind.SAR_REDIRECT, "Your request is a subject access request",
                          (routing.tell_requester,), routing.rule_ids)
    return LetterText(LetterKind.REFERRAL, "Where to send your request",
                      (routing.tell_requester or "Your request has been passed on.",),
                      routing.rule_ids)


def letters(policy, request: RequestSnapshot, today: date | None = None) -> tuple[LetterText, ...]:
    """The letters this request can be sent now, acknowledgement first."""
    offered = [acknowledgement(policy, request, today)]
    routing = policy.route(request) if request.subjects else None
    for letter in (refusal(policy, request, routing), referral(request, routing)):
        if letter is not None:
            offered.append(letter)
    return tuple(offered)
