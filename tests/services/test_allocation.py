"""The team manager allocates a worker (NOTTS-1.2.1, NOTTS-1.3); Safer Recruitment allocates
DBS requests (DEVON-5)."""

import pytest

from requests_app.models import CaseNote, RequestState
from requests_app.services import decisions
from tests.services.conftest import (
    assert_audited,
    assert_noted_on_every_subject,
    case,
    closed_electronic,
    fresh,
    log_and_triage,
    may_act,
    may_see,
    refused,
)

S = RequestState
pytestmark = pytest.mark.usefixtures("demo")

NOT_WITH = ["The request is not with you or your team at this step."]


@pytest.fixture
def approved(people):
    """Closed Mansfield case, approved by its CSM: waiting for Tom Marsh (TM) to allocate."""
    request = log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"))
    return decisions.approve(request, people["notts.csm"], reasons="Specific, with consent.")


def test_team_manager_allocates_a_worker(people, approved):
    tm, sw = people["notts.tm"], people["notts.sw"]

    request = decisions.allocate(approved, tm, worker=sw)

    request = fresh(request)
    assert request.state == S.WITH_WORKER
    assert request.allocated_worker == sw and request.routed_to == sw
    (note,) = assert_noted_on_every_subject(request, CaseNote.Kind.ALLOCATION, "NOTTS-1.2.1")
    assert "Sophie Walker" in note.text
    assert_audited(request, "allocate", S.AWAITING_ALLOCATION, S.WITH_WORKER, tm)
    assert may_act(sw, request)
    assert not may_act(tm, request)
    assert may_see(tm, request)


def test_the_team_manager_of_another_team_cannot_allocate(people, approved):
    problems = refused(decisions.allocate, approved, people["notts.tm2"],
                       worker=people["notts.sw2"])

    assert problems
    assert fresh(approved).state == S.AWAITING_ALLOCATION


def test_someone_who_is_not_a_team_manager_cannot_allocate(people, approved):
    # The triage officer sees every request of the council, but steps back after triage.
    problems = refused(decisions.allocate, approved, people["notts.scimt"],
                       worker=people["notts.sw"])

    assert problems == NOT_WITH
    assert fresh(approved).allocated_worker is None


def test_a_team_manager_from_another_council_cannot_allocate(people, approved):
    problems = refused(decisions.allocate, approved, people["camden.tm"],
                       worker=people["notts.sw"])

    assert problems
    assert fresh(approved).state == S.AWAITING_ALLOCATION


def test_the_worker_must_be_a_social_worker_of_this_council(people, approved):
    tm = people["notts.tm"]

    assert refused(decisions.allocate, approved, tm, worker=people["camden.sw"])
    assert refused(decisions.allocate, approved, tm, worker=people["notts.bs"])
    assert fresh(approved).allocated_worker is None


def test_defunct_team_case_is_allocated_by_the_dcpt_team_manager(people):
    """NOTTS-1.3: the last team no longer exists, so the DCPT's team manager allocates."""
    broxtowe = case("nottinghamshire", locality="Broxtowe", on_paper=False)
    request = log_and_triage(people["notts.scimt"], broxtowe)
    request = decisions.approve(request, people["notts.dcpt.csm"], reasons="Proportionate.")
    assert fresh(request).routed_to == people["notts.tm2"]

    request = decisions.allocate(request, people["notts.tm2"], worker=people["notts.sw2"])

    assert fresh(request).allocated_worker == people["notts.sw2"]
    assert may_act(people["notts.sw2"], request)


def test_devon_safer_recruitment_allocates_a_dbs_request_and_lets_go_of_it(people):
    """DEVON-5: Safer Recruitment logs and allocates; once allocated, the worker holds it."""
    saferrec, sw = people["devon.saferrec"], people["devon.sw"]
    request = log_and_triage(saferrec, closed_electronic("devon"), agency_type="dbs",
                             request_type="dbs")

    request = decisions.allocate(request, saferrec, worker=sw)

    request = fresh(request)
    assert request.state == S.WITH_WORKER
    assert_audited(request, "allocate", S.AWAITING_ALLOCATION, S.WITH_WORKER, saferrec)
    assert may_act(sw, request)
    # The team held it through its group; the group must lose "act" too, not only the person.
    assert not may_act(saferrec, request)
    assert may_see(saferrec, request)


def test_only_safer_recruitment_allocates_a_dbs_request(people):
    request = log_and_triage(people["devon.saferrec"], closed_electronic("devon"),
                             agency_type="dbs", request_type="dbs")

    # The front door stepped back after the Safer Recruitment Team logged it (DEVON-5).
    problems = refused(decisions.allocate, request, people["devon.scimt"],
                       worker=people["devon.sw"])

    assert problems == NOT_WITH
    decisions.allocate(fresh(request), people["devon.saferrec"], worker=people["devon.sw"])
