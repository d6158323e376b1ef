"""What a council policy is given and what it answers.

Pure Python: no Django, no ORM, no HTTP. The adapter in ``requests_app.policy_adapter`` builds
the snapshots below from the database; the council modules turn them into decisions that always
carry the rule IDs of ``shared/policy-rules.md`` and a sentence a social worker understands.

Every field of every snapshot has a default except the few that identify the thing, so tests
and the adapter can build a snapshot with few arguments. Strings use the vocabularies below;
the Django models use the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import ClassVar

# --------------------------------------------------------------------------------------------
# Vocabulary. StrEnum members compare equal to their plain string values ("devon" == DEVON).
# --------------------------------------------------------------------------------------------


class Council(StrEnum):
    DEVON = "devon"
    NOTTINGHAMSHIRE = "nottinghamshire"
    CAMDEN = "camden"
    BRIGHTON_HOVE = "brighton_hove"


class TeamKind(StrEnum):
    SCIMT = "scimt"
    SOCIAL_WORK = "social_work"
    DCPT = "dcpt"
    MASH = "mash"
    BUSINESS_SUPPORT = "business_support"
    INFORMATION_GOVERNANCE = "information_governance"
    ACCESS_TO_INFORMATION = "access_to_information"
    SAFER_RECRUITMENT = "safer_recruitment"
    LEGAL_SERVICES = "legal_services"
    SUPPORT_TO_SCHOOLS = "support_to_schools"
    ADOPTION_RECORDS = "adoption_records"
    IRO = "iro"
    SAR = "sar"


class Role(StrEnum):
    SCIMT_OFFICER = "scimt_officer"
    SOCIAL_WORKER = "social_worker"
    TEAM_MANAGER = "team_manager"
    CSM = "csm"
    BUSINESS_SUPPORT = "business_support"
    IG_OFFICER = "ig_officer"
    SAFER_RECRUITMENT_OFFICER = "safer_recruitment_officer"
    LEGAL = "legal"
    GROUP_MANAGER = "group_manager"
    ACCESS_TO_INFORMATION_OFFICER = "access_to_information_officer"


class RequestType(StrEnum):
    INFORMATION = "information"
    VIEW_RECORDS = "view_records"
    HARD_COPIES = "hard_copies"
    MEETING_MINUTES = "meeting_minutes"
    SUBJECT_ACCESS = "subject_access"
    ADOPTION_RECORDS = "adoption_records"
    DBS = "dbs"
    OFSTED_ENQUIRY = "ofsted_enquiry"
    OFSTED_SCHOOL_INCIDENT = "ofsted_school_incident"
    CAFCASS_PUBLIC_LAW = "cafcass_public_law"
    CAFCASS_PRIVATE_LAW = "cafcass_private_law"
    CAFCASS_SECTION7 = "cafcass_section7"
    CAFCASS_RULE_16_4 = "cafcass_rule_16_4"
    POLICE_INVESTIGATION = "police_investigation"
    LEGAL_PROCEEDINGS = "legal_proceedings"
    CHILD_SEX_OFFENDER_DISCLOSURE = "child_sex_offender_disclosure"
    NETWORK_CHECK = "network_check"


class AgencyType(StrEnum):
    POLICE = "police"
    CAFCASS = "cafcass"
    OFSTED = "ofsted"
    DBS = "dbs"
    HEALTH = "health"
    SCHOOL = "school"
    PROBATION = "probation"
    OTHER_COUNCIL = "other_council"
    FOSTERING_AGENCY = "fostering_agency"
    LEGAL_SERVICES = "legal_services"
    MEMBER_OF_PUBLIC = "member_of_public"
    SUBJECT = "subject"
    PARENT = "parent"
    SOLICITOR = "solicitor"
    OTHER = "other"


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    SECURE_EMAIL = "secure_email"
    LETTER = "letter"
    IN_PERSON = "in_person"
    PORTAL = "portal"


class Consent(StrEnum):
    OBTAINED = "obtained"
    NOT_OBTAINED = "not_obtained"
    NOT_APPLICABLE = "not_applicable"


class ParentsException(StrEnum):
    """CAMDEN-2 (a)–(d): why parents were not told before sharing."""

    HARM = "harm"
    CRIMINAL_INVESTIGATION = "criminal_investigation"
    NOT_PRACTICABLE = "not_practicable"
    COURT_ORDER = "court_order"


class DocumentConsent(StrEnum):
    REQUESTED = "requested"
    GRANTED = "granted"
    REFUSED = "refused"
    NOT_NEEDED = "not_needed"


class SendMethod(StrEnum):
    SECURE_EMAIL = "secure_email"
    CRYPTSHARE = "cryptshare"
    EGRESS = "egress"
    POST = "post"
    HAND_DELIVERY = "hand_delivery"
    UNSECURE_EMAIL = "unsecure_email"
    TELEPHONE = "telephone"  # told verbally: a disclosure, never a way to send documents


class Action(StrEnum):
    """Step codes and actions a gate can be asked about (``policy.check(action, ...)``)."""

    TRIAGE = "triage"  # record the request and the triage facts
    TRIAGE_CASE_NOTE = "triage_case_note"  # SCIMT case note before forwarding (NOTTS-1)
    FORWARD = "forward"  # triage officer passes it on (after a case note, NOTTS-1)
    CSM_DECISION = "csm_decision"  # a CSM agrees or refuses (NOTTS-1.2.1)
    ALLOCATE = "allocate"  # a team manager allocates a worker
    RETRIEVE_RECORDS = "retrieve_records"  # paper / microfilm retrieval (NOTTS-1.3)
    DECIDE = "decide"  # the sharing decision, with its reason (ALL-2)
    INFORM_PARENTS = "inform_parents"  # CAMDEN-2 / CAMDEN-10
    IG_CHECK = "ig_check"  # Devon IG checks and redacts (DEVON-5)
    LEGAL_REDACTION = "legal_redaction"  # Camden Care Order documents (CAMDEN-9)
    REDACT = "redact"  # SW (and manager) redact
    DISCLOSE = "disclose"  # information leaves the council
    APPROVE_HARD_COPIES = "approve_hard_copies"  # NOTTS-2
    PRODUCE_HARD_COPIES = "produce_hard_copies"  # NOTTS-2 business support
    SECOND_CHECK = "second_check"  # BH-8 post second-checked
    SEND = "send"  # the pack goes out
    RETURN_RECORDS = "return_records"  # BS returns paper files (NOTTS-1.3)
    INFORM_FAMILY = "inform_family"  # CAMDEN-7 afterwards
    CASE_NOTE = "case_note"  # ALL-3 trace on the subject's record
    FILE_COPY = "file_copy"  # copy of what was provided filed in Documents (NOTTS-1.2.2)
    EXTEND = "extend"  # extend the deadline once, with a reason
    CLOSE = "close"  # the request is finished
    AMEND = "amend"  # change an earlier decision or entry (never allowed: ALL-2 / BH-11)
    # Steps of the catalogue of actions (policies.catalogue) beside the guidance's own:
    REALLOCATE = "reallocate"  # a team manager gives the request to another worker
    OVERRIDE_ROUTE = "override_route"  # a manager sends it elsewhere, with a recorded reason
    RECORD_FACTS = "record_facts"  # record a fact a gate reads, when it arises
    REQUEST_CHECK = "request_check"  # the worker asks another team for a check
    ASK_FOR_PACK = "ask_for_pack"  # the worker asks business support to prepare the pack
    REQUEST_HARD_COPIES = "request_hard_copies"  # NOTTS-2: the worker presents the list
    CLOCK = "clock"  # pause or restart the deadline clock
    WITHDRAW = "withdraw"  # the requester withdrew
    CORRECT = "correct"  # correct a request's recorded facts: a new entry (ALL-2, BH-11)
    ACCEPT_REFERRAL = "accept_referral"  # the team a referral went to takes it on


# --------------------------------------------------------------------------------------------
# Input snapshots
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonRef:
    id: int | str
    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class TeamRef:
    id: int | str
    name: str
    kind: str = TeamKind.SOCIAL_WORK
    locality: str = ""
    exists: bool = True
    csm: PersonRef | None = None
    manager: PersonRef | None = None


@dataclass(frozen=True, slots=True)
class TeamDirectory:
    """The council's teams, so routing can find 'the DCPT CSM of Mansfield' without the ORM.

    Build one per council and share it between snapshots: it is immutable and indexed once.
    """

    teams: tuple[TeamRef, ...] = ()
    _by_id: dict = field(init=False, repr=False, compare=False, hash=False)
    _by_kind: dict = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        by_id: dict = {}
        by_kind: dict = {}
        for team in self.teams:
            by_id[team.id] = team
            if team.exists:
                by_kind.setdefault((team.kind, ""), team)
                by_kind.setdefault((team.kind, team.locality.casefold()), team)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_kind", by_kind)

    def get(self, team_id: int | str) -> TeamRef | None:
        return self._by_id.get(team_id)

    def find(self, kind: str, locality: str = "") -> TeamRef | None:
        """The existing team of this kind in this locality (or of this kind anywhere)."""
        return self._by_kind.get((kind, locality.casefold()))

    def find_any(self, kind: str, locality: str = "") -> TeamRef | None:
        """Prefer the team in the locality; fall back to the council-wide one."""
        return self._by_kind.get((kind, locality.casefold())) or self._by_kind.get((kind, ""))


EMPTY_DIRECTORY = TeamDirectory()


@dataclass(frozen=True, slots=True)
class RequesterSnapshot:
    name: str = ""
    organisation: str = ""
    agency_type: str = AgencyType.OTHER
    email: str = ""
    phone: str = ""
    secure_email: bool = False  # the email address is a secure (gcsx/pnn/nhs.net/egress) one
    identity_evidence: str = ""  # e.g. "warrant card seen", "Cafcass ID checked"


@dataclass(frozen=True, slots=True)
class CaseSnapshot:
    reference: str
    name: str = ""
    date_of_birth: date | None = None
    is_open: bool = True
    closed_on: date | None = None
    has_cp_history: bool = False
    allocated_worker: PersonRef | None = None
    allocated_team: TeamRef | None = None
    last_team: TeamRef | None = None  # team that last held the case (closed cases)
    locality: str = ""
    on_electronic: bool = True
    on_paper: bool = False
    on_microfilm: bool = False
    mash_enquiry_only: bool = False
    care_order: bool = False
    in_care: bool = False
    adopted: bool = False
    placement_address: str = ""
    adopter_names: tuple[str, ...] = ()
    informant_names: tuple[str, ...] = ()
    third_party_names: tuple[str, ...] = ()
    disclosure_restrictions: tuple[str, ...] = ()  # CAMDEN-6: what may not be shared
    family_wishes: tuple[str, ...] = ()  # BH-4: what the family asked not to be shared
    parental_responsibility: tuple[str, ...] = ()  # names of people with PR (DEVON-2.1)

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


@dataclass(frozen=True, slots=True)
class DocumentSnapshot:
    id: int | str
    title: str = ""
    is_third_party: bool = False  # written by another agency / professional outside CSC
    author: str = ""  # name of the author / providing professional (CAMDEN-8)
    author_agency: str = ""
    consent_status: str = DocumentConsent.NOT_NEEDED
    # Someone confirmed every passage the author's consent would cover is redacted (ALL-5); one
    # redaction alone does not count.
    redacted: bool = False
    redaction_count: int = 0  # active redactions: nothing to confirm while there are none
    use_restrictions: str = ""  # CAMDEN-8: restriction on further use given by the provider
    child_protection: bool = False  # BH-5: informant's information concerns child protection


@dataclass(frozen=True, slots=True)
class SharingDecision:
    decided_by_id: int | str
    shared: bool = True
    reason: str = ""
    decided_at: datetime | None = None
    decided_by_role: str = ""


@dataclass(frozen=True, slots=True)
class HardCopyRequest:
    items: tuple[str, ...] = ()
    approver_id: int | str | None = None  # the CSM asked to approve
    approved_by_id: int | str | None = None  # who approved, once approved


@dataclass(frozen=True, slots=True)
class SendDetails:
    method: str = SendMethod.SECURE_EMAIL
    address_confirmed: bool = False
    sender_id: int | str | None = None
    second_checker_id: int | str | None = None
    address: str = ""


@dataclass(frozen=True, slots=True)
class Pause:
    start: date
    end: date | None = None  # None: still paused
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Extension:
    days: int  # in the unit of the request's deadline (working or calendar days)
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ClockFacts:
    pauses: tuple[Pause, ...] = ()
    extension: Extension | None = None
    extensions_granted: int = 0  # >1 is refused by the gate (one extension only)


@dataclass(frozen=True, slots=True)
class ActorSnapshot:
    id: int | str
    name: str = ""
    roles: frozenset[str] = frozenset()
    team_ids: frozenset[int | str] = frozenset()
    supervisee_ids: frozenset[int | str] = frozenset()  # workers this person supervises


def _epoch() -> datetime:
    return datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class RequestSnapshot:
    council: str
    reference: str = ""
    request_type: str = RequestType.INFORMATION
    channel: str = Channel.EMAIL
    received_at: datetime = field(default_factory=_epoch)
    received_by_team_kind: str = ""  # set when a team other than the first point of contact
    requester: RequesterSnapshot = field(default_factory=RequesterSnapshot)
    subjects: tuple[CaseSnapshot, ...] = ()
    what_is_asked: str = ""
    on_behalf_of_subject: bool = False  # parent/solicitor asking for the subject's own records
    directory: TeamDirectory = EMPTY_DIRECTORY
    # Triage facts (NOTTS-0.x)
    large_volume: bool = False
    asks_for_printed_files: bool = False
    working_with_subject: bool | None = None  # or significantly related to someone they work with
    specific_information: bool | None = None
    # Consent and lawful basis
    consent: str = Consent.NOT_OBTAINED
    consent_evidence: str = ""
    lawful_basis: str = ""  # CAMDEN-1
    public_interest_justification: str = ""  # NOTTS-5 / BH-3
    necessity_note: str = ""  # CAMDEN-3: why this much, to these people
    # Identity
    identity_verified_at_triage: bool = False
    identity_reverified_by_worker: bool = False
    # Family
    parents_informed: bool = False
    parents_exception: str = ""  # CAMDEN-2 ParentsException value
    court_order: bool = False
    pr_permissions: frozenset[str] = frozenset()  # names of PR holders who gave permission
    child_permission: bool = False
    child_of_sufficient_understanding: bool | None = None  # None: not assessed
    childrens_guardian_appointed: bool = False  # DEVON-1 / DEVON-2.2
    criminal_investigation: bool = False  # DEVON-6
    family_wishes_acknowledged: bool = False  # BH-4
    subject_informed: bool = False  # BH-6
    family_informed_after_sharing: bool = False  # CAMDEN-7
    family_informed_exception: str = ""
    deletion_requested: bool = False  # BH-10
    deletion_acknowledged: bool = False
    # Meetings (DEVON-3 / DEVON-7)
    meeting_kind: str = ""  # cin, cp_conference, ppm, cic_review
    requester_attended_or_invited: bool | None = None
    minutes_signed_by_chair: bool = False
    chair_agreed: bool = False  # the Chair (or SW + IRO for CiC reviews) agreed to release
    # Progress
    state: str = ""
    completed_steps: frozenset[str] = frozenset()  # Action values already done
    pending_check: str = ""  # the check (Action) asked for and not yet done
    check_requested_by_id: int | str | None = None  # who asked for it: never who completes it
    referred_team_kind: str = ""  # a referral inside the council: the team it went to
    referral_rule_ids: tuple[str, ...] = ()
    allocated_worker_id: int | str | None = None  # the worker the request is allocated to
    pack_second_checker_id: int | str | None = None  # BH-8: who second-checked the pack
    paper_files_out: bool = False  # NOTTS-1.3: retrieved paper files not yet returned
    clock_paused: bool = False
    sharing_decision: SharingDecision | None = None
    hard_copy_request: HardCopyRequest | None = None
    documents: tuple[DocumentSnapshot, ...] = ()
    send: SendDetails | None = None
    clock: ClockFacts = field(default_factory=ClockFacts)

    @property
    def received_on(self) -> date:
        return self.received_at.date()

    @property
    def case(self) -> CaseSnapshot | None:
        """The first subject's record (most requests are about one child)."""
        return self.subjects[0] if self.subjects else None


# --------------------------------------------------------------------------------------------
# Output decisions. Every one carries rule_ids and an explanation a social worker understands.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Note:
    """Advice shown at a step (e.g. NOTTS-0.3 'suggest viewing instead')."""

    rule_id: str
    message: str


@dataclass(frozen=True, slots=True)
class Route:
    """The request goes next to this role (and team, and person where the rules name one)."""

    role: str
    team: TeamRef | None
    person: PersonRef | None
    rule_ids: tuple[str, ...]
    explanation: str
    tell_requester: str = ""
    notes: tuple[Note, ...] = ()
    kind: ClassVar[str] = "route"


@dataclass(frozen=True, slots=True)
class Referral:
    """The request leaves this workflow for another procedure or body."""

    target: str  # e.g. "sar_team", "adoption_records_manager", "police_csod_scheme"
    rule_ids: tuple[str, ...]
    explanation: str
    tell_requester: str = ""
    team: TeamRef | None = None
    person: PersonRef | None = None
    notes: tuple[Note, ...] = ()
    kind: ClassVar[str] = "referral"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Refused at triage."""

    rule_ids: tuple[str, ...]
    explanation: str
    tell_requester: str = ""
    notes: tuple[Note, ...] = ()
    kind: ClassVar[str] = "refusal"


Routing = Route | Referral | Refusal


@dataclass(frozen=True, slots=True)
class Step:
    """One of the council's steps. Most are done when the action that takes them records them
    (``completed_steps``); a step that is a fact rather than an action (CAMDEN-2's parents
    told, CAMDEN-7's family told afterwards, BH-6's young person told) is done once
    ``done_when`` finds its facts on record, wherever they were answered: at logging, on
    another step's form or at closing."""

    code: str  # an Action value
    roles: frozenset[str]
    rule_ids: tuple[str, ...]
    explanation: str
    done_when: Callable[[RequestSnapshot], bool] | None = None
    # The steps (Action values) whose forms ask this step's facts when they are not yet on
    # record: once it is done, their case note cites this step's rules too.
    recorded_at: tuple[str, ...] = ()

    def done(self, request: RequestSnapshot) -> bool:
        """Done by an action, or by its facts being on record."""
        return self.code in request.completed_steps or (
            self.done_when is not None and self.done_when(request))


@dataclass(frozen=True, slots=True)
class Unmet:
    rule_id: str
    message: str


@dataclass(frozen=True, slots=True)
class GateResult:
    action: str
    unmet: tuple[Unmet, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.unmet

    def __bool__(self) -> bool:
        return not self.unmet

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(u.rule_id for u in self.unmet))

    @property
    def explanation(self) -> str:
        if not self.unmet:
            return f"Nothing stops '{self.action}'."
        return "; ".join(f"{u.rule_id}: {u.message}" for u in self.unmet)


@dataclass(frozen=True, slots=True)
class WhoMay:
    """Who may take an action: any holder of one of ``roles``, or one of ``person_ids``.

    ``person_ids`` narrows further when not empty and ``roles_suffice`` is False (e.g. NOTTS-2:
    only the CSM who approved the sharing may approve hard copies).
    """

    action: str
    roles: frozenset[str]
    rule_ids: tuple[str, ...]
    explanation: str
    person_ids: frozenset[int | str] = frozenset()
    roles_suffice: bool = True
    supervisors_of: frozenset[int | str] = frozenset()  # anyone supervising these people
    excluded_ids: frozenset[int | str] = frozenset()  # never these people (who asked a check)
    excluded_why: str = ""

    def allows(self, actor: ActorSnapshot | None) -> bool:
        if actor is None:
            return False
        if actor.id in self.excluded_ids:
            return False
        if actor.id in self.person_ids:
            return True
        if self.supervisors_of and not self.supervisors_of.isdisjoint(actor.supervisee_ids):
            return True
        return self.roles_suffice and not self.roles.isdisjoint(actor.roles)


@dataclass(frozen=True, slots=True)
class DueDate:
    label: str
    due: date
    rule_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Deadline:
    start: date
    due: date
    unit: str  # "working_days" | "calendar_days" | "calendar_month"
    amount: int
    rule_ids: tuple[str, ...]
    explanation: str
    skipped_bank_holidays: tuple[tuple[date, str], ...] = ()
    paused_days: int = 0
    extension_days: int = 0
    also: tuple[DueDate, ...] = ()  # other dates to show (e.g. BH-7 policy vs statute)
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class RedactionSuggestion:
    category: str  # placement_address, adopter, informant, third_party, restriction, ...
    target: str  # the text to look for, when known
    reason: str
    rule_ids: tuple[str, ...]
    document_id: int | str | None = None
