"""Every action posted, empty and with nonsense, to requests in the states the demo walk in
tests/hardening/test_bad_requests.py does not reach: never a 500 (issue 11, item 7)."""

import pytest
from django.test import Client

from requests_app.models import RequestState
from requests_app.services import hard_copies
from tests.hardening.sweep import sweep
from tests.services.conftest import closed_electronic, fresh, log_and_triage
from tests.services.test_hard_copies import ITEMS, disclosed_case

S = RequestState
pytestmark = pytest.mark.usefixtures("demo")


def _disclosed(people):
    return disclosed_case(people)


def _hard_copies_requested(people):
    return hard_copies.request_hard_copies(_disclosed(people), people["notts.sw"], items=ITEMS)


def _hard_copies_approved(people):
    return hard_copies.approve_hard_copies(_hard_copies_requested(people), people["notts.csm"],
                                           reasons="As shared.")


def _refused_at_triage(people):
    return log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"),
                          asks_for_printed_files=True)


def _referred_out(people):
    return log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"),
                          request_type="subject_access")


@pytest.mark.parametrize(("make", "state"), [
    (_disclosed, S.DISCLOSED),
    (_hard_copies_requested, S.HARD_COPIES_REQUESTED),
    (_hard_copies_approved, S.HARD_COPIES_APPROVED),
    (_refused_at_triage, S.REFUSED_AT_TRIAGE),
    (_referred_out, S.REFERRED_OUT),
])
def test_every_action_answers_4xx_with_a_message_never_500(people, make, state):
    request = fresh(make(people))
    assert request.state == state
    failures: list[str] = []

    posted = sweep(Client(raise_request_exception=False), request, failures)

    assert not failures, "\n".join(failures[:50])
    assert posted >= 100
