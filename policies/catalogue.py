"""The catalogue of actions: what a council's policy answers about the next steps.

For a request snapshot and a person, ``CouncilPolicy.offers`` lists the steps open now. Each
``Offer`` says which workflow transition it takes, whether this person may take it, every unmet
condition (rule ID and sentence), the facts its form must collect, the check and the team that
completes it, the send methods allowed, and the rule IDs its case note cites. The request page,
the action view, the forms, the services and the case notes all read that one answer; nothing
outside ``policies/`` decides a rule ID, a team kind or a council's step.

Pure Python like the rest of ``policies/``: the transitions are named here (the vocabulary);
``requests_app/workflow.py`` implements them as django-fsm transitions, which stay the coarse
guard on states.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from policies.base import Action, Role, TeamKind, Unmet


class Transition(StrEnum):
    """Every workflow transition, by name (the FSM methods of ``RequestWorkflow``)."""

    ROUTE = "route"
    REFER_OUT = "refer_out"
    REFUSE_AT_TRIAGE = "refuse_at_triage"
    APPROVE = "approve"
    REFUSE = "refuse"
    ALLOCATE = "allocate"
    REALLOCATE = "reallocate"
    OVERRIDE_ROUTE = "override_route"
    RECORD_DECISION = "record_decision"
    DECLINE = "decline"
    RECORD_FACTS = "record_facts"
    REQUEST_RETRIEVAL = "request_retrieval"
    MARK_RETRIEVED = "mark_retrieved"
    RETURN_FILES = "return_files"
    SUBMIT_FOR_CHECK = "submit_for_check"
    COMPLETE_CHECK = "complete_check"
    DISCLOSE = "disclose"
    ASK_FOR_PACK = "ask_for_pack"
    SEND_PACK = "send_pack"
    REQUEST_HARD_COPIES = "request_hard_copies"
    APPROVE_HARD_COPIES = "approve_hard_copies"
    REFUSE_HARD_COPIES = "refuse_hard_copies"
    SEND_HARD_COPIES = "send_hard_copies"
    PAUSE = "pause"
    RESUME = "resume"
    EXTEND = "extend"
    WITHDRAW = "withdraw"
    CLOSE = "close"
    CORRECT = "correct"
    ACCEPT_REFERRAL = "accept_referral"


TRIAGE_TRANSITIONS = frozenset(
    {Transition.ROUTE, Transition.REFER_OUT, Transition.REFUSE_AT_TRIAGE}
)


class Fact(StrEnum):
    """Facts a step's form collects, because a gate of that step reads them.

    The form system maps each to its fields; the services write them before the gates run.
    """

    REASONS = "reasons"  # ALL-2: the decision's reasons
    REQUESTER_INFORMED = "requester_informed"  # NOTTS-1.2.1 / ALL-2 refusal told
    NECESSITY = "necessity"  # CAMDEN-3
    PARENTS_TOLD = "parents_told"  # CAMDEN-2 (a)–(d) / CAMDEN-10 (a)–(c)
    FAMILY_WISHES = "family_wishes"  # BH-4
    PUBLIC_INTEREST = "public_interest"  # NOTTS-5 / BH-3
    SUBJECT_INFORMED = "subject_informed"  # BH-6
    PR_PERMISSIONS = "pr_permissions"  # DEVON-2.1: each person with PR, the child, court order
    MEETING = "meeting"  # DEVON-3 / 3.1 / 7
    IDENTITY_REVERIFIED = "identity_reverified"  # NOTTS-1.2.2
    THIRD_PARTY_REDACTED = "third_party_redacted"  # ALL-5 / CAMDEN-9 / BH-5: per document
    FAMILY_TOLD_AFTER = "family_told_after"  # CAMDEN-7
    DELETION = "deletion"  # BH-10
    WORKER = "worker"
    CHECK = "check"
    SEND = "send"  # method, address, address confirmed (ALL-6, BH-8, NOTTS-2)
    HARD_COPY_ITEMS = "hard_copy_items"  # NOTTS-2


class DocumentFact(StrEnum):
    """Facts about one document that a council's rules ask on its author and consent page."""

    PROVIDER = "provider"  # what a third party gave, and any restriction on its further use
    INFORMANT = "informant"  # the informant's information concerns child protection


@dataclass(frozen=True, slots=True)
class DocumentAsk:
    """One document fact a council asks, and the rules that ask it (shown as the hint)."""

    code: str
    rule_ids: tuple[str, ...]


class IntakeFact(StrEnum):
    """Questions the front door may be asked when logging a request (each council's own)."""

    WORKING_WITH_SUBJECT = "working_with_subject"
    SPECIFIC_INFORMATION = "specific_information"
    LARGE_VOLUME = "large_volume"
    PRINTED_FILES = "asks_for_printed_files"
    LAWFUL_BASIS = "lawful_basis"
    PUBLIC_INTEREST = "public_interest_justification"
    NECESSITY = "necessity_note"
    PARENTS_INFORMED = "parents_informed"
    CRIMINAL_INVESTIGATION = "criminal_investigation"
    GUARDIAN_APPOINTED = "childrens_guardian_appointed"
    COURT_ORDER = "court_order"
    IDENTITY_VERIFIED = "identity_verified"
    RECEIVED_BY_TEAM = "received_by_team"


# One question a council asks, and the rules that ask it (shown as its hint).
Ask = DocumentAsk


class Code(StrEnum):
    """Typed reasons an offer is not open, beside the policy's own gate results."""

    NOT_YOURS = "not_yours"  # who_may refuses this person
    GATE = "gate"  # a council gate is unmet


@dataclass(frozen=True, slots=True)
class Check:
    """A check another team makes before release (DEVON-5 IG, CAMDEN-9 Legal Services)."""

    step: str  # Action code, recorded as done when the check is complete
    team_kind: str
    roles: frozenset[str]
    label: str
    rule_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Offer:
    """One step open now, for one person: enabled, or with every reason it is not."""

    transition: str
    step: str
    label: str
    unmet: tuple[Unmet, ...] = ()
    facts: tuple[str, ...] = ()
    note_rule_ids: tuple[str, ...] = ()
    mine: bool = True  # the person's kind of job (else an onlooker: no button at all)
    checks: tuple[Check, ...] = ()  # submit_for_check: the checks that may be asked for
    check: Check | None = None  # complete_check: the pending check
    methods: tuple[str, ...] = ()  # send steps: methods the council allows
    primary: bool = False  # the main next job (the button at the top)
    warning: bool = False
    fact_rule_ids: tuple[str, ...] = ()  # the rules the form's facts answer


    @property
    def enabled(self) -> bool:
        return not self.unmet

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every unmet condition, rule ID first, each once."""
        return tuple(dict.fromkeys(f"{u.rule_id}: {u.message}" for u in self.unmet))


@dataclass(frozen=True, slots=True)
class TransitionSpec:
    """What every council's version of a transition shares."""

    step: str  # the policy step "who may" is asked about
    label: str
    gates: tuple[str, ...] = ()  # policy steps whose gates must pass
    facts: tuple[str, ...] = ()  # facts every council's form collects
    decision: bool | None = None  # proposes a sharing decision (True: to share)
    sends: bool = False  # proposes send details
    primary: bool = False
    warning: bool = False
    completes: tuple[str, ...] = ()  # steps the service itself marks done before the gates


T = Transition
SPECS: dict[str, TransitionSpec] = {
    T.ROUTE: TransitionSpec(Action.FORWARD, "Forward", (Action.TRIAGE, Action.FORWARD),
                            completes=(Action.TRIAGE_CASE_NOTE,)),
    T.REFER_OUT: TransitionSpec(Action.FORWARD, "Refer"),
    T.REFUSE_AT_TRIAGE: TransitionSpec(Action.TRIAGE, "Refuse at triage"),
    T.APPROVE: TransitionSpec(Action.CSM_DECISION, "Approve sharing", (Action.CSM_DECISION,),
                              (Fact.REASONS,), decision=True, primary=True),
    T.REFUSE: TransitionSpec(Action.CSM_DECISION, "Refuse", (Action.CSM_DECISION,),
                             (Fact.REASONS, Fact.REQUESTER_INFORMED), decision=False,
                             warning=True),
    T.ALLOCATE: TransitionSpec(Action.ALLOCATE, "Allocate a worker", (Action.ALLOCATE,),
                               (Fact.WORKER,), primary=True),
    T.REALLOCATE: TransitionSpec(Action.REALLOCATE, "Reallocate", (), (Fact.WORKER,)),
    T.OVERRIDE_ROUTE: TransitionSpec(Action.OVERRIDE_ROUTE, "Change who has it"),
    T.RECORD_DECISION: TransitionSpec(Action.DECIDE, "Record decision to share",
                                      (Action.DECIDE,), (Fact.REASONS,), decision=True,
                                      primary=True),
    T.DECLINE: TransitionSpec(Action.DECIDE, "Decide not to share", (Action.DECIDE,),
                              (Fact.REASONS, Fact.REQUESTER_INFORMED), decision=False,
                              warning=True),
    T.RECORD_FACTS: TransitionSpec(Action.RECORD_FACTS, "Record what the rules need"),
    T.REQUEST_RETRIEVAL: TransitionSpec(Action.RETRIEVE_RECORDS, "Request records retrieval"),
    T.MARK_RETRIEVED: TransitionSpec(Action.RETURN_RECORDS, "Records retrieved", primary=True),
    T.RETURN_FILES: TransitionSpec(Action.RETURN_RECORDS, "Return paper files to storage",
                                   primary=True),
    T.SUBMIT_FOR_CHECK: TransitionSpec(Action.REQUEST_CHECK, "Send for a check", (),
                                       (Fact.CHECK,)),
    T.COMPLETE_CHECK: TransitionSpec(Action.IG_CHECK, "Check done", primary=True),
    T.DISCLOSE: TransitionSpec(Action.DISCLOSE, "Record disclosure", (Action.DISCLOSE,),
                               primary=True),
    T.ASK_FOR_PACK: TransitionSpec(Action.DISCLOSE, "Ask business support to prepare the pack",
                                   (Action.ASK_FOR_PACK,)),
    T.SEND_PACK: TransitionSpec(Action.SEND, "Send the pack", (Action.SEND,), (Fact.SEND,),
                                sends=True, primary=True),
    T.REQUEST_HARD_COPIES: TransitionSpec(Action.REQUEST_HARD_COPIES, "Ask for hard copies",
                                          (Action.REQUEST_HARD_COPIES,),
                                          (Fact.HARD_COPY_ITEMS,)),
    T.APPROVE_HARD_COPIES: TransitionSpec(Action.APPROVE_HARD_COPIES, "Approve hard copies",
                                          (Action.APPROVE_HARD_COPIES,), (Fact.REASONS,),
                                          primary=True),
    T.REFUSE_HARD_COPIES: TransitionSpec(Action.APPROVE_HARD_COPIES, "Refuse hard copies",
                                         (), (Fact.REASONS,), warning=True),
    T.SEND_HARD_COPIES: TransitionSpec(Action.PRODUCE_HARD_COPIES, "Send hard copies",
                                       (Action.SEND,), (Fact.SEND,), sends=True, primary=True),
    T.PAUSE: TransitionSpec(Action.CLOCK, "Pause the clock"),
    T.RESUME: TransitionSpec(Action.CLOCK, "Restart the clock"),
    T.EXTEND: TransitionSpec(Action.EXTEND, "Extend the deadline", (Action.EXTEND,)),
    T.WITHDRAW: TransitionSpec(Action.WITHDRAW, "Withdraw", (Action.WITHDRAW,), warning=True),
    T.CLOSE: TransitionSpec(Action.CLOSE, "Close the request", (Action.CLOSE,), primary=True),
    T.CORRECT: TransitionSpec(Action.CORRECT, "Correct the request's details"),
    T.ACCEPT_REFERRAL: TransitionSpec(Action.ACCEPT_REFERRAL, "Take on this referral",
                                      primary=True),
}

# Transitions offered only where the council's own steps include their step (a Devon request
# is never offered Nottinghamshire's hard copies, NOTTS-2).
STEP_BOUND = {
    T.REQUEST_RETRIEVAL: Action.RETRIEVE_RECORDS,
    T.REQUEST_HARD_COPIES: Action.REQUEST_HARD_COPIES,
}

# Which role works in a team of each kind: a referral lands with that role (ALL-4, NOTTS-0.1 …).
TEAM_ROLES: dict[str, frozenset[str]] = {
    TeamKind.SAR: frozenset({Role.ACCESS_TO_INFORMATION_OFFICER}),
    TeamKind.ACCESS_TO_INFORMATION: frozenset({Role.ACCESS_TO_INFORMATION_OFFICER}),
    TeamKind.INFORMATION_GOVERNANCE: frozenset({Role.IG_OFFICER}),
    TeamKind.LEGAL_SERVICES: frozenset({Role.LEGAL}),
    TeamKind.SAFER_RECRUITMENT: frozenset({Role.SAFER_RECRUITMENT_OFFICER}),
    TeamKind.SUPPORT_TO_SCHOOLS: frozenset({Role.GROUP_MANAGER}),
    TeamKind.ADOPTION_RECORDS: frozenset({Role.TEAM_MANAGER, Role.ACCESS_TO_INFORMATION_OFFICER}),
    TeamKind.MASH: frozenset({Role.CSM, Role.TEAM_MANAGER}),
    TeamKind.BUSINESS_SUPPORT: frozenset({Role.BUSINESS_SUPPORT}),
}
