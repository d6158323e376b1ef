"""Nottinghamshire gates (source 001 §1–2): what must be true before each step."""

from __future__ import annotations

from policies.base import (
    Action,
    ActorSnapshot,
    AgencyType,
    CaseSnapshot,
    Consent,
    RequestSnapshot,
    RequestType,
    SendMethod,
    Unmet,
)
from policies.catalogue import Ask, IntakeFact
from policies.intake import always, codes, referred_at_once
from policies.rules import enforces

POLICE = AgencyType.POLICE
HARD_COPY_METHODS = frozenset({SendMethod.SECURE_EMAIL, SendMethod.CRYPTSHARE})


def has_paper(case: CaseSnapshot) -> bool:
    return case.on_paper or case.on_microfilm


# -------------------------------------------------------------------- what triage asks

# Requests the SCIMT procedure sends elsewhere (source 001 §1): own adoption records
# (NOTTS-0.1), asking to view records (NOTTS-0.2); Ofsted's school incident notifications go to
# Support to Schools (NOTTS-4). Own records and sex offence questions leave at once everywhere.
SENT_ELSEWHERE = frozenset({
    RequestType.ADOPTION_RECORDS, RequestType.VIEW_RECORDS, RequestType.OFSTED_SCHOOL_INCIDENT,
})
# Hard copies are of particular documents after sharing (NOTTS-2): not "a lot of information".
NOT_VOLUME = frozenset({RequestType.HARD_COPIES})
# SCIMT checks who is asking (NOTTS-0.6) of every request it triages; calls and emails that
# reach MASH or a locality first are transferred to it (NOTTS-0.5).
SCIMT_ASKS = always(identity=("NOTTS-0.6",), received_by=("NOTTS-0.5",))


@enforces("NOTTS-0.3", "NOTTS-0.4", "NOTTS-0.5", "NOTTS-0.6", "NOTTS-0.7", "NOTTS-2.1",
          "NOTTS-3", "NOTTS-5")
def triage_asks(request_type: str, agency_type: str = "") -> tuple[Ask, ...]:
    """What SCIMT's triage records for this type of request. NOTTS-0.4 (working with the
    person, specific information, consent — or NOTTS-5's public interest), NOTTS-0.3 (a lot
    of information) and NOTTS-0.7 (printed files) are the procedure's tests of a
    professional's request for information, so they are asked only where the procedure
    applies: not for requests it sends elsewhere (NOTTS-0.1, 0.2, 4, ALL-4, NOTTS-6, a police
    officer's hard copies under NOTTS-2.1: those record only ALL-1), nor for Ofsted's enquiry
    about a person, which SCIMT answers from Framework itself (NOTTS-3, after the identity
    check of NOTTS-0.6). With no type chosen yet, only what SCIMT asks of every request."""
    police_copies = request_type == RequestType.HARD_COPIES and agency_type == POLICE
    if (referred_at_once(request_type, agency_type) or request_type in SENT_ELSEWHERE
            or police_copies):
        return always()
    if request_type == RequestType.OFSTED_ENQUIRY:
        return always(identity=("NOTTS-0.6", "NOTTS-3"), received_by=("NOTTS-0.5",))
    if not request_type:
        return SCIMT_ASKS
    asks = [
        Ask(IntakeFact.WORKING_WITH_SUBJECT, ("NOTTS-0.4",)),
        Ask(IntakeFact.SPECIFIC_INFORMATION, ("NOTTS-0.3", "NOTTS-0.4")),
    ]
    if request_type not in NOT_VOLUME:
        asks.append(Ask(IntakeFact.LARGE_VOLUME, ("NOTTS-0.3",)))
    asks += [
        Ask(IntakeFact.PRINTED_FILES, ("NOTTS-0.7",)),
        Ask(IntakeFact.PUBLIC_INTEREST, ("NOTTS-5", "NOTTS-0.4")),
    ]
    return (*asks, *SCIMT_ASKS)


# -------------------------------------------------------------------- Notts-only gates


@enforces("NOTTS-0.4", "NOTTS-0.6", "NOTTS-0.7")
def gate_triage_facts(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """NOTTS-0.4 working with the subject, specific information, consent; NOTTS-0.6 identity;
    NOTTS-0.7 no printing of files. NOTTS-0.4 is checked only where triage asks it for this
    type of request (``triage_asks``): the page never blocks on a question it did not ask."""
    asked = codes(triage_asks(request.request_type, request.requester.agency_type))
    unmet = []
    if IntakeFact.WORKING_WITH_SUBJECT in asked and request.working_with_subject is not True:
        unmet.append(
            Unmet(
                "NOTTS-0.4",
                "Record that the requester works with the person (or "
                "someone significantly related to them).",
            )
        )
    if IntakeFact.SPECIFIC_INFORMATION in asked and request.specific_information is not True:
        unmet.append(Unmet("NOTTS-0.4", "Record what specific information is asked for."))
    if IntakeFact.PUBLIC_INTEREST in asked and (
            request.consent != Consent.OBTAINED and not request.public_interest_justification):
        unmet.append(
            Unmet(
                "NOTTS-0.4",
                "Record the subject's consent, or the public-interest "
                "justification for going on without it (NOTTS-5).",
            )
        )
    if not request.identity_verified_at_triage:
        unmet.append(Unmet("NOTTS-0.6", "Verify the requester's identity."))
    if request.asks_for_printed_files:
        unmet.append(Unmet("NOTTS-0.7", "Printing or photocopying files to send is not permitted."))
    return unmet


@enforces("NOTTS-1", "NOTTS-0.6")
def gate_forward(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """NOTTS-1: SCIMT case-notes before forwarding; NOTTS-0.6: identity verified first."""
    unmet = []
    if Action.TRIAGE_CASE_NOTE not in request.completed_steps:
        unmet.append(Unmet("NOTTS-1", "Add a case note on Framework before forwarding."))
    if not request.identity_verified_at_triage:
        unmet.append(Unmet("NOTTS-0.6", "Verify the requester's identity before forwarding."))
    return unmet


@enforces("NOTTS-1.2.2", "NOTTS-1.3")
def gate_closed_disclosure(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """NOTTS-1.2.2: the worker verifies identity again; NOTTS-1.3: paper retrieved first."""
    case = request.case
    if case is None or case.is_open:
        return []
    unmet = []
    if not request.identity_reverified_by_worker:
        unmet.append(
            Unmet(
                "NOTTS-1.2.2",
                "Verify the requester's identity again before providing the information.",
            )
        )
    if has_paper(case) and Action.RETRIEVE_RECORDS not in request.completed_steps:
        unmet.append(Unmet("NOTTS-1.3", "Retrieve the paper or microfilm records first."))
    return unmet


@enforces("NOTTS-1.2.2", "NOTTS-1.3")
def gate_closed_close(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """NOTTS-1.2.2: copy filed in Documents; NOTTS-1.3: paper files back in storage."""
    case = request.case
    if case is None or case.is_open or Action.DISCLOSE not in request.completed_steps:
        return []
    unmet = []
    if Action.FILE_COPY not in request.completed_steps:
        unmet.append(Unmet("NOTTS-1.2.2", "Put a copy of what was provided in Documents."))
    if has_paper(case) and Action.RETURN_RECORDS not in request.completed_steps:
        unmet.append(Unmet("NOTTS-1.3", "Business support must return the paper files."))
    return unmet


@enforces("NOTTS-2")
def hard_copy_approver_id(request: RequestSnapshot):
    """NOTTS-2: the CSM who approved the sharing approves hard copies. Where no CSM decided
    (an open case: the social worker decides, NOTTS-1.1) the guidance still has the worker
    present the list to a CSM, so it is the CSM of the worker's team — never the worker."""
    d = request.sharing_decision
    if d is not None and Action.CSM_DECISION in request.completed_steps:
        return d.decided_by_id
    case = request.case
    team = case.allocated_team if case is not None else None
    return team.csm.id if team is not None and team.csm is not None else None


@enforces("NOTTS-2", "NOTTS-2.1")
def gate_hard_copies(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """NOTTS-2: after sharing, with a list, approved by the CSM who approved the sharing;
    NOTTS-2.1: never for the police in this workflow."""
    unmet = []
    if request.requester.agency_type == POLICE:
        unmet.append(Unmet("NOTTS-2.1", "Police must ask Legal Services under Annex C."))
    d = request.sharing_decision
    if d is None or not d.shared or Action.DISCLOSE not in request.completed_steps:
        unmet.append(Unmet("NOTTS-2", "Hard copies only after information has been shared."))
    hc = request.hard_copy_request
    if hc is None or not hc.items:
        unmet.append(Unmet("NOTTS-2", "List the documents to be copied."))
    elif hard_copy_approver_id(request) is None:
        unmet.append(Unmet("NOTTS-2", "No CSM is on record to approve hard copies for this "
                                      "case's team."))
    elif hc.approver_id is not None and hc.approver_id != hard_copy_approver_id(request):
        unmet.append(Unmet("NOTTS-2", "Ask the CSM who approved the sharing, not another CSM."))
    return unmet


@enforces("NOTTS-2")
def gate_hard_copies_approved(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """NOTTS-2: copies are produced and sent only on that CSM's approval, by secure email or
    Cryptshare."""
    hc = request.hard_copy_request
    if hc is None:
        return []
    unmet = []
    approver = hard_copy_approver_id(request)
    if hc.approved_by_id is None or approver is None or hc.approved_by_id != approver:
        unmet.append(
            Unmet("NOTTS-2", "The CSM who approved the sharing has not approved these copies.")
        )
    if request.send is not None and request.send.method not in HARD_COPY_METHODS:
        unmet.append(Unmet("NOTTS-2", "Send hard copies by secure email or Cryptshare."))
    return unmet


@enforces("NOTTS-1.3")
def gate_files_back(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """NOTTS-1.3: business support returns retrieved paper files before the request ends."""
    if request.paper_files_out:
        return [Unmet("NOTTS-1.3", "Paper files are still out of storage: business support "
                      "must return them first.")]
    return []
