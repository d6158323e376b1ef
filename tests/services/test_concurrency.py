"""Two CSM decisions at the same moment on PostgreSQL leave exactly one decision: the row lock
in services.base.lock queues the second, which then finds the state has moved on
(ConcurrentTransitionMixin is the backstop)."""

import threading

import pytest
from django.db import connection
from django_fsm import ConcurrentTransition

from requests_app.models import DisclosureDecision, InformationRequest, RequestState, User
from requests_app.services import decisions
from requests_app.services.base import ActionRefused
from tests.services.conftest import (
    closed_electronic,
    load_demo_without_requests,
    log_and_triage,
)


def race(request_pk, calls):
    """Run each call(request, csm) on its own thread and connection, started together."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            csm = User.objects.get(username="notts.csm")
            request = InformationRequest.objects.get(pk=request_pk)
            barrier.wait(timeout=10)
            call(request, csm)
            outcomes[i] = "ok"
        except (ActionRefused, ConcurrentTransition) as refused:
            outcomes[i] = refused
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[i] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_csm_decisions_leave_exactly_one_decision():
    load_demo_without_requests()
    request = log_and_triage(User.objects.get(username="notts.scimt"),
                             closed_electronic("nottinghamshire"))

    outcomes = race(request.pk, [
        lambda r, csm: decisions.approve(r, csm, reasons="Specific, with consent."),
        lambda r, csm: decisions.refuse(r, csm, reasons="Not proportionate.",
                                        requester_informed=True),
    ])

    assert outcomes.count("ok") == 1, outcomes
    losers = [o for o in outcomes if o != "ok"]
    assert len(losers) == 1 and isinstance(losers[0], ActionRefused | ConcurrentTransition), (
        outcomes)
    (decision,) = DisclosureDecision.objects.filter(request_id=request.pk)
    state = InformationRequest.objects.get(pk=request.pk).state
    expected = {"approved": RequestState.AWAITING_ALLOCATION, "refused": RequestState.REFUSED}
    assert state == expected[decision.outcome]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_leave_exactly_one_decision():
    load_demo_without_requests()
    request = log_and_triage(User.objects.get(username="notts.scimt"),
                             closed_electronic("nottinghamshire"))
    approve = lambda r, csm: decisions.approve(r, csm, reasons="Proportionate.")  # noqa: E731

    outcomes = race(request.pk, [approve, approve])

    assert outcomes.count("ok") == 1, outcomes
    assert DisclosureDecision.objects.filter(request_id=request.pk).count() == 1
