"""What the front door asks when it logs a request: the questions each council's rules read for
that type of request (ADR 0023). Split from ``policies/common.py``.

A council answers ``intake_facts(request_type, agency_type)`` with the questions it asks, each
with the rule IDs that ask it (shown as the question's hint). The log page shows only those; the
form validates only those; the intake service records only their answers; and a gate that reads
an intake fact asks it only where the council's table asks the question, so nothing unasked
becomes a blocker later.
"""

from __future__ import annotations

from policies.base import RequesterSnapshot, RequestSnapshot, RequestType
from policies.catalogue import Ask, IntakeFact
from policies.routing import is_subject_access


def always(
    lawful_basis: tuple[str, ...] = ("ALL-1",),
    identity: tuple[str, ...] = ("ALL-1",),
    received_by: tuple[str, ...] = ("ALL-1",),
) -> tuple[Ask, ...]:
    """What is asked of every request, whatever its type (ALL-1: who asked, how it arrived and
    on what basis; the identity check is how the front door knows who asked). A council may
    cite its own rule for one of them where its rules read it (CAMDEN-1, NOTTS-0.5, 0.6)."""
    return (
        Ask(IntakeFact.LAWFUL_BASIS, lawful_basis),
        Ask(IntakeFact.IDENTITY_VERIFIED, identity),
        Ask(IntakeFact.RECEIVED_BY_TEAM, received_by),
    )


def codes(asks: tuple[Ask, ...]) -> frozenset[str]:
    """The questions asked, by code."""
    return frozenset(a.code for a in asks)


def referred_at_once(request_type: str, agency_type: str = "") -> bool:
    """Requests every council sends out of this workflow at once, so that no question about
    sharing applies to them: a person's own records (ALL-4, asked by the same test the routing
    uses) and the police's Child Sex Offender Disclosure Scheme (NOTTS-6, which every council
    follows: routing.refer_child_sex_offender_scheme)."""
    if request_type == RequestType.CHILD_SEX_OFFENDER_DISCLOSURE:
        return True
    asked = RequestSnapshot("", request_type=request_type,
                            requester=RequesterSnapshot(agency_type=agency_type or "other"))
    return bool(request_type) and is_subject_access(asked)
