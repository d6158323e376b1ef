"""What the request page says about where a request is: who has it, what happens next, and the
clock (running, paused since when and why, extended) with the dates the council's policy asks
to be shown side by side (BH-7). Presentation only: every fact comes from the request, its
snapshot and its council's policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from policies import deadlines
from policies.base import Action, DueDate, Role
from requests_app.workflow import RequestState


@dataclass(frozen=True)
class Clock:
    running: bool
    paused_since: date | None = None
    paused_why: str = ""
    paused_days: int = 0  # so far, in the deadline's unit (finished pauses and this one)
    extended_by: int = 0
    extension_reason: str = ""
    unit: str = "working days"  # what pauses and extensions are counted in
    days_left: int | None = None  # working days to the due date (negative: overdue)

    @property
    def overdue_by(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


@dataclass(frozen=True)
class Status:
    holder: str  # who has it now, as a sentence
    front_door: str  # what this council calls its first point of contact
    next_step: str  # what happens next, from the council's steps
    paused: bool
    clock: Clock | None
    due_dates: tuple[DueDate, ...]


def _holder(obj, policy, snapshot) -> str:
    if obj.state == RequestState.RECEIVED:
        return f"Waiting for triage ({policy.role_label(Role.SCIMT_OFFICER)})"
    if obj.state == RequestState.REFERRED_OUT:
        if obj.referred_team_id:
            return f"Referred to {obj.referred_team}"
        return "Referred outside the council"
    if not obj.is_open:
        when = f" on {obj.closed_at:%-d %B %Y}" if obj.closed_at else ""
        return f"{obj.get_state_display()}{when}"
    if obj.state == RequestState.HARD_COPIES_REQUESTED:
        # The page has read them all, with their approvers (views/requests.load_related).
        asked = max(obj.hard_copy_requests.all(), key=lambda hard: hard.pk, default=None)
        if asked and asked.approver:
            return f"With {asked.approver}, to approve or refuse the hard copies"
    if obj.state == RequestState.HARD_COPIES_APPROVED:
        who = policy.who_may(Action.PRODUCE_HARD_COPIES, snapshot)
        return "With " + ", ".join(sorted(policy.role_label(r) for r in who.roles)).lower()
    holder = obj.allocated_worker or obj.routed_to or obj.routed_team
    if obj.state in (RequestState.AWAITING_ALLOCATION, RequestState.AWAITING_DECISION):
        holder = obj.routed_to or obj.routed_team or obj.allocated_worker
    return f"With {holder}" if holder else "Not yet with anyone"


TRIAGE_STEPS = frozenset({Action.TRIAGE, Action.TRIAGE_CASE_NOTE, Action.FORWARD})


def _next_step(obj, steps, done, acted) -> str:
    if not obj.is_open:
        return "Nothing more happens on this request."
    if obj.state == RequestState.RECEIVED:
        # Not every council lists triage among its steps; until it is triaged, that is next.
        triage = [s for s in steps if s.code in TRIAGE_STEPS and s.code not in done]
        return (triage[0].explanation if triage
                else "Triage, then forward it where the council's rules route it.")
    step = _next(steps, done, acted)
    return step.explanation if step else "Close the request when nothing more is needed."


def _next(steps, done, acted):
    """The first step not done after the last one an action took (steps that were not needed,
    such as asking for hard copies nobody asked for, are passed over). A step done because its
    facts were recorded early (CAMDEN-2's parents told at logging) is skipped, but does not
    move the request past the steps before it."""
    last = max((i for i, s in enumerate(steps) if s.code in acted), default=-1)
    return next((s for s in steps[last + 1:] if s.code not in done), None)


def _clock(obj, snapshot, deadline, today) -> Clock:
    open_pause = next((p for p in snapshot.clock.pauses if p.end is None), None)
    days_left = None
    if obj.due_date and open_pause is None:
        days_left = deadlines.working_days_between(today, obj.due_date)
        if obj.due_date < today:
            days_left = -deadlines.working_days_between(obj.due_date, today)
    return Clock(
        running=open_pause is None,
        paused_since=open_pause.start if open_pause else None,
        paused_why=open_pause.reason if open_pause else "",
        paused_days=deadline.paused_days,
        extended_by=deadline.extension_days,
        extension_reason=obj.extension_reason if deadline.extension_days else "",
        unit=deadlines.extension_unit(deadline.unit),
        days_left=days_left,
    )


def status(obj, policy, snapshot, steps, done, today: date) -> Status:
    deadline = policy.deadline(snapshot, today) if obj.due_date else None
    clock = _clock(obj, snapshot, deadline, today) if deadline and obj.is_open else None
    return Status(
        holder=_holder(obj, policy, snapshot),
        front_door=policy.role_label(Role.SCIMT_OFFICER),
        next_step=_next_step(obj, steps, done, snapshot.completed_steps),
        paused=bool(clock and not clock.running),
        clock=clock,
        due_dates=policy.due_dates(snapshot, today) if obj.due_date else (),
    )
