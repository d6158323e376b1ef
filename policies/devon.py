"""Devon: Information Governance – Access to Records Guidance for Practitioners (source 000)."""

from __future__ import annotations

from policies.base import (
    Action,
    ActorSnapshot,
    AgencyType,
    Note,
    RedactionSuggestion,
    RequestSnapshot,
    RequestType,
    Role,
    Route,
    Routing,
    Step,
    TeamKind,
    Unmet,
    WhoMay,
)
from policies.catalogue import Ask, Check, IntakeFact
from policies.common import (
    FAMILY_AGENCIES,
    FIRST_CONTACT,
    NOTERS,
    PRACTITIONERS,
    CouncilPolicy,
    gate_case_noted,
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
    route_to_practitioner,
    third_party_redactions,
)
from policies.intake import always, referred_at_once
from policies.letters import LetterWords, Said
from policies.rules import enforces

SW = frozenset({Role.SOCIAL_WORKER})
DECIDERS = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.CSM})  # DEVON-0
BS = frozenset({Role.BUSINESS_SUPPORT})
IG = frozenset({Role.IG_OFFICER, Role.ACCESS_TO_INFORMATION_OFFICER})
SAFER = frozenset({Role.SAFER_RECRUITMENT_OFFICER})
CAFCASS_FULL = frozenset({RequestType.CAFCASS_PUBLIC_LAW, RequestType.CAFCASS_RULE_16_4})
CAFCASS_ALL = CAFCASS_FULL | {RequestType.CAFCASS_PRIVATE_LAW, RequestType.CAFCASS_SECTION7}
# Police requests whose type already decides DEVON-6 (an investigation, or a DBS check).
NOT_AN_INVESTIGATION = frozenset({RequestType.POLICE_INVESTIGATION, RequestType.DBS})
CIC_REVIEW = "cic_review"
CLOSED_NOTE = (
    "the case is closed, so the manager of the team that last held it decides with a "
    "practitioner (the guidance is silent; DEVON-0 puts the decision with practitioner and "
    "manager)"
)


@enforces("DEVON-6")
def is_police_investigation(request: RequestSnapshot) -> bool:
    """DEVON-6: any police force, about criminal proceedings they are investigating."""
    return request.request_type == RequestType.POLICE_INVESTIGATION or (
        request.requester.agency_type == AgencyType.POLICE and request.criminal_investigation
    )


def _closed_section7(request: RequestSnapshot) -> bool:
    case = request.case
    return request.request_type == RequestType.CAFCASS_SECTION7 and (
        case is not None and not case.is_open
    )


# -------------------------------------------------------------------- gates


@enforces("DEVON-1", "DEVON-2.2")
def gate_cafcass_identity(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """DEVON-1 / 2.2: the Cafcass officer's identity evidence is recorded before access."""
    if request.request_type in CAFCASS_ALL and not request.requester.identity_evidence.strip():
        rule = "DEVON-2.2" if request.request_type == RequestType.CAFCASS_RULE_16_4 else "DEVON-1"
        return [Unmet(rule, "Record the Cafcass officer's identity evidence.")]
    return []


@enforces("DEVON-2.1")
def gate_section7_closed_files(
    request: RequestSnapshot, actor: ActorSnapshot | None
) -> list[Unmet]:
    """DEVON-2.1: closed files for a Section 7 report need a court order, or the permission of
    everyone with parental responsibility and of the child if of sufficient understanding.
    Where understanding has not been assessed, a careful IG lead asks a child of 12 or over
    (the source is silent on how to judge it)."""
    if not _closed_section7(request) or request.court_order:
        return []
    if request.sharing_decision is not None and not request.sharing_decision.shared:
        return []  # deciding not to share needs nobody's permission
    case = request.case
    unmet = []
    missing = [n for n in case.parental_responsibility if n not in request.pr_permissions]
    if not case.parental_responsibility:
        unmet.append(
            Unmet(
                "DEVON-2.1",
                "Record who has parental responsibility, and their "
                "permission — or record the court order.",
            )
        )
    elif missing:
        unmet.append(
            Unmet(
                "DEVON-2.1",
                "Permission not recorded from: "
                + ", ".join(missing)
                + " (or record the court order).",
            )
        )
    understands = request.child_of_sufficient_understanding
    if understands is None:
        age = case.age_on(request.received_on)
        understands = age is None or age >= 12
    if understands and not request.child_permission:
        unmet.append(
            Unmet(
                "DEVON-2.1",
                "Record the child's permission (they are of sufficient "
                "age and understanding) — or record the court order.",
            )
        )
    return unmet


@enforces("DEVON-3", "DEVON-3.1", "DEVON-7")
def gate_minutes(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """DEVON-3 / 3.1 / 7: minutes signed by the Chair; to those who attended or were invited;
    otherwise the Chair (for a Child in Care review: the SW with the IRO) decides."""
    if request.request_type != RequestType.MEETING_MINUTES:
        return []
    if request.sharing_decision is not None and not request.sharing_decision.shared:
        return []  # the minutes are not going out
    family = request.requester.agency_type in FAMILY_AGENCIES
    rule = "DEVON-3" if family else "DEVON-7"
    unmet = []
    if not request.minutes_signed_by_chair:
        unmet.append(Unmet(rule, "The minutes must be signed by the Chair first."))
    if family and request.meeting_kind == CIC_REVIEW and not request.requester_attended_or_invited:
        if not request.chair_agreed:
            unmet.append(
                Unmet(
                    "DEVON-3.1",
                    "The social worker and the IRO must agree whether "
                    "the parent receives the full review record.",
                )
            )
    elif request.requester_attended_or_invited is not True and not request.chair_agreed:
        unmet.append(
            Unmet(
                rule,
                "The requester did not attend and was not invited: the Chair "
                "must agree to them receiving the minutes.",
            )
        )
    return unmet


@enforces("DEVON-5")
def gate_dbs_ig_checked(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """DEVON-5: IG checks and redacts before Safer Recruitment sends a DBS response."""
    if request.request_type == RequestType.DBS and Action.IG_CHECK not in request.completed_steps:
        return [
            Unmet(
                "DEVON-5",
                "Information Governance must check and redact the response "
                "before it goes to the DBS.",
            )
        ]
    return []


@enforces("DEVON-5")
def gate_dbs_collated(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """DEVON-5: IG checks what the allocated social work team has collated."""
    if Action.DECIDE not in request.completed_steps:
        return [
            Unmet("DEVON-5", "The social work team has not finished collating the information.")
        ]
    return []


class DevonPolicy(CouncilPolicy):
    """Devon County Council: practitioner and manager decide; IG advises; BS enables."""

    council = "devon"
    name = "Devon County Council"
    practice_rule = "DEVON-0"
    sar_team_name = "Access to Information team"
    # Devon's front door for requests is its Access to Information team (source 000 §2).
    role_names = {Role.SCIMT_OFFICER: "Access to Information officer (first contact)"}
    sar_contact = "accesstoinformation@devon.gov.uk"
    # Source 000 §2: the Access to Information team in Business Support processes requests;
    # practitioner and manager decide (DEVON-0); §3 gives the subject access route.
    letter_words = LetterWords(
        team="Children's Social Care",
        service="Access to Information team, Business Support",
        contact="accesstoinformation@devon.gov.uk",
        signed_for="Children's Social Care",
        acknowledgement=(
            Said("What is shared is decided by the child's practitioner with their manager. "
                 "Our Access to Information team supports the process but does not make that "
                 "decision.", ("DEVON-0",)),
        ),
        refusal=(
            Said("This decision was made by the child's practitioner with their manager.",
                 ("DEVON-0",)),
        ),
        subject_access=(
            Said("How the council answers subject access requests, and what to send with "
                 "yours, is explained on Devon County Council's public website.",
                 ("DEVON-3.2",)),
        ),
    )

    # 1. ---------------------------------------------------------------- routing
    @enforces(
        "ALL-4",
        "DEVON-0",
        "DEVON-1",
        "DEVON-2",
        "DEVON-2.1",
        "DEVON-2.2",
        "DEVON-3",
        "DEVON-3.2",
        "DEVON-4",
        "DEVON-5",
        "DEVON-6",
        "DEVON-7",
    )
    def route(self, request: RequestSnapshot) -> Routing:
        kind = request.request_type
        d = request.directory
        family = request.requester.agency_type in FAMILY_AGENCIES
        if is_subject_access(request) or (family and kind != RequestType.MEETING_MINUTES):
            extra = ("DEVON-3.2",) if family else ()
            return refer_subject_access(request, self.sar_team_name, self.sar_contact, extra)
        if kind == RequestType.CHILD_SEX_OFFENDER_DISCLOSURE:
            return refer_child_sex_offender_scheme(("DEVON-6",))
        if is_police_investigation(request):
            team = d.find_any(TeamKind.INFORMATION_GOVERNANCE)
            copies = (
                " The request for hard copies goes through the same IG process."
                if request.hard_copy_request
                or kind == RequestType.HARD_COPIES
                or request.asks_for_printed_files
                else ""
            )
            return Route(
                Role.IG_OFFICER,
                team,
                team.manager if team else None,
                ("DEVON-6",),
                "Routed to the Information Governance team — DEVON-6: police requests about a "
                "criminal investigation go to IG first, and records are not shared with the "
                "police outside the IG process." + copies,
                "Your request has been passed to Devon's Information Governance team.",
            )
        if kind == RequestType.DBS:
            team = d.find_any(TeamKind.SAFER_RECRUITMENT)
            return Route(
                Role.SAFER_RECRUITMENT_OFFICER,
                team,
                team.manager if team else None,
                ("DEVON-5",),
                "Routed to the Safer Recruitment Team — DEVON-5: they log and allocate DBS "
                "requests and send the response.",
            )
        rule = {
            RequestType.CAFCASS_PUBLIC_LAW: "DEVON-1",
            RequestType.CAFCASS_RULE_16_4: "DEVON-2.2",
            RequestType.CAFCASS_PRIVATE_LAW: "DEVON-2",
            RequestType.CAFCASS_SECTION7: "DEVON-2.1",
            RequestType.LEGAL_PROCEEDINGS: "DEVON-4",
            RequestType.MEETING_MINUTES: "DEVON-3" if family else "DEVON-7",
        }.get(kind, "DEVON-0")
        route = route_to_practitioner(request, (rule, "DEVON-0"), CLOSED_NOTE)
        notes = self._notes(request, rule)
        return (
            Route(
                route.role,
                route.team,
                route.person,
                route.rule_ids,
                route.explanation,
                route.tell_requester,
                notes,
            )
            if notes
            else route
        )

    def _notes(self, request: RequestSnapshot, rule: str) -> tuple[Note, ...]:
        notes = {
            "DEVON-1": "The Children's Guardian may view and receive copies of the child's "
            "files; refer to business support to enable access.",
            "DEVON-2.2": "A Rule 16.4 Children's Guardian has the same access as in public "
            "law; refer to business support to enable access.",
            "DEVON-2": "The council must provide initial safeguarding information for Cafcass's "
            "safeguarding letter before the first hearing.",
            "DEVON-2.1": "Closed files need the permission of everyone with parental "
            "responsibility and of the child, or a court order.",
            "DEVON-4": "Legal Services may have any document relevant to the proceedings.",
        }
        text = notes.get(rule)
        return (Note(rule, text),) if text else ()

    # 2. ---------------------------------------------------------------- steps
    @enforces("DEVON-0", "DEVON-1", "DEVON-5", "DEVON-6", "DEVON-7")
    def steps(self, request: RequestSnapshot) -> tuple[Step, ...]:
        kind = request.request_type
        if kind == RequestType.DBS:
            return (
                Step(Action.TRIAGE, SAFER, ("DEVON-5",), "Safer Recruitment logs the request."),
                Step(
                    Action.ALLOCATE,
                    SAFER,
                    ("DEVON-5",),
                    "Safer Recruitment allocates it to the social work team.",
                ),
                Step(
                    Action.DECIDE,
                    DECIDERS,
                    ("DEVON-5", "DEVON-0"),
                    "The social work team collates the information.",
                ),
                Step(
                    Action.IG_CHECK,
                    IG,
                    ("DEVON-5",),
                    "Information Governance checks only "
                    "what the DBS is entitled to is included, and redacts.",
                ),
                Step(
                    Action.SEND,
                    SAFER,
                    ("DEVON-5",),
                    "Safer Recruitment sends the response and tracks it.",
                ),
                Step(Action.CASE_NOTE, SAFER | SW, ("ALL-3",), "Case-note what went to the DBS."),
            )
        if is_police_investigation(request):
            return (
                Step(Action.FORWARD, NOTERS, ("DEVON-6",), "Forward the request to IG."),
                Step(
                    Action.DECIDE,
                    DECIDERS,
                    ("DEVON-0", "DEVON-6"),
                    "The practitioner and manager decide what is relevant, advised by IG.",
                ),
                Step(Action.DISCLOSE, IG, ("DEVON-6",), "IG discloses to the police."),
                Step(Action.CASE_NOTE, IG | SW, ("ALL-3",), "Case-note what went to the police."),
            )
        out = [
            Step(Action.TRIAGE, NOTERS, ("ALL-1",), "Record the request."),
            Step(
                Action.DECIDE,
                DECIDERS,
                ("DEVON-0",),
                "The practitioner, with their manager, decides what is shared.",
            ),
        ]
        if kind == RequestType.MEETING_MINUTES:
            out.append(
                Step(
                    Action.SEND,
                    BS,
                    ("DEVON-7", "DEVON-3"),
                    "Business support sends the minutes on the Chair's instruction.",
                )
            )
        else:
            out.append(
                Step(
                    Action.DISCLOSE,
                    DECIDERS | BS,
                    ("DEVON-1", "DEVON-0"),
                    "The practitioner shares; business support enables access.",
                )
            )
        out.append(Step(Action.CASE_NOTE, NOTERS, ("ALL-3",), "Case-note what was shared."))
        return tuple(out)

    # 4. ---------------------------------------------------------------- who may act
    roles = {
        Action.DECIDE: (
            DECIDERS,
            ("DEVON-0",),
            "The practitioner with their manager decides; "
            "IG advises and business support enables, but neither decides.",
        ),
        Action.IG_CHECK: (IG, ("DEVON-5",), "Information Governance checks DBS responses."),
        Action.DISCLOSE: (
            DECIDERS,
            ("DEVON-0", "DEVON-1"),
            "The practitioner with their manager shares; business support enables access "
            "(the pack) but never decides.",
        ),
        Action.SEND: (
            DECIDERS | BS,
            ("DEVON-0", "DEVON-7"),
            "The practitioner, or business support on their (or the Chair's) instruction.",
        ),
    }

    @enforces("DEVON-1", "DEVON-2.1", "DEVON-2.2", "DEVON-3.2", "DEVON-6")
    def intake_facts(self, request_type: str = "", agency_type: str = "") -> tuple[Ask, ...]:
        """What the front door records for this type (ALL-1 for every one), and only where a
        Devon rule reads it: whether a Children's Guardian is appointed, for the Cafcass
        requests whose access rests on one (DEVON-1 public law, DEVON-2.2 rule 16.4); a court
        order, for a Section 7 report's closed files (DEVON-2.1); whether a police officer's
        request concerns a crime they are investigating (DEVON-6), asked of a police requester
        whose type does not already say so. A family's request for anything but minutes is a
        subject access request (DEVON-3.2), so nothing more is asked of it."""
        asks = always()
        family = agency_type in FAMILY_AGENCIES
        if referred_at_once(request_type, agency_type) or (
                family and request_type != RequestType.MEETING_MINUTES):
            return asks
        extra = {
            RequestType.CAFCASS_PUBLIC_LAW: Ask(IntakeFact.GUARDIAN_APPOINTED, ("DEVON-1",)),
            RequestType.CAFCASS_RULE_16_4: Ask(IntakeFact.GUARDIAN_APPOINTED, ("DEVON-2.2",)),
            RequestType.CAFCASS_SECTION7: Ask(IntakeFact.COURT_ORDER, ("DEVON-2.1",)),
        }.get(request_type)
        if extra is not None:
            asks = (extra, *asks)
        if (request_type and agency_type == AgencyType.POLICE
                and request_type not in NOT_AN_INVESTIGATION):
            asks = (Ask(IntakeFact.CRIMINAL_INVESTIGATION, ("DEVON-6",)), *asks)
        return asks

    @enforces("DEVON-5")
    def loggers(self) -> frozenset[str]:
        """DEVON-5: the Safer Recruitment Team logs DBS requests itself."""
        return FIRST_CONTACT | SAFER

    @enforces("DEVON-5")
    def checks(self, request: RequestSnapshot) -> tuple[Check, ...]:
        """DEVON-5: IG checks a DBS response, and redacts, before Safer Recruitment sends it."""
        if request.request_type == RequestType.DBS:
            return (Check(Action.IG_CHECK, TeamKind.INFORMATION_GOVERNANCE, IG,
                          "The Information Governance check", ("DEVON-5",)),)
        return ()

    @enforces("DEVON-0", "DEVON-5", "DEVON-6")
    def who_may(self, action: str, request: RequestSnapshot) -> WhoMay:
        if is_police_investigation(request) and action in (Action.DISCLOSE, Action.SEND):
            return WhoMay(action, IG, ("DEVON-6",), "Only the IG team shares with the police.")
        if action in (Action.CLOCK, Action.EXTEND, Action.WITHDRAW, Action.CLOSE,
                      Action.CORRECT):
            holders = PRACTITIONERS | FIRST_CONTACT
            if is_police_investigation(request):
                holders |= IG  # DEVON-6: the request is with IG first
            if request.request_type == RequestType.DBS:
                holders |= SAFER  # DEVON-5: Safer Recruitment logs and tracks it
            return WhoMay(action, holders, ("DEVON-0",),
                          "The person the request is with, or their manager.")
        if request.request_type == RequestType.DBS and action in (
            Action.TRIAGE,
            Action.FORWARD,
            Action.ALLOCATE,
            Action.SEND,
        ):
            return WhoMay(
                action,
                SAFER,
                ("DEVON-5",),
                "The Safer Recruitment Team logs, allocates and sends DBS responses.",
            )
        return super().who_may(action, request)

    # 3. ---------------------------------------------------------------- gates
    gates = {
        Action.TRIAGE: (gate_request_recorded,),
        Action.DECIDE: (gate_decision_recorded, gate_section7_closed_files, gate_minutes),
        Action.IG_CHECK: (gate_dbs_collated,),
        Action.DISCLOSE: (
            gate_shared,
            gate_cafcass_identity,
            gate_section7_closed_files,
            gate_third_party_consent,
        ),
        Action.SEND: (
            gate_shared,
            gate_secure_send,
            gate_third_party_consent,
            gate_dbs_ig_checked,
            gate_minutes,
        ),
        Action.CLOSE: (gate_case_noted,),
        Action.AMEND: (gate_never_amend,),
        Action.EXTEND: (gate_one_extension,),
    }

    # 6. ---------------------------------------------------------------- redaction
    @enforces("DEVON-3.1")
    def redactions(self, request: RequestSnapshot) -> tuple[RedactionSuggestion, ...]:
        """DEVON-3.1 names the placement address; adopters follow by the same reasoning."""
        return tuple(
            third_party_redactions(request) + placement_redactions(request, ("DEVON-3.1",))
        )
