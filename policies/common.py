"""Rules common to every council (ALL-*) and the machinery each council policy shares.

A gate is a function ``(request, actor) -> list[Unmet]``; a council lists the gates of each
action in a table, and ``CouncilPolicy.check`` runs them all so the caller sees every unmet
condition at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from policies import deadlines
from policies.base import (
    Action,
    ActorSnapshot,
    AgencyType,
    Consent,
    Deadline,
    DocumentConsent,
    DueDate,
    GateResult,
    Note,
    RedactionSuggestion,
    RequestSnapshot,
    Role,
    Routing,
    SendMethod,
    Step,
    TeamRef,
    Unmet,
    WhoMay,
)
from policies.catalogue import (
    SPECS,
    TEAM_ROLES,
    Ask,
    Check,
    DocumentAsk,
    Offer,
    Transition,
)
from policies.intake import always as intake_always
from policies.offers import offer as offer_for
from policies.offers import offers as offers_for
from policies.redaction_suggestions import (  # noqa: F401  (the councils import them here)
    placement_redactions,
    third_party_redactions,
)
from policies.routing import (  # noqa: F401  (the councils import them from here)
    case_or_none,
    is_subject_access,
    refer_child_sex_offender_scheme,
    refer_subject_access,
    route_to_practitioner,
)
from policies.rules import enforces

Gate = Callable[[RequestSnapshot, ActorSnapshot | None], list[Unmet]]

SECURE_METHODS = frozenset(
    {SendMethod.SECURE_EMAIL, SendMethod.CRYPTSHARE, SendMethod.EGRESS, SendMethod.HAND_DELIVERY}
)
OWN_RECORDS_AGENCIES = frozenset({AgencyType.SUBJECT, AgencyType.PARENT, AgencyType.SOLICITOR})
FAMILY_AGENCIES = frozenset({AgencyType.SUBJECT, AgencyType.PARENT})
CONSENT_DONE = frozenset({Consent.OBTAINED, Consent.NOT_APPLICABLE})
PRACTITIONERS = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.CSM})
# Anyone a request can be with: the access layer still requires that it is with them.
NOTERS = frozenset(Role)

# What each role is called where a council's policy does not give its own name for it. The
# first point of contact is Nottinghamshire's SCIMT; other councils name their front door
# (CouncilPolicy.role_names), and the screens show the council's words.
ROLE_LABELS: dict[str, str] = {
    Role.SCIMT_OFFICER: "First point of contact",
    Role.SOCIAL_WORKER: "Social worker",
    Role.TEAM_MANAGER: "Team manager",
    Role.CSM: "Children's Service Manager",
    Role.BUSINESS_SUPPORT: "Business support officer",
    Role.IG_OFFICER: "Information governance officer",
    Role.SAFER_RECRUITMENT_OFFICER: "Safer recruitment officer",
    Role.LEGAL: "Legal Services",
    Role.GROUP_MANAGER: "Group manager",
    Role.ACCESS_TO_INFORMATION_OFFICER: "Access to Information officer",
}


# ------------------------------------------------------------------ helpers


def step(code: str, roles: frozenset[str], rule_ids: tuple[str, ...], text: str) -> Step:
    return Step(code, roles, rule_ids, text)


def who(name: str | None, team: TeamRef | None = None) -> str:
    if name:
        return name
    return f"the manager of {team.name}" if team else "the person named"


# ------------------------------------------------------------------ common gates


@enforces("ALL-1")
def gate_request_recorded(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """ALL-1: who asked, what, when, how, about whom, and the basis or consent evidence."""
    unmet = []
    r = request.requester
    if not r.name.strip():
        unmet.append(Unmet("ALL-1", "Enter the requester's name."))
    if not r.organisation.strip() and r.agency_type not in OWN_RECORDS_AGENCIES:
        unmet.append(Unmet("ALL-1", "Enter the requester's organisation."))
    if not (r.email.strip() or r.phone.strip()):
        unmet.append(Unmet("ALL-1", "Enter an email address or phone number for the requester."))
    if not request.what_is_asked.strip():
        unmet.append(Unmet("ALL-1", "Enter what information is asked for."))
    if not request.subjects:
        unmet.append(Unmet("ALL-1", "Add the child or person the request is about."))
    if request.consent == Consent.OBTAINED and not request.consent_evidence.strip():
        unmet.append(Unmet("ALL-1", "Record the evidence of consent (who gave it, when, how)."))
    if request.consent != Consent.OBTAINED and not (
        request.lawful_basis.strip() or request.public_interest_justification.strip()
    ):
        unmet.append(Unmet("ALL-1", "Record the lawful basis for sharing without consent."))
    return unmet


@enforces("ALL-2")
def gate_decision_recorded(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """ALL-2: the decision being recorded (passed in ``sharing_decision``) has a reason, a named
    decider who is the person acting, and a time. Corrections are new entries (see AMEND)."""
    d = request.sharing_decision
    if d is None:
        return [Unmet("ALL-2", "Record whether to share and why.")]
    unmet = []
    if not d.reason.strip():
        unmet.append(Unmet("ALL-2", "Give the reason for the decision."))
    if actor is not None and d.decided_by_id != actor.id:
        unmet.append(Unmet("ALL-2", "A decision is recorded in the name of the person making it."))
    if d.decided_at is None:
        unmet.append(Unmet("ALL-2", "Record when the decision was made."))
    return unmet


@enforces("ALL-2")
def gate_shared(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """ALL-2: nothing leaves before a recorded decision to share."""
    d = request.sharing_decision
    if d is None:
        return [Unmet("ALL-2", "No decision to share has been recorded.")]
    if not d.shared:
        return [Unmet("ALL-2", "The recorded decision was not to share.")]
    return []


@enforces("ALL-2", "BH-11")
def gate_never_amend(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """ALL-2 / BH-11: recorded decisions and entries are never edited; add a new entry."""
    return [
        Unmet(
            "ALL-2",
            "Recorded decisions cannot be changed. Add a new entry that corrects or adds to it.",
        )
    ]


@enforces("ALL-3")
def gate_case_noted(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """ALL-3: what left the council is case-noted on the subject's record before closing."""
    done = request.completed_steps
    if (Action.DISCLOSE in done or Action.SEND in done) and Action.CASE_NOTE not in done:
        return [
            Unmet(
                "ALL-3",
                "Add a case note on the child's record saying what was sent, to whom, when, how "
                "and on whose approval.",
            )
        ]
    return []


@enforces("ALL-5")
def gate_third_party_consent(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """ALL-5: third-party material needs its author's recorded consent, or it is redacted."""
    unmet = []
    for doc in request.documents:
        if doc.is_third_party and not doc.redacted:
            if doc.consent_status == DocumentConsent.REFUSED:
                unmet.append(
                    Unmet(
                        "ALL-5",
                        f"'{doc.title}': {doc.author or 'the author'} refused consent — "
                        "withhold it or redact it.",
                    )
                )
            elif doc.consent_status != DocumentConsent.GRANTED:
                unmet.append(
                    Unmet(
                        "ALL-5",
                        f"'{doc.title}': record {doc.author or 'the author'}'s consent before "
                        "releasing it, or redact it.",
                    )
                )
    return unmet


@enforces("ALL-6")
def gate_secure_send(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """ALL-6: only a secure method, to a confirmed address."""
    s = request.send
    if s is None:
        return [Unmet("ALL-6", "Choose how it will be sent and confirm the address.")]
    unmet = []
    if s.method not in SECURE_METHODS and s.method != SendMethod.POST:
        unmet.append(
            Unmet(
                "ALL-6",
                "Send by secure email, Cryptshare, Egress or hand delivery, not ordinary email.",
            )
        )
    if not s.address_confirmed:
        unmet.append(Unmet("ALL-6", "Confirm the recipient's address before sending."))
    return unmet


def gate_consent_or_public_interest(rule_id: str) -> Gate:
    """NOTTS-5 / BH-3: consent, or a recorded public-interest justification."""

    def gate(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
        if request.consent in CONSENT_DONE or request.public_interest_justification.strip():
            return []
        return [
            Unmet(
                rule_id,
                "There is no consent: record why the public interest (e.g. risk of significant "
                "harm) justifies sharing without it.",
            )
        ]

    gate.__qualname__ = f"gate_consent_or_public_interest[{rule_id}]"
    return enforces(rule_id)(gate)


def gate_one_extension(request: RequestSnapshot, actor: ActorSnapshot | None) -> list[Unmet]:
    """The deadline may be extended once (house rule where the guidance is silent)."""
    if request.clock.extensions_granted >= 1:
        return [Unmet("ALL-1", "The deadline has already been extended once.")]
    return []


# ------------------------------------------------------------------ the policy machinery


FIRST_CONTACT = frozenset({Role.SCIMT_OFFICER})
MANAGERS = frozenset({Role.TEAM_MANAGER, Role.CSM, Role.GROUP_MANAGER})
AUDIT_READERS = frozenset({Role.IG_OFFICER, Role.CSM, Role.GROUP_MANAGER})
REGISTER_READERS = AUDIT_READERS | {Role.ACCESS_TO_INFORMATION_OFFICER}
# Who reads the council's management reports: its managers, and information governance, who
# answer for the council's handling of requests. Practitioners and business support do not.
REPORT_READERS = MANAGERS | {Role.IG_OFFICER}
# Methods a worker may record for a disclosure they made themselves (a call is a disclosure too).
DISCLOSE_METHODS = (SendMethod.SECURE_EMAIL, SendMethod.CRYPTSHARE, SendMethod.EGRESS,
                    SendMethod.HAND_DELIVERY, SendMethod.TELEPHONE)
PACK_METHODS = (SendMethod.SECURE_EMAIL, SendMethod.CRYPTSHARE, SendMethod.EGRESS,
                SendMethod.HAND_DELIVERY, SendMethod.POST)


class CouncilPolicy:
    """What a council policy answers. Council modules subclass this and fill the tables.

    ``gates``: action → gate functions. ``roles``: action → (roles, rule_ids, explanation).
    ``practice_rule``: the council's rule for who does the practitioners' work (DEVON-0,
    NOTTS-1.1, CAMDEN-5, BH-1); the defaults below cite it.
    """

    council: str = ""
    name: str = ""
    sar_team_name: str = "subject access team"
    sar_contact: str = ""
    letter_words = None  # policies.letters.LetterWords: the council's words in its letters
    practice_rule: str = "ALL-2"
    # The council's own name for a role, where it differs from ROLE_LABELS.
    role_names: dict[str, str] = {}
    gates: dict[str, tuple[Gate, ...]] = {}
    roles: dict[str, tuple[frozenset[str], tuple[str, ...], str]] = {}

    # 1. routing -----------------------------------------------------------------------
    def route(self, request: RequestSnapshot) -> Routing:
        raise NotImplementedError

    def route_subjects(self, request: RequestSnapshot) -> tuple[Routing, ...]:
        """One routing per subject (a request about siblings may go to different teams)."""
        return tuple(self.route(replace(request, subjects=(c,))) for c in request.subjects)

    # 2. steps -------------------------------------------------------------------------
    def steps(self, request: RequestSnapshot) -> tuple[Step, ...]:
        raise NotImplementedError

    def done_steps(self, request: RequestSnapshot) -> frozenset[str]:
        """The steps done: those an action recorded (``completed_steps``) and those whose
        facts are on record, wherever they were answered (``Step.done_when``)."""
        return request.completed_steps | {s.code for s in self.steps(request) if s.done(request)}

    # 3. gates -------------------------------------------------------------------------
    def check(
        self, action: str, request: RequestSnapshot, actor: ActorSnapshot | None = None
    ) -> GateResult:
        """Every unmet condition for ``action`` (and whether ``actor`` may take it)."""
        unmet: list[Unmet] = []
        if actor is not None:
            allowed = self.who_may(action, request)
            if not allowed.allows(actor):
                unmet.append(
                    Unmet(allowed.rule_ids[0], f"You cannot do this: {allowed.explanation}")
                )
        for gate in self.gates.get(action, ()):
            unmet.extend(gate(request, actor))
        return GateResult(action, tuple(unmet))

    # 4. who may act -------------------------------------------------------------------
    def base_roles(self) -> dict[str, tuple[frozenset[str], tuple[str, ...], str]]:
        """Who does each step where the council's table is silent. Business support enables
        but never decides; information governance advises but never approves (DEVON-0 says
        so for Devon; every council's guidance keeps decisions with practitioners)."""
        rule = (self.practice_rule,)
        work = (PRACTITIONERS, rule, "The practitioner working on the request, or their manager.")
        ends = (PRACTITIONERS | FIRST_CONTACT, rule,
                "The person the request is with: the first point of contact before it is "
                "forwarded, the practitioner or their manager after.")
        return {
            Action.TRIAGE: (FIRST_CONTACT, ("ALL-1",),
                            "The first point of contact records and triages requests."),
            Action.TRIAGE_CASE_NOTE: (FIRST_CONTACT, ("ALL-1",),
                                      "The first point of contact adds the triage note."),
            Action.FORWARD: (FIRST_CONTACT, ("ALL-1",),
                             "The first point of contact forwards requests."),
            Action.CSM_DECISION: (frozenset({Role.CSM}), ("ALL-2",),
                                  "A Children's Service Manager decides."),
            Action.ALLOCATE: (frozenset({Role.TEAM_MANAGER}), rule,
                              "The team manager allocates the work."),
            Action.REALLOCATE: (frozenset({Role.TEAM_MANAGER}), rule,
                                "The team manager reallocates the work."),
            Action.OVERRIDE_ROUTE: (MANAGERS, rule, "A manager may send the request elsewhere, "
                                    "with the reason recorded."),
            Action.DECIDE: work,
            Action.RECORD_FACTS: work,
            Action.REQUEST_CHECK: work,
            Action.RETRIEVE_RECORDS: (frozenset({Role.SOCIAL_WORKER}), rule,
                                      "The social worker asks for records to be retrieved."),
            Action.RETURN_RECORDS: (frozenset({Role.BUSINESS_SUPPORT}), rule,
                                    "Business support retrieves and returns paper files."),
            Action.DISCLOSE: work,
            Action.REDACT: (PRACTITIONERS | {Role.BUSINESS_SUPPORT}, rule,
                            "The practitioner, or business support preparing the pack."),
            Action.SEND: (PRACTITIONERS | {Role.BUSINESS_SUPPORT}, ("ALL-6",),
                          "The practitioner, or business support on their instruction."),
            Action.REQUEST_HARD_COPIES: (frozenset({Role.SOCIAL_WORKER}), rule,
                                         "The social worker asks for hard copies."),
            Action.APPROVE_HARD_COPIES: (frozenset({Role.CSM}), rule, "A CSM approves copies."),
            Action.PRODUCE_HARD_COPIES: (frozenset({Role.BUSINESS_SUPPORT}), rule,
                                         "Business support produces and sends copies."),
            Action.CLOCK: ends,
            Action.EXTEND: ends,
            Action.WITHDRAW: ends,
            Action.CLOSE: ends,
            Action.CORRECT: (PRACTITIONERS | FIRST_CONTACT, ("ALL-2",),
                             "The person the request is with corrects its details, as a new "
                             "entry."),
            Action.CASE_NOTE: (NOTERS, ("ALL-3",), "Anyone working on the request."),
        }

    def who_may(self, action: str, request: RequestSnapshot) -> WhoMay:
        for check in self.checks(request):
            if action == check.step:
                asked = request.check_requested_by_id
                return WhoMay(
                    action, check.roles, check.rule_ids,
                    f"{check.label} is made by the checking team.",
                    excluded_ids=frozenset({asked}) if asked is not None else frozenset(),
                    excluded_why="You asked for this check: someone else in the checking "
                    "team must complete it.",
                )
        if action == Action.ACCEPT_REFERRAL:
            roles = TEAM_ROLES.get(request.referred_team_kind, frozenset())
            return WhoMay(action, roles, request.referral_rule_ids or ("ALL-4",),
                          "The team the request was referred to takes it on.")
        if action == Action.REDACT and request.pending_check:
            check = next((c for c in self.checks(request) if c.step == request.pending_check),
                         None)
            if check is not None:  # the checking team redacts (DEVON-5, CAMDEN-9)
                roles, ids, text = self._roles(action)
                return WhoMay(action, roles | check.roles, ids + check.rule_ids, text)
        roles, ids, text = self._roles(action)
        return WhoMay(action, roles, ids, text)

    def _roles(self, action: str) -> tuple[frozenset[str], tuple[str, ...], str]:
        found = self.roles.get(action) or self.base_roles().get(action)
        return found or (NOTERS, ("ALL-1",), "Staff working on the request.")

    def loggers(self) -> frozenset[str]:
        """Roles that log new requests."""
        return FIRST_CONTACT

    def report_readers(self) -> frozenset[str]:
        """Roles that may read the council-wide reports (issue 12): figures for the whole
        council and the reasons recorded for refusals and referrals."""
        return REPORT_READERS

    def may(self, action: str, request: RequestSnapshot, actor: ActorSnapshot) -> bool:
        return self.who_may(action, request).allows(actor)

    # 4b. the catalogue of actions (policies.offers) ---------------------------------------
    def offers(self, request: RequestSnapshot, actor: ActorSnapshot | None,
               transitions, *, mine_only: bool = False) -> tuple[Offer, ...]:
        """The steps open now for this person, each enabled or with every reason not
        (``mine_only``: only those that are their kind of job)."""
        return offers_for(self, request, actor, transitions, mine_only=mine_only)

    def offer(self, transition: str, request: RequestSnapshot, actor: ActorSnapshot | None,
              *, preview: bool = True) -> Offer | None:
        return offer_for(self, transition, request, actor, preview=preview)

    def step_of(self, transition: str, request: RequestSnapshot) -> str:
        """The policy step a transition takes on this request."""
        if transition == Transition.COMPLETE_CHECK and request.pending_check:
            return request.pending_check
        step = SPECS[transition].step
        if step == Action.DISCLOSE and transition == Transition.DISCLOSE:
            codes = {s.code for s in self.steps(request)}
            if Action.DISCLOSE not in codes and Action.SEND in codes:
                return Action.SEND  # DEVON-5: releasing a DBS response is Safer's send
        return step

    def gate_steps(self, transition: str, request: RequestSnapshot) -> tuple[str, ...]:
        if transition == Transition.COMPLETE_CHECK:
            return (request.pending_check,) if request.pending_check else ()
        if transition == Transition.SUBMIT_FOR_CHECK:
            # Ask for a check only once the checking team could complete it (DEVON-5: IG
            # checks what the social work team has collated), never into a dead end.
            return tuple(c.step for c in self.checks(request)
                         if c.step not in request.completed_steps)
        if transition == Transition.DISCLOSE:
            step = self.step_of(transition, request)
            return (Action.DISCLOSE,) if step == Action.DISCLOSE else (Action.DISCLOSE, step)
        if transition == Transition.SEND_PACK and request.state == "with_worker":
            # Released straight from the worker: the disclosure's conditions hold too.
            return (Action.DISCLOSE, Action.SEND)
        return SPECS[transition].gates

    def checks(self, request: RequestSnapshot) -> tuple[Check, ...]:
        """Checks another team makes before release, where this council's rules ask one."""
        return ()

    def send_methods(self, step: str, request: RequestSnapshot) -> tuple[str, ...]:
        return DISCLOSE_METHODS if step == Action.DISCLOSE else PACK_METHODS

    def pack_second_check(self, request: RequestSnapshot) -> tuple[str, ...]:
        """The rule IDs of a second check of a finalised pack by someone other than who
        prepared it, where this council's rules ask one (BH-8); empty where they do not."""
        return ()

    def ask_facts(self, transition: str, request: RequestSnapshot) -> tuple[Ask, ...]:
        """Facts a step's form always asks, even before a gate reads them, each with the
        rules that ask it (shown as the question's hint; e.g. BH-10)."""
        return ()

    def intake_facts(self, request_type: str = "", agency_type: str = "") -> tuple[Ask, ...]:
        """The questions the front door asks when logging a request of this type from this
        kind of requester (policies/intake.py): by default only what every request records
        (ALL-1). Councils add the questions their own rules read for that type; with no type
        chosen yet, only what they ask of every type."""
        return intake_always()

    def document_facts(self, request: RequestSnapshot) -> tuple[DocumentAsk, ...]:
        """Facts about a third-party document this council's rules ask on its author and
        consent page, beyond the author and their consent (ALL-5); none by default."""
        return ()

    def label(self, transition: str, request: RequestSnapshot) -> str:
        return SPECS[transition].label

    def note_rule_ids(self, transition: str, request: RequestSnapshot,
                      steps: frozenset[str] | None = None) -> tuple[str, ...]:
        """The rule IDs the case note of this step cites: the council's step; the steps whose
        facts this step's form records, once they are on record (CAMDEN-7 on the closing
        note, BH-6 on the disclosure); the questions its form always asks (BH-10); else who
        may take it. Plus ALL-2 for a decision and ALL-3 for anything that leaves the
        council."""
        step = self.step_of(transition, request)
        spec = SPECS[transition]
        ids: list[str] = []
        council_steps = self.steps(request)
        for s in council_steps:
            if s.code == step:
                ids += s.rule_ids
        for s in council_steps:
            if step in s.recorded_at and s.done(request):
                ids += s.rule_ids
        for ask in self.ask_facts(transition, request):
            ids += ask.rule_ids
        if not ids:
            ids += self.who_may(step, request).rule_ids
        if spec.decision is not None:
            ids.append("ALL-2")
        if step in (Action.DISCLOSE, Action.SEND, Action.PRODUCE_HARD_COPIES):
            ids.append("ALL-3")
        return tuple(dict.fromkeys(ids))

    # 5. deadlines ---------------------------------------------------------------------
    def deadline(self, request: RequestSnapshot, today: date | None = None) -> Deadline:
        if is_subject_access(request):
            return deadlines.subject_access_deadline(request, today)
        return deadlines.default_deadline(request, today)

    def due_dates(self, request: RequestSnapshot, today: date | None = None) -> tuple[DueDate, ...]:
        """The dates the request page shows side by side: the due date, then every other date
        the council's rules ask to be shown beside it (BH-7: the council's 40 days)."""
        d = self.deadline(request, today)
        return (DueDate(deadlines.due_label(d), d.due, d.rule_ids), *d.also)

    # 6. redaction ---------------------------------------------------------------------
    def redactions(self, request: RequestSnapshot) -> tuple[RedactionSuggestion, ...]:
        return tuple(third_party_redactions(request))

    def alerts(self, request: RequestSnapshot) -> tuple[Note, ...]:
        """Warnings every worker on the case sees (restrictions, family wishes)."""
        return ()

    # 7. governance: who reads the audit trail and a child's disclosure register -----------
    def audit_readers(self) -> frozenset[str]:
        """Roles that may read the council's audit trail and export it. The guidance is
        silent on who; a careful information-governance lead would say: information
        governance, who answer the ICO after an incident, and the managers who approve
        sharing and answer for their service (CSMs, group managers). Not practitioners:
        the trail shows every team's work and who looked at which child."""
        return AUDIT_READERS

    def register_readers(self) -> frozenset[str]:
        """Roles that may read a child's disclosure register: everything that left the
        council about them (ALL-3, MIRRA 10 "so that this can be traced in future"). The
        audit readers, and the access to information officers, who answer subject access
        requests, and a subject access answer says to whom the data was disclosed."""
        return REGISTER_READERS

    # 8. words -------------------------------------------------------------------------
    def role_label(self, role: str) -> str:
        """What this council calls the role (its front door is not "SCIMT" everywhere)."""
        return self.role_names.get(role) or ROLE_LABELS.get(role, role)

    # 9. letters to the requester (policies/letters.py) ------------------------------
    def letters(self, request: RequestSnapshot, today: date | None = None):
        """The letters the requester can be sent now, each with its text and rule IDs."""
        from policies.letters import letters

        return letters(self, request, today)
