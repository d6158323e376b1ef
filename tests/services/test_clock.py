"""Pausing, resuming and extending the deadline clock: once only for the extension."""

from datetime import timedelta

import pytest
from django.utils import timezone

from policies.deadlines import add_working_days
from requests_app.models import CaseNote, ClockPause, RequestState
from requests_app.services import clock
from tests.services.conftest import (
    assert_audited,
    assert_noted_on_every_subject,
    fresh,
    log_and_triage,
    open_case,
    refused,
)

S = RequestState
pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def with_worker(people):
    """An open Nottinghamshire case with Sophie Walker."""
    return log_and_triage(people["notts.scimt"], open_case("nottinghamshire"))


def test_worker_pauses_the_clock_with_a_reason(people, with_worker):
    sw = people["notts.sw"]

    clock.pause(with_worker, sw, reason="Waiting for the mother's consent.")

    request = fresh(with_worker)
    assert request.state == S.WITH_WORKER
    pause = ClockPause.objects.get(request=request)
    assert (pause.ended_on, pause.paused_by) == (None, sw)
    (note,) = assert_noted_on_every_subject(request, CaseNote.Kind.CLOCK)
    assert "mother's consent" in note.text
    assert_audited(request, "pause", S.WITH_WORKER, S.WITH_WORKER, sw)


def test_a_paused_clock_cannot_be_paused_again(people, with_worker):
    sw = people["notts.sw"]
    clock.pause(with_worker, sw, reason="Waiting for consent.")

    problems = refused(clock.pause, fresh(with_worker), sw, reason="Still waiting.")

    assert problems == ["The clock is already paused."]
    assert ClockPause.objects.filter(request=with_worker).count() == 1


def test_a_pause_needs_a_reason(people, with_worker):
    assert refused(clock.pause, with_worker, people["notts.sw"], reason=" ")
    assert not ClockPause.objects.exists()


def test_a_running_clock_cannot_be_resumed(people, with_worker):
    assert refused(clock.resume, with_worker, people["notts.sw"])


def test_resuming_counts_the_paused_working_days_into_the_due_date(people, with_worker):
    sw = people["notts.sw"]
    before = fresh(with_worker).due_date
    clock.pause(with_worker, sw, reason="Waiting for consent.")
    # The pause began three working days ago (the clock stood still since then).
    today = timezone.localdate()
    started = today - timedelta(days=1)
    while sum(1 for i in range((today - started).days)
              if (started + timedelta(days=i)).weekday() < 5) < 3:
        started -= timedelta(days=1)
    ClockPause.objects.filter(request=with_worker).update(started_on=started)

    clock.resume(fresh(with_worker), sw)

    request = fresh(with_worker)
    assert ClockPause.objects.get(request=request).ended_on == today
    assert request.due_date > before
    assert "paused" in request.deadline_explanation
    assert_audited(request, "resume", S.WITH_WORKER, S.WITH_WORKER, sw)


def test_the_deadline_is_extended_once(people, with_worker):
    sw = people["notts.sw"]
    before = fresh(with_worker).due_date

    clock.extend(with_worker, sw, days=10, reason="The records are on microfilm.")

    request = fresh(with_worker)
    assert request.extension_days == 10
    assert request.due_date == add_working_days(before, 10)[0]
    assert_noted_on_every_subject(request, CaseNote.Kind.CLOCK)
    assert_audited(request, "extend", S.WITH_WORKER, S.WITH_WORKER, sw)

    problems = refused(clock.extend, request, sw, days=5, reason="Still waiting.")
    assert problems == ["ALL-1: The deadline has already been extended once."]
    assert fresh(with_worker).extension_days == 10


def test_an_extension_needs_a_reason_and_a_sensible_length(people, with_worker):
    sw = people["notts.sw"]

    assert refused(clock.extend, with_worker, sw, days=10, reason="")
    assert refused(clock.extend, with_worker, sw, days=0, reason="Microfilm.")
    assert refused(clock.extend, with_worker, sw, days=90, reason="Microfilm.")
    assert fresh(with_worker).extension_days == 0


def test_someone_not_working_on_the_request_cannot_touch_the_clock(people, with_worker):
    assert refused(clock.pause, with_worker, people["notts.sw2"], reason="Consent.")
    assert refused(clock.extend, with_worker, people["notts.ig"], days=5, reason="Consent.")
    assert not ClockPause.objects.exists()


def test_another_council_cannot_touch_the_clock(people, with_worker):
    problems = refused(clock.pause, with_worker, people["camden.scimt"], reason="Consent.")

    assert problems == ["You do not work for this council."]
