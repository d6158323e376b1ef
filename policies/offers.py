"""How a council policy answers the catalogue of actions (``CouncilPolicy.offers``).

Before anyone fills in a form, a step is shown with every condition that stops it *now*. The
conditions its own form will settle (the decision's reasons, the send method, CAMDEN-2's
parents told …) are not blockers yet: the page asks for them. So the offer is worked out on a
copy of the snapshot in which the form's facts are taken as given ("as if answered"); every
gate still unmet there is a real blocker, shown with its rule ID. Which facts a form collects
is found the same way: a fact belongs on the form when answering it clears an unmet condition
of that step's gates. After the form is posted the services ask again, on the snapshot with the
answers actually given, so what was shown enabled and what is enforced are one computation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from policies.base import (
    Action,
    ActorSnapshot,
    DocumentConsent,
    HardCopyRequest,
    RequestSnapshot,
    SendDetails,
    SharingDecision,
    Unmet,
)
from policies.catalogue import SPECS, STEP_BOUND, Check, Fact, Offer, Transition

if TYPE_CHECKING:  # pragma: no cover
    from policies.common import CouncilPolicy

T = Transition
# Facts a worker records when they arise; the order is the order the form asks them in.
RECORDABLE: tuple[str, ...] = (
    Fact.NECESSITY,
    Fact.PUBLIC_INTEREST,
    Fact.FAMILY_WISHES,
    Fact.PR_PERMISSIONS,
    Fact.MEETING,
    Fact.PARENTS_TOLD,
    Fact.IDENTITY_REVERIFIED,
    Fact.SUBJECT_INFORMED,
    Fact.THIRD_PARTY_REDACTED,
    Fact.FAMILY_TOLD_AFTER,
    Fact.DELETION,
)
# Steps whose gates "Record what the rules need" looks ahead to.
AHEAD = (Action.DECIDE, Action.CSM_DECISION, Action.DISCLOSE, Action.SEND, Action.CLOSE)
ANSWERED = "(answered on the form)"


def answered(fact: str, request: RequestSnapshot) -> RequestSnapshot:
    """The snapshot as if ``fact`` had been answered the way its gates ask: the very same
    object when the answer changes nothing (a request page asks this of every fact for every
    offer, and copying the snapshot each time was most of the offers' cost)."""
    changes = _answers(fact, request)
    if all(getattr(request, name) == value for name, value in changes.items()):
        return request
    return replace(request, **changes)


def _answers(fact: str, request: RequestSnapshot) -> dict:
    """The snapshot's fields as ``fact``'s answer sets them."""
    if fact == Fact.NECESSITY:
        return {"necessity_note": request.necessity_note or ANSWERED}
    if fact == Fact.PUBLIC_INTEREST:
        return {"public_interest_justification": (
            request.public_interest_justification or ANSWERED)}
    if fact == Fact.FAMILY_WISHES:
        return {"family_wishes_acknowledged": True}
    if fact == Fact.PR_PERMISSIONS:
        names = frozenset(n for c in request.subjects for n in c.parental_responsibility)
        return {"pr_permissions": names, "child_permission": True}
    if fact == Fact.MEETING:
        return {"minutes_signed_by_chair": True, "requester_attended_or_invited": True,
                "chair_agreed": True}
    if fact == Fact.PARENTS_TOLD:
        return {"parents_informed": True}
    if fact == Fact.IDENTITY_REVERIFIED:
        return {"identity_reverified_by_worker": True}
    if fact == Fact.SUBJECT_INFORMED:
        return {"subject_informed": True}
    if fact == Fact.THIRD_PARTY_REDACTED:
        if not any(confirmable(d) for d in request.documents):
            return {}
        return {"documents": tuple(replace(d, redacted=True) if confirmable(d) else d
                                   for d in request.documents)}
    if fact == Fact.FAMILY_TOLD_AFTER:
        return {"family_informed_after_sharing": True}
    if fact == Fact.DELETION:
        return {"deletion_acknowledged": True}
    return {}


def confirmable(doc) -> bool:
    """A third-party document without consent whose redactions someone may confirm cover
    everything the author's consent would (ALL-5): there must be redactions to confirm."""
    return (doc.is_third_party and not doc.redacted and doc.redaction_count > 0
            and doc.consent_status != DocumentConsent.GRANTED)


def proposed(spec, request: RequestSnapshot, actor: ActorSnapshot | None,
             methods: tuple[str, ...], sends: bool = False,
             approver_id=None) -> RequestSnapshot:
    """The decision, send or list the form will propose, as the gates should see it."""
    actor_id = actor.id if actor else None
    if spec.completes:
        request = replace(request, completed_steps=request.completed_steps | set(spec.completes))
    if spec.decision is not None:
        request = replace(request, sharing_decision=SharingDecision(
            actor_id, shared=spec.decision, reason=ANSWERED, decided_at=datetime.now(UTC)))
    if sends:
        request = replace(request, send=SendDetails(
            method=methods[0] if methods else "", address_confirmed=True, sender_id=actor_id,
            second_checker_id=request.pack_second_checker_id, address=ANSWERED))
    if Fact.HARD_COPY_ITEMS in spec.facts:
        request = replace(request, hard_copy_request=HardCopyRequest(
            items=(ANSWERED,), approver_id=approver_id))
    return request


def _unmet(policy: CouncilPolicy, steps: Iterable[str], request: RequestSnapshot,
           actor: ActorSnapshot | None) -> tuple[Unmet, ...]:
    out: list[Unmet] = []
    for step in steps:
        for gate in policy.gates.get(step, ()):
            for u in gate(request, actor):
                if u not in out:
                    out.append(u)
    return tuple(out)


def mine(policy: CouncilPolicy, step: str, request: RequestSnapshot,
         actor: ActorSnapshot | None) -> bool:
    """Is this step the kind of job this person does (so they see it, enabled or not)?"""
    if actor is None:
        return False
    who = policy.who_may(step, request)
    return (not who.roles.isdisjoint(actor.roles) or actor.id in who.person_ids
            or (bool(who.supervisors_of) and not who.supervisors_of.isdisjoint(
                actor.supervisee_ids)))


def offer(policy: CouncilPolicy, name: str, request: RequestSnapshot,
          actor: ActorSnapshot | None, *, preview: bool = True,
          steps: frozenset[str] | None = None) -> Offer | None:
    """The catalogue's answer for one transition, or None where the council has no such step.

    ``preview``: before the form (facts taken as answered). Without it, ``request`` carries
    the answers actually given and the proposal being made.
    """
    spec = SPECS[name]
    if steps is None:
        steps = frozenset(s.code for s in policy.steps(request))
    bound = STEP_BOUND.get(name)
    if bound is not None and bound not in steps:
        return None
    step, gate_steps = policy.step_of(name, request), policy.gate_steps(name, request)
    checks: tuple[Check, ...] = ()
    check: Check | None = None
    if name == T.SUBMIT_FOR_CHECK:
        checks = tuple(c for c in policy.checks(request)
                       if c.step not in request.completed_steps)
        if not checks:
            return None
    if name == T.COMPLETE_CHECK:
        check = next((c for c in policy.checks(request) if c.step == request.pending_check),
                     None)
        if check is None:
            return None
    who = policy.who_may(step, request)
    # A step that sends (or records a disclosure) offers the methods this council allows; a
    # disclosure that is the council's send step (DEVON-5) is proposed like a send.
    sends = spec.sends or step == Action.SEND
    methods = policy.send_methods(step, request) if sends or name == T.DISCLOSE else ()
    facts = list(spec.facts)
    if name == T.RECORD_FACTS:
        # Only the steps this person takes: a CSM is not asked the worker's facts.
        gate_steps = tuple(s for s in AHEAD if policy.who_may(s, request).allows(actor))
    approver = None
    if Fact.HARD_COPY_ITEMS in spec.facts:  # the list goes to the person the policy names
        named = policy.who_may(Action.APPROVE_HARD_COPIES, request).person_ids
        approver = next(iter(named)) if len(named) == 1 else None
    base = proposed(spec, request, actor, methods, sends, approver) if preview else request
    unmet = _unmet(policy, gate_steps, base, actor)
    fact_rules: list[str] = []
    if preview:
        asked = {ask.code: ask.rule_ids for ask in policy.ask_facts(name, request)}
        for fact in RECORDABLE:
            if fact not in asked and not unmet:
                continue  # nothing left to clear: answering it cannot make it asked
            after = answered(fact, base)
            if after is base and fact not in asked:  # the same object when nothing changed
                continue
            cleared = _unmet(policy, gate_steps, after, actor)
            if fact in asked or len(cleared) < len(unmet):
                facts.append(fact)
                fact_rules += [*asked.get(fact, ()), *(u.rule_id for u in unmet
                                                       if u not in cleared)]
                base, unmet = after, cleared
    if name == T.RECORD_FACTS:
        if preview and not facts:
            return None
        unmet = ()  # recording a fact is never blocked by the steps it prepares for
    if not who.allows(actor):
        why = who.excluded_why if actor is not None and actor.id in who.excluded_ids else (
            who.explanation)
        unmet = (Unmet(who.rule_ids[0], why), *unmet)
    return Offer(
        transition=name,
        step=step,
        label=policy.label(name, request),
        unmet=unmet,
        facts=tuple(facts),
        note_rule_ids=policy.note_rule_ids(name, request, steps),
        mine=mine(policy, step, request, actor),
        checks=checks,
        check=check,
        methods=methods,
        primary=spec.primary,
        warning=spec.warning,
        fact_rule_ids=tuple(dict.fromkeys(fact_rules)),
    )


def offers(policy: CouncilPolicy, request: RequestSnapshot, actor: ActorSnapshot | None,
           transitions: Iterable[str], *, mine_only: bool = False) -> tuple[Offer, ...]:
    """Every transition's offer. ``mine_only``: only the steps that are this person's kind of
    job (`Offer.mine`), decided before their gates and facts are worked out: the request page
    shows no others, and working out the rest was most of the policy's cost per page."""
    steps = frozenset(s.code for s in policy.steps(request))
    out = []
    for name in transitions:
        if mine_only and not mine(policy, policy.step_of(name, request), request, actor):
            continue
        found = offer(policy, name, request, actor, steps=steps)
        if found is not None:
            out.append(found)
    return tuple(out)
