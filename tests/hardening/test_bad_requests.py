"""No bad request is answered with a 500 (issue 11, item 7).

Every workflow action is posted to every demo request (the demo covers every state a request
reaches) with empty answers and with nonsense, as the person holding the request, as a
colleague in the same council who does not, and as someone from another council. Each answer
is a redirect (the nonsense happened to be acceptable) or a 4xx that says what was wrong.
"""

from __future__ import annotations

import pytest
from django import forms
from django.db import transaction
from django.test import Client

from requests_app import access
from requests_app.models import InformationRequest, User
from requests_app.views.actions import ACTIONS, build_form
from tests.catalogue.helpers import load_whole_demo, rolled_back, valid_data

pytestmark = pytest.mark.django_db

LONG = "x" * 5000
MAX_DEPTH = 5


@pytest.fixture(scope="module")
def whole_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_whole_demo()
        yield
        transaction.set_rollback(True)


def garbage(form: forms.Form) -> dict:
    """Answers no form should accept as they are: over-long text, choices that do not exist,
    dates that are not dates, numbers that are not numbers."""
    data: dict = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        if isinstance(field, (forms.ModelChoiceField, forms.ChoiceField)):
            data[name] = ["999999999", "not-a-choice"] if isinstance(
                field, forms.MultipleChoiceField) else "999999999"
        elif isinstance(field, forms.DateField):
            data[name] = "31/02/not-a-date"
        elif isinstance(field, forms.IntegerField):
            data[name] = "99999999999999999999999"
        else:
            data[name] = LONG
    return data


def _people(obj):
    """Who holds the request now, a colleague in the council who does not, and an outsider."""
    colleagues = list(User.objects.filter(council=obj.council).order_by("username"))
    holder = next((u for u in colleagues
                   if any(o.mine for o in access.offers_for(u, obj))), None)
    other = next((u for u in colleagues if u != holder), None)
    outsider = User.objects.exclude(council=obj.council).order_by("username").first()
    return [p for p in (holder, other, outsider) if p is not None]


def _says_why(response) -> bool:
    body = response.content.decode(errors="replace")
    return bool(body.strip()) and ("govuk-error" in body or "<h1" in body or
                                   response.status_code in (400, 403, 404))


def _sweep(client, obj, failures) -> int:
    posted = 0
    for user in _people(obj):
        client.force_login(user)
        for name, spec in ACTIONS.items():
            fresh = InformationRequest.objects.get(pk=obj.pk)
            form = build_form(spec, None, fresh)
            for label, data in (("empty", {}), ("garbage", garbage(form))):
                with rolled_back():
                    response = client.post(f"/requests/{obj.reference}/{name}/", data)
                posted += 1
                where = f"{user.username} {name} ({label}) on {obj.reference} ({obj.state})"
                if response.status_code >= 500:
                    failures.append(f"{where}: {response.status_code}")
                elif response.status_code != 302 and not (
                        400 <= response.status_code < 500 and _says_why(response)):
                    failures.append(f"{where}: {response.status_code} without a message")
    return posted


def _explore(client, obj, seen, failures, depth) -> int:
    """Sweep this request if its state is new, then move it on by each step its holder may
    take (rolled back afterwards) to reach the states the demo does not hold."""
    posted = 0
    if obj.state not in seen:
        seen.add(obj.state)
        posted += _sweep(client, obj, failures)
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
