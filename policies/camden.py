"""Camden: Children's Safeguarding and Family Help — information sharing practice guidance
(source 002). Records system: MOSAIC.
"""

from __future__ import annotations

from policies.base import (
    Action,
    ActorSnapshot,
    DocumentConsent,
    Note,
    ParentsException,
    RedactionSuggestion,
    RequestSnapshot,
    RequestType,
    Role,
    Routing,
    Step,
    Unmet,
    WhoMay,
)
from policies.catalogue import Ask, Check, DocumentAsk, DocumentFact, IntakeFact
from policies.common import (
    NOTERS,
    CouncilPolicy,
    gate_case_noted,
    gate_decision_recorded,
    gate_never_amend,
    gate_one_extension,
    gate_request_recorded,
    gate_secure_send,
    gate_shared,
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
SW_TM = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
LEGAL = frozenset({Role.LEGAL})
EXCEPTIONS = frozenset(ParentsException)  # CAMDEN-2 (a)–(d)
NETWORK_EXCEPTIONS = EXCEPTIONS - {ParentsException.COURT_ORDER}  # CAMDEN-10 (a)–(c)
# CAMDEN-5: only the allocated worker or their supervisor decides, discloses or changes what
# goes out (documents, redactions, consent, the pack) — and so asks for checks and records facts.
CAMDEN_5_STEPS = frozenset({
    Action.DECIDE, Action.DISCLOSE, Action.SEND, Action.REDACT, Action.RECORD_FACTS,
    Action.REQUEST_CHECK,
})
CLOSED_NOTE = (
    "the case is closed, so the supervisor of the team that last held it takes it (the "
    "guidance is silent; CAMDEN-5 says the allocated worker or their supervisor discloses)"
)


def _third_party_docs(request: RequestSnapshot):
    return [doc for doc in request.documents if doc.is_third_party]


def _needs_legal(request: RequestSnapshot) -> bool:
    case = request.case
    return case is not None and case.care_order and bool(_third_party_docs(request))


# -------------------------------------------------------------------- gates


@enforces("CAMDEN-1")
def gate_lawful_basis(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """CAMDEN-1: the lawful basis (Children Act 1989/2004, DPA 2018) is recorded."""
    if request.lawful_basis.strip():
        return []
    return [
        Unmet(
            "CAMDEN-1",
            "Record the lawful basis for sharing (e.g. Children Act 1989 "
            "s.47, Data Protection Act 2018).",
        )
    ]


@enforces("CAMDEN-3")
def gate_necessary(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """CAMDEN-3: the decision records why this information, to these people, is necessary."""
    d = request.sharing_decision
    if d is not None and d.shared and not request.necessity_note.strip():
        return [
            Unmet(
                "CAMDEN-3",
                "Record why sharing this is necessary and proportionate and "
                "that the recipient needs to know.",
            )
        ]
    return []


@enforces("CAMDEN-2", "CAMDEN-10")
def parents_told(request: RequestSnapshot) -> bool:
    """CAMDEN-2: the parents were told, or an exception (a)–(d) is recorded; before network
    checks (CAMDEN-10) only (a)–(c) — a court order is not an exception there. Answered at
    logging, with "Record what the rules need" or on the disclosure form."""
    if request.parents_informed:
        return True
    if request.request_type == RequestType.NETWORK_CHECK:
        return request.parents_exception in NETWORK_EXCEPTIONS
    return request.parents_exception in EXCEPTIONS


def _shared(request: RequestSnapshot) -> bool:
    return Action.DISCLOSE in request.completed_steps or Action.SEND in request.completed_steps


@enforces("CAMDEN-7")
def family_told_after(request: RequestSnapshot) -> bool:
    """CAMDEN-7: something was shared and the family has been told what (or why not: the
    exception recorded then, or the CAMDEN-2 exception that kept the parents from being told
    before). Answered at closing or with "Record what the rules need"."""
    if not _shared(request):
        return False
    return (request.family_informed_after_sharing
            or bool(request.family_informed_exception.strip())
            or request.parents_exception in EXCEPTIONS)


@enforces("CAMDEN-2", "CAMDEN-10")
def gate_parents_told(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """CAMDEN-2: parents told before sharing, unless exception (a)–(d) is recorded.
    CAMDEN-10: network checks allow only (a)–(c); a court order is not an exception there."""
    if parents_told(request):
        return []
    if request.request_type == RequestType.NETWORK_CHECK:
        return [
            Unmet(
                "CAMDEN-10",
                "Tell the parents before the network checks, or record that "
                "telling them would put the child at further risk, interfere with a "
                "criminal investigation or cause undue delay.",
            )
        ]
    return [
        Unmet(
            "CAMDEN-2",
            "Tell the parents what will be shared, why, for what use and with "
            "whom — or record why not (harm, criminal investigation, not practicable, "
            "court order).",
        )
    ]


@enforces("CAMDEN-8")
def gate_provider_recorded(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """CAMDEN-8: who provided third-party material, and any restriction on its use."""
    return [
        Unmet(
            "CAMDEN-8",
            f"'{doc.title}': record the name of the professional who provided it "
            "and any restriction on its further use.",
        )
        for doc in _third_party_docs(request)
        if not doc.author.strip()
    ]


@enforces("CAMDEN-9", "ALL-5")
def gate_third_party_written_consent(
    request: RequestSnapshot, actor: ActorSnapshot | None
) -> list[Unmet]:
    """CAMDEN-9: the author's written consent, or redaction by the SW and their manager; a
    Care Order child's document also goes to Legal Services for redaction first."""
    unmet = []
    for doc in _third_party_docs(request):
        if doc.consent_status != DocumentConsent.GRANTED and not doc.redacted:
            unmet.append(
                Unmet(
                    "CAMDEN-9",
                    f"'{doc.title}': record {doc.author or 'the author'}"
                    "'s written consent, or redact what cannot be shared (you and "
                    "your manager).",
                )
            )
    if _needs_legal(request) and Action.LEGAL_REDACTION not in request.completed_steps:
        unmet.append(
            Unmet(
                "CAMDEN-9",
                "The child is subject to a Care Order: send the "
                "third-party documents to Legal Services for redaction first.",
            )
        )
    return unmet


@enforces("CAMDEN-4")
def gate_mosaic_note(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """CAMDEN-4: the sharing is a case note on the child's MOSAIC record."""
    return [
        Unmet("CAMDEN-4", u.message.replace("child's record", "child's MOSAIC record"))
        for u in gate_case_noted(request, actor)
    ]


@enforces("CAMDEN-7")
def gate_family_told_after(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """CAMDEN-7: the family is told once sensitive information has been shared (or why not)."""
    if not _shared(request) or family_told_after(request):
        return []
    return [Unmet("CAMDEN-7", "Tell the family what was shared, or record why not.")]


class CamdenPolicy(CouncilPolicy):
    """London Borough of Camden: the allocated worker or their supervisor shares."""

    council = "camden"
    name = "London Borough of Camden"
    practice_rule = "CAMDEN-5"
    sar_team_name = "Access to Information team"
    role_names = {Role.SCIMT_OFFICER: "Children and Families Contact Service officer"}
    sar_contact = "dpa@camden.gov.uk"
    # Source 002 names no central contact for requesters: only authorised social work staff,
    # normally the allocated worker or their supervisor, disclose (CAMDEN-5), so the requester
    # deals with the worker who writes.
    letter_words = LetterWords(
        team="Children's Safeguarding and Family Help",
        service="Children and Learning Directorate",
        contact="Please reply to the social worker who signed this letter",
        signed_for="Children's Safeguarding and Family Help",
        acknowledgement=(
            Said("We share information under the Children Act 1989 and 2004 and the Data "
                 "Protection Act 2018. We normally tell the child's parents what we share, with "
                 "whom and why, unless an exception applies.", ("CAMDEN-1", "CAMDEN-2")),
            Said("Only authorised social work staff, normally the child's allocated social "
                 "worker or their supervisor, may disclose information from our records.",
                 ("CAMDEN-5",)),
        ),
        refusal=(
            Said("We share only what is necessary and proportionate, and only with those who "
                 "need to know.", ("CAMDEN-3",)),
        ),
        subject_access=(
            Said("How Children's Safeguarding and Family Help uses and shares information is "
                 "set out in its privacy notice, 'Social work services', on Camden Council's "
                 "website."),
        ),
    )

    @enforces("ALL-4", "CAMDEN-5", "CAMDEN-10")
    def route(self, request: RequestSnapshot) -> Routing:
        """Open case → allocated worker; closed → supervisor of the last team (CAMDEN-5)."""
        if is_subject_access(request):
            return refer_subject_access(request, self.sar_team_name, self.sar_contact)
        if request.request_type == RequestType.CHILD_SEX_OFFENDER_DISCLOSURE:
            return refer_child_sex_offender_scheme()
        rule = "CAMDEN-10" if request.request_type == RequestType.NETWORK_CHECK else "CAMDEN-5"
        return route_to_practitioner(request, (rule, "CAMDEN-5"), CLOSED_NOTE)

    @enforces("CAMDEN-2", "CAMDEN-4", "CAMDEN-7", "CAMDEN-9")
    def steps(self, request: RequestSnapshot) -> tuple[Step, ...]:
        out = [
            Step(
                Action.TRIAGE,
                NOTERS,
                ("ALL-1", "CAMDEN-1"),
                "Record the request and the lawful basis.",
            ),
            Step(
                Action.DECIDE,
                SW_TM,
                ("CAMDEN-3", "ALL-2"),
                "Decide what is necessary and proportionate, and record why.",
            ),
            Step(
                Action.INFORM_PARENTS,
                SW,
                ("CAMDEN-10",)
                if request.request_type == RequestType.NETWORK_CHECK
                else ("CAMDEN-2",),
                "Tell the parents, or record the exception.",
                done_when=parents_told,
                recorded_at=(Action.DISCLOSE,),
            ),
        ]
        if _third_party_docs(request):
            out.append(
                Step(
                    Action.REDACT,
                    SW_TM,
                    ("CAMDEN-9",),
                    "Get the authors' written "
                    "consent; the social worker and manager redact the rest.",
                )
            )
            if _needs_legal(request):
                out.append(
                    Step(
                        Action.LEGAL_REDACTION,
                        LEGAL,
                        ("CAMDEN-9",),
                        "Care Order: Legal Services redact the third-party documents.",
                    )
                )
        out += [
            Step(
                Action.DISCLOSE,
                SW_TM,
                ("CAMDEN-5",),
                "The allocated worker or their supervisor shares.",
            ),
            Step(Action.CASE_NOTE, SW_TM, ("CAMDEN-4", "ALL-3"), "Case-note it on MOSAIC."),
            Step(Action.INFORM_FAMILY, SW, ("CAMDEN-7",), "Tell the family what was shared.",
                 done_when=family_told_after, recorded_at=(Action.CLOSE,)),
        ]
        return tuple(out)

    roles = {
        Action.DECIDE: (SW_TM, ("CAMDEN-5",), "The allocated worker or their supervisor."),
        Action.REDACT: (SW_TM, ("CAMDEN-9",), "The social worker and their manager redact."),
        Action.LEGAL_REDACTION: (
            LEGAL,
            ("CAMDEN-9",),
            "Legal Services redact for Care Order cases.",
        ),
    }

    @enforces("CAMDEN-9")
    def checks(self, request: RequestSnapshot) -> tuple[Check, ...]:
        """CAMDEN-9: a Care Order child's third-party documents go to Legal Services first."""
        if _needs_legal(request):
            return (Check(Action.LEGAL_REDACTION, "legal_services", LEGAL,
                          "Legal Services redaction (Care Order)", ("CAMDEN-9",)),)
        return ()

    @enforces("CAMDEN-1", "CAMDEN-2", "CAMDEN-3", "CAMDEN-10")
    def intake_facts(self, request_type: str = "", agency_type: str = "") -> tuple[Ask, ...]:
        """For any request Camden may share on: the lawful basis (CAMDEN-1), why sharing is
        necessary and proportionate (CAMDEN-3) and whether the parents were told — before
        network checks CAMDEN-10, otherwise CAMDEN-2. Each can also be recorded later, where
        it arises. A request that leaves at once (ALL-4 subject access, NOTTS-6) shares
        nothing here, so it records only ALL-1; with no type chosen yet, only the lawful
        basis, identity and where it arrived."""
        if referred_at_once(request_type, agency_type):
            return always()
        if not request_type:
            return always(lawful_basis=("CAMDEN-1",))
        parents = ("CAMDEN-10",) if request_type == RequestType.NETWORK_CHECK else ("CAMDEN-2",)
        return (
            Ask(IntakeFact.NECESSITY, ("CAMDEN-3",)),
            Ask(IntakeFact.PARENTS_INFORMED, parents),
            *always(lawful_basis=("CAMDEN-1",)),
        )

    @enforces("CAMDEN-8")
    def document_facts(self, request: RequestSnapshot) -> tuple[DocumentAsk, ...]:
        """CAMDEN-8: record what a third party gave and any restriction on its further use."""
        return (DocumentAsk(DocumentFact.PROVIDER, ("CAMDEN-8",)),)

    @enforces("CAMDEN-5")
    def who_may(self, action: str, request: RequestSnapshot) -> WhoMay:
        """CAMDEN-5: only the allocated worker or their supervisor decides and discloses. For a
        closed case (no allocated worker) the manager of the last team is the supervisor."""
        if action not in CAMDEN_5_STEPS:
            return super().who_may(action, request)
        case = request.case
        ids: set = set()
        supervised: frozenset = frozenset()
        if case is not None:
            team = case.allocated_team if case.is_open else case.last_team
            if case.is_open and case.allocated_worker is not None:
                ids.add(case.allocated_worker.id)
                supervised = frozenset({case.allocated_worker.id})
            if team is not None and team.manager is not None:
                ids.add(team.manager.id)
        if not ids:
            return WhoMay(
                action,
                frozenset({Role.TEAM_MANAGER}),
                ("CAMDEN-5",),
                "No allocated worker: a team manager, as supervisor.",
            )
        return WhoMay(
            action,
            SW_TM,
            ("CAMDEN-5",),
            "Only the allocated social worker or their supervisor may do this.",
            frozenset(ids),
            roles_suffice=False,
            supervisors_of=supervised,
        )

    gates = {
        Action.TRIAGE: (gate_request_recorded, gate_lawful_basis),
        Action.DECIDE: (gate_decision_recorded, gate_lawful_basis, gate_necessary),
        Action.DISCLOSE: (
            gate_shared,
            gate_lawful_basis,
            gate_parents_told,
            gate_provider_recorded,
            gate_third_party_written_consent,
        ),
        Action.SEND: (gate_shared, gate_secure_send, gate_third_party_written_consent),
        Action.CLOSE: (gate_mosaic_note, gate_family_told_after),
        Action.AMEND: (gate_never_amend,),
        Action.EXTEND: (gate_one_extension,),
    }

    @enforces("CAMDEN-6", "CAMDEN-9")
    def redactions(self, request: RequestSnapshot) -> tuple[RedactionSuggestion, ...]:
        """ALL-5/CAMDEN-9 third parties, CAMDEN-6 the case's restrictions; placement details
        under CAMDEN-3 (necessary and proportionate — the guidance does not name them)."""
        out = third_party_redactions(request)
        for doc in _third_party_docs(request):
            if _needs_legal(request):
                out.append(
                    RedactionSuggestion(
                        "legal_review",
                        doc.title,
                        "Care Order: Legal Services redact before sending.",
                        ("CAMDEN-9",),
                        doc.id,
                    )
                )
        for case in request.subjects:
            for item in case.disclosure_restrictions:
                out.append(
                    RedactionSuggestion(
                        "restriction",
                        item,
                        "Recorded on the case as not to be shared.",
                        ("CAMDEN-6",),
                    )
                )
        return tuple(out + placement_redactions(request, ("CAMDEN-3",)))

    @enforces("CAMDEN-6")
    def alerts(self, request: RequestSnapshot) -> tuple[Note, ...]:
        """CAMDEN-6: disclosure restrictions shown to everyone working on the case."""
        return tuple(
            Note("CAMDEN-6", f"{case.name or case.reference}: do not share — {item}")
            for case in request.subjects
            for item in case.disclosure_restrictions
        )
