"""Due dates: working days (weekends and England's bank holidays skipped), calendar days and
calendar months, with pauses and one extension. Explanations list the bank holidays skipped.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

from policies.base import Deadline, DueDate, RequestSnapshot, Unmet
from policies.rules import enforces

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
CALENDAR_MONTH = "calendar_month"

DEFAULT_WORKING_DAYS = 20  # where the council's guidance sets no time limit


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year).items())


def bank_holiday(day: date) -> str | None:
    """The name of the England bank holiday on ``day``, if any."""
    return _bank_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and bank_holiday(day) is None


def add_working_days(start: date, days: int) -> tuple[date, tuple[tuple[date, str], ...]]:
    """The date ``days`` working days after ``start`` (start itself not counted)."""
    skipped: list[tuple[date, str]] = []
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() >= 5:
            continue
        name = bank_holiday(day)
        if name:
            skipped.append((day, name))
            continue
        left -= 1
    return day, tuple(skipped)


def working_days_between(start: date, end: date) -> int:
    """Working days in [start, end)."""
    count = 0
    day = start
    while day < end:
        if is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count


def add_calendar_month(start: date) -> date:
    """Same day next month; the last day of next month when that day does not exist (ICO)."""
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


def next_working_day(day: date) -> tuple[date, tuple[tuple[date, str], ...]]:
    """``day`` itself if a working day, else the next one (with the bank holidays passed)."""
    skipped: list[tuple[date, str]] = []
    while not is_working_day(day):
        name = bank_holiday(day)
        if name:
            skipped.append((day, name))
        day += timedelta(days=1)
    return day, tuple(skipped)


def extension_unit(unit: str) -> str:
    """The days an extension (or a pause) of a deadline in ``unit`` is counted in."""
    return "working days" if unit == WORKING_DAYS else "calendar days"


def due_label(deadline: Deadline) -> str:
    """A short name for how the due date was counted, for the request page."""
    if deadline.unit == WORKING_DAYS:
        return f"{deadline.amount} working days"
    if deadline.unit == CALENDAR_DAYS:
        return f"{deadline.amount} calendar days"
    return "One calendar month (statutory)"


def _fmt(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _paused(request: RequestSnapshot, unit: str, today: date) -> tuple[int, bool]:
    """Days the clock stood still (in the deadline's unit), and whether it still does."""
    total = 0
    still = False
    for pause in request.clock.pauses:
        end = pause.end
        if end is None:
            still = True
            end = max(today, pause.start)
        if unit == WORKING_DAYS:
            total += working_days_between(pause.start, end)
        else:
            total += (end - pause.start).days
    return total, still


@enforces("ALL-1")
def compute(
    request: RequestSnapshot,
    unit: str,
    amount: int,
    rule_ids: tuple[str, ...],
    basis: str,
    today: date | None = None,
    also: tuple[DueDate, ...] = (),
) -> Deadline:
    """The due date counted from the recorded receipt date (ALL-1 records when it was asked)."""
    start = request.received_on
    today = today or start
    paused, still_paused = _paused(request, unit, today)
    ext = request.clock.extension
    ext_days = ext.days if ext is not None and ext.reason.strip() else 0
    extra = paused + ext_days
    skipped: tuple[tuple[date, str], ...] = ()
    if unit == WORKING_DAYS:
        due, skipped = add_working_days(start, amount + extra)
        counted = f"{amount} working days"
    elif unit == CALENDAR_DAYS:
        due, skipped = next_working_day(start + timedelta(days=amount + extra))
        counted = f"{amount} calendar days"
    else:
        due, skipped = next_working_day(add_calendar_month(start) + timedelta(days=extra))
        counted = "one calendar month"
    parts = [f"Due {_fmt(due)}: {counted} from {_fmt(start)} ({basis})"]
    if skipped:
        names = ", ".join(f"{name} {_fmt(day)}" for day, name in skipped)
        parts.append(f"bank holidays skipped: {names}")
    else:
        parts.append("no bank holidays fell in the period")
    unit_word = "working days" if unit == WORKING_DAYS else "days"
    if paused:
        parts.append(f"clock paused for {paused} {unit_word}")
    if still_paused:
        parts.append("the clock is paused now; this date assumes it restarts today")
    if ext_days:
        parts.append(f"extended by {ext_days} {unit_word}: {ext.reason}")
    elif ext is not None:
        parts.append("an extension without a reason is ignored")
    for other in also:
        parts.append(f"{other.label}: {_fmt(other.due)}")
    return Deadline(
        start=start,
        due=due,
        unit=unit,
        amount=amount,
        rule_ids=rule_ids,
        explanation="; ".join(parts) + ".",
        skipped_bank_holidays=skipped,
        paused_days=paused,
        extension_days=ext_days,
        also=also,
    )


def default_deadline(request: RequestSnapshot, today: date | None = None) -> Deadline:
    """20 working days where the council's guidance is silent (house default)."""
    return compute(
        request,
        WORKING_DAYS,
        DEFAULT_WORKING_DAYS,
        ("ALL-1",),
        "the guidance sets no time limit, so the service default of 20 working days applies",
        today,
    )


@enforces("ALL-4")
def subject_access_deadline(request: RequestSnapshot, today: date | None = None) -> Deadline:
    """Statutory one calendar month (UK GDPR Art. 12(3)), rolled to the next working day."""
    return compute(
        request,
        CALENDAR_MONTH,
        1,
        ("ALL-4",),
        "subject access: one calendar month by law",
        today,
    )


def extension_gate(request: RequestSnapshot) -> list[Unmet]:
    """One extension only, and only with a reason (house rule; the guidance is silent)."""
    unmet = []
    if request.clock.extensions_granted >= 1:
        unmet.append(Unmet("ALL-1", "The deadline has already been extended once."))
    ext = request.clock.extension
    if ext is None or not ext.reason.strip():
        unmet.append(Unmet("ALL-1", "Give the reason for extending the deadline."))
    return unmet
