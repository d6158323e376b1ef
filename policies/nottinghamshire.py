"""Nottinghamshire: the SCIMT procedure (source 001) and the safeguarding board's information
sharing chapter (source 003). Records system: Framework.
"""

from __future__ import annotations

from policies.base import (
    Action,
    AgencyType,
    CaseSnapshot,
    Note,
    RedactionSuggestion,
    Referral,
    Refusal,
    RequestSnapshot,
    RequestType,
    Role,
    Route,
    Routing,
    SendMethod,
    Step,
    TeamKind,
    WhoMay,
)
from policies.catalogue import Ask
from policies.common import (
    NOTERS,
    CouncilPolicy,
    gate_case_noted,
    gate_consent_or_public_interest,
    gate_decision_recorded,
    gate_never_amend,
    gate_one_extension,
    gate_request_recorded,
    gate_secure_send,
    gate_shared,
    gate_third_party_consent,
    is_subject_access,
    placement_redactions,
    refer_child_sex_offender_scheme,
    refer_subject_access,
    third_party_redactions,
)
from policies.nottinghamshire_gates import (
    gate_closed_close,
    gate_closed_disclosure,
    gate_files_back,
    gate_forward,
    gate_hard_copies,
    gate_hard_copies_approved,
    gate_triage_facts,
    hard_copy_approver_id,
    has_paper,
    triage_asks,
)
from policies.nottinghamshire_letters import LETTER_WORDS
from policies.nottinghamshire_routing import basic_facts, closed_case_csm
from policies.rules import enforces

SCIMT = frozenset({Role.SCIMT_OFFICER})
SW = frozenset({Role.SOCIAL_WORKER})
CSM = frozenset({Role.CSM})
TM = frozenset({Role.TEAM_MANAGER})
BS = frozenset({Role.BUSINESS_SUPPORT})
SW_BS = SW | BS
HARD_COPY_METHODS = frozenset({SendMethod.SECURE_EMAIL, SendMethod.CRYPTSHARE})
POLICE = AgencyType.POLICE
# Teams other than SCIMT that calls and emails reach first (NOTTS-0.5: "MASH or locality").
NOT_FIRST_CONTACT = frozenset({TeamKind.MASH, TeamKind.SOCIAL_WORK, TeamKind.DCPT})


class NottinghamshirePolicy(CouncilPolicy):
    """Nottinghamshire County Council: SCIMT triage, then worker or CSM."""

    council = "nottinghamshire"
    name = "Nottinghamshire County Council"
    practice_rule = "NOTTS-1.1"
    sar_team_name = "Complaints and Information Team"
    role_names = {
        Role.SCIMT_OFFICER: "SCIMT officer",
        Role.ACCESS_TO_INFORMATION_OFFICER: "Complaints and Information officer",
    }
    sar_contact = "Accessto.Records@nottscc.gov.uk"
    letter_words = LETTER_WORDS  # SCIMT's letters (policies/nottinghamshire_letters.py)

    # 1. ---------------------------------------------------------------- routing
    @enforces(
        "ALL-4",
        "NOTTS-0.1",
        "NOTTS-0.2",
        "NOTTS-0.3",
        "NOTTS-0.5",
        "NOTTS-0.6",
        "NOTTS-0.7",
        "NOTTS-1",
        "NOTTS-1.1",
        "NOTTS-1.2",
        "NOTTS-1.3",
        "NOTTS-2",
        "NOTTS-2.1",
        "NOTTS-3",
        "NOTTS-4",
        "NOTTS-6",
    )
    def route(self, request: RequestSnapshot) -> Routing:
        """Referrals out first, then refusals, then SCIMT / worker / CSM by the case record."""
        kind = request.request_type
        d = request.directory
        if kind == RequestType.ADOPTION_RECORDS:
            team = d.find_any(TeamKind.ADOPTION_RECORDS)
            return Referral(
                "adoption_records_manager",
                ("NOTTS-0.1",),
                "Referred to the Adoption Records Manager — NOTTS-0.1: requests for a person's "
                "own adoption records are handled under the Adoption Regulations.",
                "Your request has been passed to the Adoption Records Manager.",
                team,
                team.manager if team else None,
            )
        if is_subject_access(request):
            return refer_subject_access(request, self.sar_team_name, self.sar_contact)
        if kind == RequestType.CHILD_SEX_OFFENDER_DISCLOSURE:
            return refer_child_sex_offender_scheme()
        if kind == RequestType.VIEW_RECORDS:
            return Referral(
                "view_records_procedure",
                ("NOTTS-0.2",),
                "Referred to the 'Other Agency Requests to View Records' procedure — NOTTS-0.2: "
                "the professional wants to view the records, not receive information.",
                "Requests to view records follow a separate procedure; we have passed yours on.",
            )
        if kind == RequestType.OFSTED_SCHOOL_INCIDENT:
            team = d.find_any(TeamKind.SUPPORT_TO_SCHOOLS)
            gm = team.manager if team else None
            return Route(
                Role.GROUP_MANAGER,
                team,
                gm,
                ("NOTTS-4",),
                f"Routed to {gm.name if gm else 'the Group Manager'}, Support to Schools "
                "Service — NOTTS-4: Ofsted notifications of incidents in schools go there.",
            )
        police = request.requester.agency_type == POLICE
        if (kind == RequestType.HARD_COPIES or request.hard_copy_request) and police:
            team = d.find_any(TeamKind.LEGAL_SERVICES)
            return Referral(
                "legal_services_annex_c",
                ("NOTTS-2.1",),
                "Referred to Legal Services — NOTTS-2.1: police requests for hard copies are "
                "made to Legal Services under Annex C, not through this procedure.",
                "Please contact Legal Services under Annex C for copies of documents.",
                team,
            )
        if request.asks_for_printed_files:
            return Refusal(
                ("NOTTS-0.7",),
                "Refused at triage — NOTTS-0.7: files are not printed or photocopied and sent.",
                "We cannot print or photocopy files and send them. We can share specific "
                "information; after that you may ask for copies of particular documents.",
            )
        case = request.case
        if kind == RequestType.HARD_COPIES:
            return self._route_hard_copies(request)
        notes = self._triage_notes(request, case)
        if request.received_by_team_kind in NOT_FIRST_CONTACT and Action.TRIAGE not in (
            request.completed_steps
        ):
            direct = (
                case is not None
                and case.is_open
                and case.allocated_worker is not None
                and request.received_by_team_kind == TeamKind.SOCIAL_WORK
            )
            if not direct:
                scimt = d.find_any(TeamKind.SCIMT)
                return Route(
                    Role.SCIMT_OFFICER,
                    scimt,
                    None,
                    ("NOTTS-0.5",),
                    "Transfer to SCIMT — NOTTS-0.5: SCIMT is the first point of contact for "
                    "requests from other agencies.",
                    "Your request has been passed to the Safeguarding Children Information "
                    "Management Team (01623 433177, safeguardcimt@nottscc.gov.uk).",
                    notes,
                )
        if kind == RequestType.OFSTED_ENQUIRY:
            return self._route_ofsted(request, case)
        if case is None:
            return Refusal(
                ("NOTTS-0.6",),
                "Nothing to forward — NOTTS-0.6: the person is not known to Children's Social "
                "Care. SCIMT may tell the requester only that.",
                "The person is not known to Nottinghamshire Children's Social Care.",
                notes,
            )
        if case.is_open:
            worker = case.allocated_worker
            if worker is None:
                team = case.allocated_team
                return Route(
                    Role.TEAM_MANAGER,
                    team,
                    team.manager if team else None,
                    ("NOTTS-1.1", "NOTTS-1"),
                    f"Routed to the team manager of {team.name if team else 'the team'} — "
                    "NOTTS-1.1: the case is open but has no allocated worker.",
                    notes=notes,
                )
            contact = ", ".join(x for x in (worker.email, worker.phone) if x)
            return Route(
                Role.SOCIAL_WORKER,
                case.allocated_team,
                worker,
                ("NOTTS-1.1", "NOTTS-1"),
                f"Routed to {worker.name}, the current social worker — NOTTS-1.1: the case is "
                "open. Add a Framework case note before forwarding (NOTTS-1).",
                f"The social worker is {worker.name}" + (f" ({contact})." if contact else "."),
                notes,
            )
        team, reason = closed_case_csm(request, case)
        ids = ("NOTTS-1.3", "NOTTS-1.2") if has_paper(case) else ("NOTTS-1.2",)
        csm = team.csm if team else None
        where = team.name if team else f"the {case.locality or 'locality'} DCPT (none found)"
        return Route(
            Role.CSM,
            team,
            csm,
            (*ids, "NOTTS-1"),
            f"Routed to the CSM of {where} — {ids[0]}: {reason}.",
            "A Children's Service Manager will consider your request.",
            notes,
        )

    def _triage_notes(self, request: RequestSnapshot, case: CaseSnapshot | None) -> tuple:
        notes = [Note("NOTTS-0.6", "May be shared now: " + " ".join(basic_facts(case)))]
        if request.large_volume:
            notes.append(
                Note(
                    "NOTTS-0.3",
                    "A lot of information is asked for: suggest the requester "
                    "views the records instead, and record that you advised this.",
                )
            )
        notes.append(Note("NOTTS-1", "Add a case note on Framework before forwarding."))
        return tuple(notes)

    def _route_ofsted(self, request: RequestSnapshot, case: CaseSnapshot | None) -> Routing:
        """NOTTS-3: SCIMT answers Ofsted itself from Framework."""
        if case is not None and case.is_open and case.allocated_worker is not None:
            w = case.allocated_worker
            return Referral(
                "ofsted_given_worker",
                ("NOTTS-3",),
                f"Give Ofsted {w.name}'s details — NOTTS-3: the case is open and allocated.",
                f"The allocated social worker is {w.name} ({w.email or w.phone}).",
                case.allocated_team,
                w,
            )
        if case is not None:
            mash = request.directory.find_any(TeamKind.MASH, case.locality)
            return Referral(
                "mash",
                ("NOTTS-3",),
                "Tell Ofsted the person is known with a closed record and ask them to contact "
                "MASH — NOTTS-3.",
                "The person is known to us and the record is closed. Please contact the MASH "
                "to ask for information to be disclosed.",
                mash,
            )
        return Refusal(
            ("NOTTS-3", "NOTTS-0.6"),
            "Not known — NOTTS-3: tell Ofsted the person is not known to Children's Social Care.",
            "The person is not known to Nottinghamshire Children's Social Care.",
        )

    @enforces("NOTTS-2")
    def _route_hard_copies(self, request: RequestSnapshot) -> Routing:
        """NOTTS-2: hard copies only after sharing, and only the CSM who approved it decides."""
        d = request.sharing_decision
        if d is None or not d.shared:
            return Refusal(
                ("NOTTS-2", "NOTTS-0.7"),
                "Refused at triage — NOTTS-2: hard copies can be asked for only after "
                "information has been shared; NOTTS-0.7: files are not copied and sent.",
                "We can share specific information first; after that you may ask for copies "
                "of particular documents.",
            )
        return Route(
            Role.CSM,
            None,
            None,
            ("NOTTS-2",),
            "To the CSM who approved the sharing — NOTTS-2: only that CSM may approve hard "
            "copies; the social worker presents the list of documents.",
        )

    # 2. ---------------------------------------------------------------- steps
    @enforces("NOTTS-1", "NOTTS-1.1", "NOTTS-1.2.1", "NOTTS-1.2.2", "NOTTS-1.3", "NOTTS-2")
    def steps(self, request: RequestSnapshot) -> tuple[Step, ...]:
        case = request.case
        out = [
            Step(
                Action.TRIAGE,
                SCIMT,
                ("NOTTS-0.4", "NOTTS-0.6", "ALL-1"),
                "SCIMT checks who is asking and why, verifies identity and records consent.",
            ),
            Step(
                Action.TRIAGE_CASE_NOTE, SCIMT, ("NOTTS-1",), "SCIMT adds a case note to Framework."
            ),
            Step(Action.FORWARD, SCIMT, ("NOTTS-1.1", "NOTTS-1.2"), "SCIMT forwards the request."),
        ]
        closed = case is not None and not case.is_open
        if closed:
            out += [
                Step(
                    Action.CSM_DECISION,
                    CSM,
                    ("NOTTS-1.2.1",),
                    "The CSM decides and records the decision in a case note; if refused, "
                    "the CSM tells the requester.",
                ),
                Step(
                    Action.ALLOCATE,
                    TM,
                    ("NOTTS-1.2.1", "NOTTS-1.3"),
                    "The team manager of the last social work team (or DCPT) allocates a worker.",
                ),
            ]
            if has_paper(case):
                out.append(
                    Step(
                        Action.RETRIEVE_RECORDS,
                        SW_BS,
                        ("NOTTS-1.3",),
                        "The social worker requests microfilm access and asks business "
                        "support to retrieve paper files from Records Management.",
                    )
                )
        else:
            out.append(
                Step(
                    Action.DECIDE,
                    SW,
                    ("NOTTS-1.1", "NOTTS-5", "ALL-2"),
                    "The social worker decides what to share and records why.",
                )
            )
        out.append(
            Step(
                Action.DISCLOSE,
                SW,
                ("NOTTS-1.2.2",) if closed else ("NOTTS-1.1",),
                "The social worker verifies the requester's identity again and provides the "
                "information."
                if closed
                else "The social worker provides the information.",
            )
        )
        if closed:
            out.append(
                Step(
                    Action.FILE_COPY,
                    SW,
                    ("NOTTS-1.2.2",),
                    "Put a copy of what was provided in Documents on Framework.",
                )
            )
        out.append(
            Step(
                Action.CASE_NOTE,
                SW,
                ("ALL-3", "NOTTS-1.2.2"),
                "Case-note on Framework what was provided, to whom and how.",
            )
        )
        if Action.DISCLOSE in request.completed_steps or request.hard_copy_request is not None:
            out.append(
                Step(
                    Action.REQUEST_HARD_COPIES,
                    SW,
                    ("NOTTS-2",),
                    "If hard copies are asked for after sharing, the social worker lists them "
                    "for the CSM who approved the sharing.",
                )
            )
        if request.hard_copy_request is not None:
            out += [
                Step(
                    Action.APPROVE_HARD_COPIES,
                    CSM,
                    ("NOTTS-2",),
                    "The social worker presents the list; the CSM who approved the sharing "
                    "approves or refuses.",
                ),
                Step(
                    Action.PRODUCE_HARD_COPIES,
                    BS,
                    ("NOTTS-2",),
                    "Business support produces the copies.",
                ),
                Step(
                    Action.SEND,
                    BS,
                    ("NOTTS-2", "ALL-6"),
                    "Business support sends them by secure email or Cryptshare and case-notes "
                    "the items and the CSM's approval.",
                ),
            ]
        if closed and has_paper(case):
            out.append(
                Step(
                    Action.RETURN_RECORDS,
                    BS,
                    ("NOTTS-1.3",),
                    "Business support returns the paper files to storage.",
                )
            )
        return tuple(out)

    def intake_facts(self, request_type: str = "", agency_type: str = "") -> tuple[Ask, ...]:
        """What SCIMT's triage records for this type (nottinghamshire_gates.triage_asks)."""
        return triage_asks(request_type, agency_type)

    # 4. ---------------------------------------------------------------- who may act
    roles = {
        Action.TRIAGE: (SCIMT, ("NOTTS-0.5", "NOTTS-0.6"), "SCIMT officers triage requests."),
        Action.TRIAGE_CASE_NOTE: (SCIMT, ("NOTTS-1",), "SCIMT officers add the triage note."),
        Action.FORWARD: (SCIMT, ("NOTTS-1",), "SCIMT officers forward requests."),
        Action.ALLOCATE: (
            TM | CSM,
            ("NOTTS-1.2.1",),
            "The team manager of the last social work team (or DCPT) allocates; where that "
            "team has no manager (a MASH enquiry), the CSM who agreed.",
        ),
        Action.RETRIEVE_RECORDS: (
            SW_BS,
            ("NOTTS-1.3",),
            "The social worker and business support retrieve records.",
        ),
        Action.DECIDE: (
            SW | TM | CSM,
            ("NOTTS-1.1",),
            "The social worker decides for an open case; a CSM for a closed one.",
        ),
        Action.DISCLOSE: (
            SW,
            ("NOTTS-1.1", "NOTTS-1.2.2"),
            "The social worker provides the information.",
        ),
        Action.FILE_COPY: (SW, ("NOTTS-1.2.2",), "The social worker files the copy."),
        Action.REQUEST_HARD_COPIES: (
            SW,
            ("NOTTS-2",),
            "The social worker presents the list of documents to the CSM.",
        ),
        Action.PRODUCE_HARD_COPIES: (BS, ("NOTTS-2",), "Business support produces copies."),
        Action.SEND: (
            SW_BS,
            ("NOTTS-1.1", "NOTTS-2"),
            "The social worker, or business support for hard copies.",
        ),
        Action.RETURN_RECORDS: (BS, ("NOTTS-1.3",), "Business support returns paper files."),
        Action.CASE_NOTE: (NOTERS, ("ALL-3",), "Anyone working on the request."),
    }

    @enforces("NOTTS-0.5", "NOTTS-1.2.1", "NOTTS-2")
    def who_may(self, action: str, request: RequestSnapshot) -> WhoMay:
        case = request.case
        if action == Action.CSM_DECISION:
            team = closed_case_csm(request, case)[0] if case is not None else None
            csm = team.csm if team else None
            if csm is not None:
                return WhoMay(
                    action,
                    CSM,
                    ("NOTTS-1.2.1",),
                    f"Only {csm.name}, the CSM of {team.name}, decides.",
                    frozenset({csm.id}),
                    roles_suffice=False,
                )
            return WhoMay(action, CSM, ("NOTTS-1.2.1",), "A CSM decides.")
        if action == Action.APPROVE_HARD_COPIES:
            approver = hard_copy_approver_id(request)
            if approver is None:
                return WhoMay(
                    action,
                    CSM,
                    ("NOTTS-2",),
                    "Nobody yet: nothing has been shared, or no CSM is on record.",
                    roles_suffice=False,
                )
            return WhoMay(
                action,
                CSM,
                ("NOTTS-2",),
                "Only the CSM who approved the sharing (for an open case, the CSM of the "
                "worker's team) may approve hard copies.",
                frozenset({approver}),
                roles_suffice=False,
            )
        if action in (Action.TRIAGE, Action.FORWARD, Action.TRIAGE_CASE_NOTE) and (
            case is not None
            and case.is_open
            and case.allocated_worker is not None
            and request.received_by_team_kind == TeamKind.SOCIAL_WORK
        ):
            return WhoMay(
                action,
                SCIMT,
                ("NOTTS-0.5",),
                "SCIMT, or the worker the requester went to directly.",
                frozenset({case.allocated_worker.id}),
            )
        return super().who_may(action, request)

    # 3. ---------------------------------------------------------------- gates
    gates = {
        Action.TRIAGE: (gate_request_recorded, gate_triage_facts),
        Action.FORWARD: (gate_forward,),
        Action.CSM_DECISION: (gate_decision_recorded,),
        Action.DECIDE: (gate_decision_recorded,),
        Action.ALLOCATE: (gate_shared,),
        Action.DISCLOSE: (
            gate_shared,
            gate_consent_or_public_interest("NOTTS-5"),
            gate_third_party_consent,
            gate_closed_disclosure,
        ),
        Action.APPROVE_HARD_COPIES: (gate_hard_copies,),
        Action.PRODUCE_HARD_COPIES: (gate_hard_copies_approved,),
        Action.SEND: (gate_secure_send, gate_third_party_consent, gate_hard_copies_approved),
        Action.REQUEST_HARD_COPIES: (gate_hard_copies,),
        Action.CLOSE: (gate_case_noted, gate_closed_close, gate_files_back),
        Action.WITHDRAW: (gate_files_back,),
        Action.AMEND: (gate_never_amend,),
        Action.EXTEND: (gate_one_extension,),
    }

    def send_methods(self, step: str, request: RequestSnapshot) -> tuple[str, ...]:
        """NOTTS-2: hard copies go by secure email or Cryptshare only."""
        if step == Action.PRODUCE_HARD_COPIES or request.state == "hard_copies_approved":
            return (SendMethod.SECURE_EMAIL, SendMethod.CRYPTSHARE)
        return super().send_methods(step, request)

    # 6. ---------------------------------------------------------------- redaction
    def redactions(self, request: RequestSnapshot) -> tuple[RedactionSuggestion, ...]:
        """ALL-5 third parties; placement/adopters under NOTTS-5 proportionality (the
        Nottinghamshire guidance is silent on them; a careful IG lead removes them)."""
        return tuple(third_party_redactions(request) + placement_redactions(request, ("NOTTS-5",)))
