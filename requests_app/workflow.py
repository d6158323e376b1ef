"""The request's state machine: the one vocabulary of states and the verb-named transitions.

A transition only changes memory. Services (`requests_app.services`) make it real: they check
access and the council's gates, take the transition, save, and write the case note and audit
event in one transaction. Conditions here are side-effect-free facts about the request;
the permission of each transition asks `access.may_take`, which asks the council policy who
may take that step (`policies/<council>.py`, `who_may`).
"""

from __future__ import annotations

from django.db import models
from django_fsm import RETURN_VALUE, transition


class RequestState(models.TextChoices):
    RECEIVED = "received", "Received – awaiting triage"
    AWAITING_DECISION = "awaiting_decision", "Awaiting CSM decision"
    AWAITING_ALLOCATION = "awaiting_allocation", "Awaiting allocation"
    WITH_WORKER = "with_worker", "With the practitioner"
    AWAITING_CHECKS = "awaiting_checks", "Awaiting a check before release"
    DISCLOSED = "disclosed", "Information provided"
    HARD_COPIES_REQUESTED = "hard_copies_requested", "Hard copies awaiting CSM approval"
    HARD_COPIES_APPROVED = "hard_copies_approved", "Hard copies approved – to send"
    REFUSED = "refused", "Refused"
    REFUSED_AT_TRIAGE = "refused_at_triage", "Refused at triage"
    REFERRED_OUT = "referred_out", "Referred elsewhere"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED = "closed", "Closed"


S = RequestState
OPEN_STATES = frozenset(
    {S.RECEIVED, S.AWAITING_DECISION, S.AWAITING_ALLOCATION, S.WITH_WORKER, S.AWAITING_CHECKS,
     S.DISCLOSED, S.HARD_COPIES_REQUESTED, S.HARD_COPIES_APPROVED}
)
# Each state's family, for the colour of its tag (GOV.UK tag colours, see
# templatetags/request_tags.py): new, with someone who decides, being worked on, done
# (sent or closed), ended without sending, refused. A paused clock is its own family.
STATE_FAMILY = {
    S.RECEIVED: "new",
    S.AWAITING_DECISION: "decision",
    S.AWAITING_ALLOCATION: "decision",
    S.HARD_COPIES_REQUESTED: "decision",
    S.WITH_WORKER: "in_progress",
    S.AWAITING_CHECKS: "in_progress",
    S.HARD_COPIES_APPROVED: "in_progress",
    S.DISCLOSED: "done",
    S.CLOSED: "done",
    S.REFERRED_OUT: "ended",
    S.WITHDRAWN: "ended",
    S.REFUSED: "refused",
    S.REFUSED_AT_TRIAGE: "refused",
}
CLOSABLE = [S.DISCLOSED, S.REFUSED, S.REFUSED_AT_TRIAGE, S.REFERRED_OUT]
WORKING = [S.WITH_WORKER, S.AWAITING_CHECKS, S.DISCLOSED, S.HARD_COPIES_REQUESTED,
           S.HARD_COPIES_APPROVED]

def _may(transition_name: str):
    def permission(instance, user) -> bool:
        from requests_app import access  # access imports the models, which import this module

        return access.may_take(user, instance, transition_name)

    permission.__name__ = f"may_{transition_name}"
    return permission


# ---- conditions: named, side-effect free ------------------------------------------------


def _loaded(instance, name: str):
    """Rows a page already prefetched (the request page loads each relation once), or None."""
    cache = getattr(instance, "_prefetched_objects_cache", {})
    return list(cache[name]) if name in cache else None


def no_files_out(instance) -> bool:
    """Paper files retrieved for the request are back in storage (NOTTS-1.3)."""
    if (rows := _loaded(instance, "retrievals")) is not None:
        return not any(r.medium == "paper" and r.returned_at is None for r in rows)
    return not instance.retrievals.filter(medium="paper", returned_at__isnull=True).exists()


def clock_running(instance) -> bool:
    return not clock_paused(instance)


def clock_paused(instance) -> bool:
    if (rows := _loaded(instance, "pauses")) is not None:
        return any(p.ended_on is None for p in rows)
    return instance.pauses.filter(ended_on__isnull=True).exists()


def not_yet_extended(instance) -> bool:
    return instance.extension_days == 0


def retrieval_pending(instance) -> bool:
    if (rows := _loaded(instance, "retrievals")) is not None:
        return any(r.retrieved_at is None for r in rows)
    return instance.retrievals.filter(retrieved_at__isnull=True).exists()


def files_out(instance) -> bool:
    return not no_files_out(instance) and not retrieval_pending(instance)


def no_sharing_decision_yet(instance) -> bool:
    """A decision to share or not is recorded once; a change is a new request (ALL-2)."""
    if (rows := _loaded(instance, "decisions")) is not None:
        return not any(d.about == "sharing" for d in rows)
    return not instance.decisions.filter(about="sharing").exists()


def pack_finalised(instance) -> bool:
    """The latest pack version is finalised and not yet sent: it is what would go."""
    if (rows := _loaded(instance, "packs")) is not None:
        latest = max(rows, key=lambda pack: pack.version, default=None)
    else:
        latest = instance.packs.order_by("-version").first()
    return latest is not None and latest.status == "finalised"


def referred_inside(instance) -> bool:
    """The referral went to a team of this council (ALL-4 SAR team, NOTTS-0.1 …)."""
    return bool(instance.referred_team_id)


def has_worker(instance) -> bool:
    return instance.allocated_worker_id is not None


def has_paper_or_microfilm(instance) -> bool:
    if (rows := _loaded(instance, "subjects")) is not None:
        return any(case.on_paper or case.on_microfilm for case in rows)
    return instance.subjects.filter(models.Q(on_paper=True) | models.Q(on_microfilm=True)).exists()


class RequestWorkflow(models.Model):
    """Mixed into InformationRequest: every transition the request can take."""

    class Meta:
        abstract = True

    # ---- triage
    @transition(field="state", source=S.RECEIVED,
                target=RETURN_VALUE(S.AWAITING_DECISION, S.AWAITING_ALLOCATION, S.WITH_WORKER),
                permission=_may("route"))
    def route(self, next_state):
        return next_state

    @transition(field="state", source=S.RECEIVED, target=RETURN_VALUE(S.REFERRED_OUT, S.CLOSED),
                permission=_may("refer_out"))
    def refer_out(self, inside: bool):
        """ALL-4, NOTTS-0.1/0.2/6, DEVON-3.2 …: the request leaves this workflow. A referral
        to a team of this council waits in that team's queue; one outside is recorded and
        closed."""
        return S.REFERRED_OUT if inside else S.CLOSED

    @transition(field="state", source=S.RECEIVED, target=S.REFUSED_AT_TRIAGE,
                permission=_may("refuse_at_triage"))
    def refuse_at_triage(self):
        """NOTTS-0.7: printed or photocopied files are not sent."""

    # ---- the CSM's decision (NOTTS-1.2.1)
    @transition(field="state", source=S.AWAITING_DECISION,
                target=RETURN_VALUE(S.AWAITING_ALLOCATION, S.WITH_WORKER),
                permission=_may("approve"))
    def approve(self, next_state):
        return next_state

    @transition(field="state", source=S.AWAITING_DECISION, target=S.REFUSED,
                permission=_may("refuse"))
    def refuse(self):
        pass

    # ---- allocation by the team manager
    @transition(field="state", source=S.AWAITING_ALLOCATION, target=S.WITH_WORKER,
                permission=_may("allocate"))
    def allocate(self):
        pass

    # ---- the practitioner's own decision to share or not (ALL-2), where no CSM decides
    @transition(field="state", source=S.WITH_WORKER, target=None,
                conditions=[no_sharing_decision_yet], permission=_may("record_decision"))
    def record_decision(self):
        pass

    @transition(field="state", source=S.WITH_WORKER, target=S.REFUSED,
                conditions=[no_sharing_decision_yet], permission=_may("decline"))
    def decline(self):
        pass

    # ---- records retrieval (NOTTS-1.3)
    @transition(field="state", source=S.WITH_WORKER, target=None,
                conditions=[has_paper_or_microfilm], permission=_may("request_retrieval"))
    def request_retrieval(self):
        pass

    @transition(field="state", source=WORKING, target=None,
                conditions=[retrieval_pending], permission=_may("mark_retrieved"))
    def mark_retrieved(self):
        pass

    @transition(field="state", source=sorted(set(WORKING + CLOSABLE)), target=None,
                conditions=[files_out], permission=_may("return_files"))
    def return_files(self):
        pass

    # ---- checks by another team before release (DEVON-5 IG, CAMDEN-9 Legal, BH-8 second check)
    @transition(field="state", source=S.WITH_WORKER, target=S.AWAITING_CHECKS,
                permission=_may("submit_for_check"))
    def submit_for_check(self):
        pass

    @transition(field="state", source=S.AWAITING_CHECKS, target=S.WITH_WORKER,
                permission=_may("complete_check"))
    def complete_check(self):
        pass

    # ---- disclosure (NOTTS-1.2.2, ALL-3)
    @transition(field="state", source=S.WITH_WORKER, target=S.DISCLOSED,
                permission=_may("disclose"))
    def disclose(self):
        pass

    # ---- disclosure packs: business support redacts and sends what was approved
    @transition(field="state", source=S.WITH_WORKER, target=None,
                permission=_may("ask_for_pack"))
    def ask_for_pack(self):
        pass

    @transition(field="state", source=[S.WITH_WORKER, S.HARD_COPIES_APPROVED], target=S.DISCLOSED,
                conditions=[pack_finalised], permission=_may("send_pack"))
    def send_pack(self):
        pass

    # ---- hard copies (NOTTS-2)
    @transition(field="state", source=S.DISCLOSED, target=S.HARD_COPIES_REQUESTED,
                permission=_may("request_hard_copies"))
    def request_hard_copies(self):
        pass

    @transition(field="state", source=S.HARD_COPIES_REQUESTED, target=S.HARD_COPIES_APPROVED,
                permission=_may("approve_hard_copies"))
    def approve_hard_copies(self):
        pass

    @transition(field="state", source=S.HARD_COPIES_REQUESTED, target=S.DISCLOSED,
                permission=_may("refuse_hard_copies"))
    def refuse_hard_copies(self):
        pass

    @transition(field="state", source=S.HARD_COPIES_APPROVED, target=S.DISCLOSED,
                permission=_may("send_hard_copies"))
    def send_hard_copies(self):
        pass

    # ---- the clock
    @transition(field="state", source=list(OPEN_STATES), target=None,
                conditions=[clock_running], permission=_may("pause"))
    def pause(self):
        pass

    @transition(field="state", source=list(OPEN_STATES), target=None,
                conditions=[clock_paused], permission=_may("resume"))
    def resume(self):
        pass

    # Extending twice is refused by the council's gate (with its rule ID), not hidden here.
    @transition(field="state", source=list(OPEN_STATES), target=None,
                permission=_may("extend"))
    def extend(self):
        pass

    # ---- ending
    # Files still out stop these through the council's gate (NOTTS-1.3), shown with the reason.
    @transition(field="state", source=list(OPEN_STATES), target=S.WITHDRAWN,
                permission=_may("withdraw"))
    def withdraw(self):
        pass

    @transition(field="state", source=CLOSABLE, target=S.CLOSED, permission=_may("close"))
    def close(self):
        pass

    # ---- a referral inside the council lands with that team, who take it on (ALL-4 …)
    @transition(field="state", source=S.REFERRED_OUT, target=S.CLOSED,
                conditions=[referred_inside], permission=_may("accept_referral"))
    def accept_referral(self):
        pass

    # ---- corrections and reassignment: never overwrites (ALL-2, BH-11)
    @transition(field="state", source=list(OPEN_STATES), target=None,
                permission=_may("correct"))
    def correct(self):
        pass

    @transition(field="state", source=[S.AWAITING_DECISION, S.AWAITING_ALLOCATION, S.WITH_WORKER,
                                       S.AWAITING_CHECKS, S.DISCLOSED],
                target=None, permission=_may("record_facts"))
    def record_facts(self):
        pass

    @transition(field="state", source=WORKING, target=None,
                conditions=[has_worker], permission=_may("reallocate"))
    def reallocate(self):
        pass

    @transition(field="state", source=[S.AWAITING_DECISION, S.AWAITING_ALLOCATION, S.WITH_WORKER],
                target=None, permission=_may("override_route"))
    def override_route(self):
        pass
