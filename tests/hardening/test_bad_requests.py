"""No bad request is answered with a 500 (issue 11, item 7).

Every workflow action is posted to a request in each state reached from the demo (its
requests, moved on by the steps their holders may take), with empty answers and with nonsense,
as the person holding the request, as a colleague in the same council who does not, and as
someone from another council. Each answer is a redirect (the nonsense happened to be
acceptable) or a 4xx that says what was wrong. The states the demo walk does not reach
(disclosed, hard copies, refused at triage, referred out) are swept in
tests/services/test_bad_requests_other_states.py.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from requests_app import access
from requests_app.models import InformationRequest, User
from requests_app.views.actions import ACTIONS, build_form
from tests.catalogue.helpers import load_whole_demo, rolled_back, valid_data
from tests.hardening.sweep import sweep

pytestmark = pytest.mark.django_db

MAX_DEPTH = 5


@pytest.fixture(scope="module")
def whole_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_whole_demo()
        yield
        transaction.set_rollback(True)


def _explore(client, obj, seen, failures, depth) -> int:
    """Sweep this request if its state is new, then move it on by each step its holder may
    take (rolled back afterwards) to reach the states the demo does not hold."""
    posted = 0
    if obj.state not in seen:
        seen.add(obj.state)
        posted += sweep(client, obj, failures)
    elif depth < MAX_DEPTH:
        return posted  # reached a state already swept: do not walk on from it again
    if depth == 0:
        return posted
    for user in User.objects.filter(council=obj.council).order_by("username"):
        for offer in access.offers_for(user, obj):
            if not (offer.enabled and offer.mine) or offer.transition not in ACTIONS:
                continue
            client.force_login(user)
            data = valid_data(build_form(ACTIONS[offer.transition], offer, obj))
            with rolled_back():
                response = client.post(f"/requests/{obj.reference}/{offer.transition}/", data)
                moved = InformationRequest.objects.get(pk=obj.pk)
                if response.status_code == 302 and moved.state not in seen:
                    posted += _explore(client, moved, seen, failures, depth - 1)
    return posted


def test_every_action_on_every_request_answers_4xx_with_a_message_never_500(whole_demo, db):
    client = Client(raise_request_exception=False)
    failures: list[str] = []
    seen: set[str] = set()
    posted = 0
    for obj in InformationRequest.objects.select_related("council").order_by("reference"):
        posted += _explore(client, obj, seen, failures, depth=MAX_DEPTH)
    print(f"\naction posts checked: {posted} over {len(seen)} states: {sorted(seen)}")
    assert not failures, "\n".join(failures[:50])
    assert posted > 1000 and len(seen) >= 8, (posted, seen)
