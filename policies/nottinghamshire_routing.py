"""Nottinghamshire: who a closed case goes to and what SCIMT may say at triage (source 001
§1–2.1). Split from ``policies/nottinghamshire.py`` so each module stays readable."""

from __future__ import annotations

from policies.base import CaseSnapshot, RequestSnapshot, TeamKind, TeamRef
from policies.rules import enforces


@enforces("NOTTS-1.2", "NOTTS-1.3")
def closed_case_csm(request: RequestSnapshot, case: CaseSnapshot) -> tuple[TeamRef | None, str]:
    """NOTTS-1.2 / 1.3: the CSM of the last team; DCPT of the locality if it no longer exists;
    the MASH CSM where the only record is a MASH enquiry. Returns (team, reason)."""
    if case.mash_enquiry_only:
        return (
            request.directory.find_any(TeamKind.MASH, case.locality),
            "the only record is a MASH enquiry",
        )
    last = case.last_team
    if last is not None and last.exists:
        return last, f"the case is closed and {last.name} last held it"
    dcpt = request.directory.find(TeamKind.DCPT, case.locality)
    if last is None:
        return dcpt, "the case is closed and no last team is recorded"
    return dcpt, f"the team that last held this case ({last.name}) no longer exists"


@enforces("NOTTS-1.2.1", "NOTTS-1.3")
def allocating_team(request: RequestSnapshot, case: CaseSnapshot) -> TeamRef | None:
    """NOTTS-1.2.1: the TM of the last social work team allocates; NOTTS-1.3 adds 'or DCPT'
    (used when the last team no longer exists)."""
    last = case.last_team
    if last is not None and last.exists:
        return last
    return request.directory.find(TeamKind.DCPT, case.locality)


@enforces("NOTTS-0.6")
def basic_facts(case: CaseSnapshot | None) -> tuple[str, ...]:
    """NOTTS-0.6: the only facts SCIMT may share at triage."""
    if case is None:
        return ("Not known to Children's Social Care.",)
    facts = ["Known to Children's Social Care."]
    if case.is_open:
        facts.append("The case is open.")
        if case.allocated_worker:
            team = f", {case.allocated_team.name}" if case.allocated_team else ""
            facts.append(f"Worker: {case.allocated_worker.name}{team}.")
    else:
        closed = f" on {case.closed_on:%d %B %Y}" if case.closed_on else ""
        facts.append(f"The case closed{closed}.")
    facts.append(
        "There is a child-protection history."
        if case.has_cp_history
        else "There is no child-protection history."
    )
    return tuple(facts)
