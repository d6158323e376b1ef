"""Brighton & Hove: Recording Policy for Children's Social Work (source 004). Records system:
Eclipse.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from policies import deadlines
from policies.base import (
    Action,
    ActorSnapshot,
    Channel,
    Consent,
    Deadline,
    DocumentConsent,
    DueDate,
    Note,
    RedactionSuggestion,
    RequestSnapshot,
    RequestType,
    Role,
    Routing,
    SendMethod,
    Step,
    Unmet,
)
from policies.catalogue import Ask, DocumentAsk, DocumentFact, Fact, IntakeFact, Transition
from policies.common import (
    FIRST_CONTACT,
    NOTERS,
    PRACTITIONERS,
    CouncilPolicy,
    gate_case_noted,
    gate_decision_recorded,
    gate_never_amend,
    gate_one_extension,
    gate_request_recorded,
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
SW_TM = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.CSM})
BS = frozenset({Role.BUSINESS_SUPPORT})
# BH-8, as the source says it: secure email "e.g. by encryption, or using Egress"; post to a
# checked address; hand delivery where post is not secure. Cryptshare is encryption too.
BH_METHODS = frozenset(
    {
        SendMethod.SECURE_EMAIL,
        SendMethod.EGRESS,
        SendMethod.CRYPTSHARE,
        SendMethod.POST,
        SendMethod.HAND_DELIVERY,
    }
)
SAR_POLICY_DAYS = 40
WRITTEN = frozenset({Channel.EMAIL, Channel.SECURE_EMAIL, Channel.LETTER, Channel.PORTAL})
CLOSED_NOTE = (
    "the case is closed, so the manager of the team that last held it decides (the guidance is "
    "silent; BH-1 needs a named person to record the reasons)"
)


def _informant_docs(request: RequestSnapshot):
    return [d for d in request.documents if d.is_third_party]


# -------------------------------------------------------------------- gates


@enforces("BH-1")
def gate_reasons(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """BH-1: the reasons for sharing or not sharing are recorded (with ALL-2)."""
    d = request.sharing_decision
    if d is not None and not d.reason.strip():
        return [Unmet("BH-1", "Record the reasons for the decision, to share or not.")]
    return []


@enforces("BH-3")
def gate_public_interest(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """BH-3: without the family's agreement, only on a recorded strong public interest."""
    d = request.sharing_decision
    if d is not None and not d.shared:
        return []
    if request.consent == Consent.OBTAINED or request.public_interest_justification.strip():
        return []
    return [
        Unmet(
            "BH-3",
            "The family has not agreed: record why the public interest (risk of "
            "significant harm, or preventing or detecting serious crime) overrides that.",
        )
    ]


@enforces("BH-4")
def gate_family_wishes(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """BH-4: the family's recorded wishes are acknowledged before disclosure."""
    wishes = [w for case in request.subjects for w in case.family_wishes]
    if request.sharing_decision is not None and not request.sharing_decision.shared:
        return []  # nothing is shared, so no wish stands in the way
    if wishes and not request.family_wishes_acknowledged:
        return [
            Unmet(
                "BH-4",
                "The family asked that this not be shared: "
                + "; ".join(wishes)
                + ". Confirm you have read and considered it.",
            )
        ]
    return []


@enforces("BH-5")
def gate_informants(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """BH-5: an informant's information needs their consent; if it concerns child protection
    it is shared, but with the informant's identity redacted."""
    unmet = []
    for doc in _informant_docs(request):
        if doc.child_protection:
            if not doc.redacted:
                unmet.append(
                    Unmet(
                        "BH-5",
                        f"'{doc.title}': child protection — share it, but "
                        "redact what identifies the informant.",
                    )
                )
        elif doc.consent_status != DocumentConsent.GRANTED and not doc.redacted:
            unmet.append(Unmet("BH-5", f"'{doc.title}': the informant's consent is needed."))
    named = [n for case in request.subjects for n in case.informant_names]
    if named and Action.REDACT not in request.completed_steps:
        unmet.append(Unmet("BH-5", "Redact the informants' identities: " + ", ".join(named) + "."))
    return unmet


@enforces("BH-6")
def subject_told(request: RequestSnapshot) -> bool:
    """BH-6: the young person has been told in their own right (asked on the disclosure form
    or with "Record what the rules need")."""
    return request.subject_informed


@enforces("BH-6")
def gate_sixteen_plus(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """BH-6: a subject aged 16 or over is informed in their own right."""
    for case in request.subjects:
        age = case.age_on(request.received_on)
        if age is not None and age >= 16 and not subject_told(request):
            return [
                Unmet(
                    "BH-6",
                    f"{case.name or case.reference} is {age}: tell them in their "
                    "own right how their information is being used.",
                )
            ]
    return []


@enforces("BH-9")
def gate_placement_redacted(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """BH-9: adopters' identifying details and placement addresses are redacted first."""
    if placement_redactions(request, ("BH-9",)) and Action.REDACT not in request.completed_steps:
        return [Unmet("BH-9", "Redact the placement address and adopters' identifying details.")]
    return []


@enforces("BH-8", "ALL-6")
def gate_bh_send(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """BH-8: secure email (encryption/Egress), a confirmed address; post second-checked by
    someone other than the sender. The source asks for second checks when 'packing large
    amounts of post'; a careful IG lead second-checks every posted pack."""
    s = request.send
    if s is None:
        return [Unmet("BH-8", "Choose how it will be sent and confirm the address.")]
    unmet = []
    if s.method not in BH_METHODS:
        unmet.append(
            Unmet("BH-8", "Send by secure email (encrypted or Egress), never ordinary email.")
        )
    if not s.address_confirmed:
        unmet.append(Unmet("BH-8", "Confirm the address is correct on Eclipse before sending."))
    if s.method == SendMethod.POST:
        if s.second_checker_id is None:
            unmet.append(
                Unmet("BH-8", "Someone else must second-check the pack before it is posted.")
            )
        elif s.second_checker_id == s.sender_id:
            unmet.append(Unmet("BH-8", "The second check must be by a different person."))
    return unmet


@enforces("BH-8")
def gate_second_checker(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """BH-8: the second checker is not the person who packed it."""
    s = request.send
    if actor is not None and s is not None and s.sender_id == actor.id:
        return [Unmet("BH-8", "You packed this; someone else must second-check it.")]
    return []


@enforces("BH-2")
def gate_traceable(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """BH-2: what went to another agency is recorded on the individual's file."""
    return [Unmet("BH-2", u.message) for u in gate_case_noted(request, actor)]


@enforces("BH-10")
def gate_deletion_acknowledged(
    request: RequestSnapshot, actor: ActorSnapshot | None
) -> list[Unmet]:
    """BH-10: a deletion request that cannot be met is acknowledged on the record."""
    if request.deletion_requested and not request.deletion_acknowledged:
        return [
            Unmet(
                "BH-10",
                "The child asked for part of their record to be deleted: record "
                "that request, and the answer, on their record.",
            )
        ]
    return []


@enforces("BH-11")
def gate_no_overwrite(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """BH-11: other perspectives and amendments are added as new entries (MIRRA 7–8)."""
    return [Unmet("BH-11", "Add your amendment or other perspective as a new entry.")]


class BrightonHovePolicy(CouncilPolicy):
    """Brighton & Hove City Council."""

    council = "brighton_hove"
    name = "Brighton & Hove City Council"
    practice_rule = "BH-1"
    sar_team_name = "Access to Records team"
    role_names = {Role.SCIMT_OFFICER: "Front Door for Families practitioner"}
    sar_contact = "the council's Access to Records / Subject Access Requests procedure"
    # Source 004 names no contact for requesters; it sends only to secure email or a confirmed,
    # second-checked postal address (BH-8) and gives subject access its dates (BH-7).
    letter_words = LetterWords(
        team="Children's Social Work",
        service="Children's Services",
        contact="Please reply by secure email to the worker who signed this letter",
        signed_for="Children's Social Work",
        acknowledgement=(
            Said("We will record the reasons for our decision, whether or not we share.",
                 ("BH-1",)),
            Said("We send information only to a secure email address (for example through "
                 "Egress) or, by post, after a second person has checked it. Please tell us if "
                 "your email address is not a secure one.", ("BH-8",)),
        ),
        refusal=(
            Said("The reasons for this decision are recorded on the child's record.",
                 ("BH-1",)),
        ),
        subject_access=(
            Said("Please make your request in writing. The council makes records available no "
                 "more than 40 days after a written request; the law sets one calendar month, "
                 "and we work to the earlier date.", ("BH-7",)),
        ),
        subject_access_dates=True,
    )

    @enforces("ALL-4", "BH-1")
    def route(self, request: RequestSnapshot) -> Routing:
        if is_subject_access(request):
            return refer_subject_access(request, self.sar_team_name, self.sar_contact, ("BH-7",))
        if request.request_type == RequestType.CHILD_SEX_OFFENDER_DISCLOSURE:
            return refer_child_sex_offender_scheme()
        return route_to_practitioner(request, ("BH-1",), CLOSED_NOTE)

    @enforces("BH-4", "BH-6", "BH-8", "BH-9")
    def steps(self, request: RequestSnapshot) -> tuple[Step, ...]:
        out = [
            Step(Action.TRIAGE, NOTERS, ("ALL-1",), "Record the request."),
            Step(
                Action.DECIDE,
                SW_TM,
                ("BH-1", "BH-3", "BH-4"),
                "Read the family's wishes, decide and record the reasons.",
            ),
        ]
        if any((c.age_on(request.received_on) or 0) >= 16 for c in request.subjects):
            out.append(
                Step(
                    Action.INFORM_FAMILY,
                    SW,
                    ("BH-6",),
                    "Tell the young person (16+) in their own right.",
                    done_when=subject_told,
                    recorded_at=(Action.DISCLOSE,),
                )
            )
        if (
            request.documents
            or placement_redactions(request, ("BH-9",))
            or any(c.informant_names for c in request.subjects)
        ):
            out.append(
                Step(
                    Action.REDACT,
                    SW_TM,
                    ("BH-5", "BH-9"),
                    "Redact informants, adopters and placement addresses.",
                )
            )
        out.append(Step(Action.DISCLOSE, SW_TM, ("BH-1",), "Share what was decided."))
        if request.send is not None and request.send.method == SendMethod.POST:
            out.append(
                Step(
                    Action.SECOND_CHECK,
                    NOTERS,
                    ("BH-8",),
                    "Someone else checks the right contents are in the right envelope.",
                )
            )
        out += [
            Step(Action.SEND, SW_TM | BS, ("BH-8",), "Send securely to a confirmed address."),
            Step(
                Action.CASE_NOTE,
                SW_TM | BS,
                ("BH-2", "ALL-3"),
                "Record on Eclipse what went where.",
            ),
        ]
        return tuple(out)

    roles = {
        Action.DECIDE: (SW_TM, ("BH-1",), "The social worker or their manager decides."),
        Action.DISCLOSE: (SW_TM, ("BH-1",), "The social worker or their manager shares."),
        Action.SECOND_CHECK: (NOTERS, ("BH-8",), "Anyone on the team other than the sender."),
        Action.CORRECT: (
            PRACTITIONERS | FIRST_CONTACT,
            ("BH-11", "ALL-2"),
            "The person the request is with adds a correction as a new entry.",
        ),
    }

    @enforces("BH-3")
    def intake_facts(self, request_type: str = "", agency_type: str = "") -> tuple[Ask, ...]:
        """For a request Brighton & Hove may share on: without the family's agreement, the
        public-interest reason (BH-3). A subject access request (ALL-4; its dates are BH-7's,
        from the channel asked of every request) or a question for the police's scheme
        (NOTTS-6) shares nothing here, so it records only ALL-1, as does a request whose
        type is not chosen yet."""
        if not request_type or referred_at_once(request_type, agency_type):
            return always()
        return (Ask(IntakeFact.PUBLIC_INTEREST, ("BH-3",)), *always())

    @enforces("BH-8")
    def pack_second_check(self, request: RequestSnapshot) -> tuple[str, ...]:
        return ("BH-8",)

    @enforces("BH-5")
    def document_facts(self, request: RequestSnapshot) -> tuple[DocumentAsk, ...]:
        """BH-5: whether an informant's information concerns child protection (then it is
        shared with the informant's identity redacted, rather than waiting for consent)."""
        return (DocumentAsk(DocumentFact.INFORMANT, ("BH-5",)),)

    @enforces("BH-10")
    def ask_facts(self, transition: str, request: RequestSnapshot) -> tuple[Ask, ...]:
        """BH-10: before closing, ask whether the child asked for anything to be deleted."""
        return (Ask(Fact.DELETION, ("BH-10",)),) if transition == Transition.CLOSE else ()

    gates = {
        Action.TRIAGE: (gate_request_recorded,),
        Action.DECIDE: (
            gate_decision_recorded,
            gate_reasons,
            gate_public_interest,
            gate_family_wishes,
        ),
        Action.DISCLOSE: (
            gate_shared,
            gate_public_interest,
            gate_family_wishes,
            gate_sixteen_plus,
            gate_third_party_consent,
            gate_informants,
            gate_placement_redacted,
        ),
        Action.SECOND_CHECK: (gate_second_checker,),
        Action.SEND: (gate_shared, gate_bh_send, gate_third_party_consent),
        Action.CLOSE: (gate_traceable, gate_deletion_acknowledged),
        Action.AMEND: (gate_never_amend, gate_no_overwrite),
        Action.EXTEND: (gate_one_extension,),
    }

    @enforces("BH-7")
    def deadline(self, request: RequestSnapshot, today: date | None = None) -> Deadline:
        """BH-7: subject access — the council's policy gives 40 days from the written request;
        the law gives one calendar month. Both are shown; the earlier (statutory) date is the
        due date, because a council policy cannot extend a statutory limit."""
        if not is_subject_access(request):
            return super().deadline(request, today)
        policy_day = request.received_on + timedelta(days=SAR_POLICY_DAYS)
        also = (
            DueDate(
                "Council policy (BH-7): 40 days from the written request", policy_day, ("BH-7",)
            ),
        )
        d = deadlines.compute(
            request,
            deadlines.CALENDAR_MONTH,
            1,
            ("ALL-4", "BH-7"),
            "subject access: one calendar month by law",
            today,
            also,
        )
        notes = ()
        if request.channel not in WRITTEN:
            notes = (
                Note(
                    "BH-7",
                    "The 40 days run from a written request: ask the requester "
                    "to put it in writing.",
                ),
            )
        return replace(d, notes=notes) if notes else d

    @enforces("BH-5", "BH-9")
    def redactions(self, request: RequestSnapshot) -> tuple[RedactionSuggestion, ...]:
        out = third_party_redactions(request) + placement_redactions(request, ("BH-9",))
        for case in request.subjects:
            for name in case.informant_names:
                out.append(
                    RedactionSuggestion(
                        "informant", name, "Protect the informant's anonymity.", ("BH-5",)
                    )
                )
            for wish in case.family_wishes:
                out.append(
                    RedactionSuggestion(
                        "family_wish", wish, "The family asked that this not be shared.", ("BH-4",)
                    )
                )
        return tuple(out)

    @enforces("BH-4")
    def alerts(self, request: RequestSnapshot) -> tuple[Note, ...]:
        """BH-4: the family's wishes are shown on the case."""
        return tuple(
            Note(
                "BH-4",
                f"{case.name or case.reference}: the family asked that this not be shared — {wish}",
            )
            for case in request.subjects
            for wish in case.family_wishes
        )
