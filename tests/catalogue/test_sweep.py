"""What is shown enabled succeeds; what is refused was shown disabled with the same reasons.

For every demo request, every demo user of its council and every action URL: the request page
is read as that person sees it, then every action is posted with answers its council's rules
accept. An action shown enabled must succeed; any other must be refused, and where the page
showed it disabled, the refusal gives every reason the page gave. People of other councils get
404 everywhere. Each attempt is rolled back, so every one starts from the demo's state.
"""

from __future__ import annotations

import html

import pytest
from django.db import transaction
from django.test import Client

from requests_app import access
from requests_app.models import Document, InformationRequest, User
from requests_app.views.actions import ACTIONS, build_form
from tests.catalogue.helpers import load_whole_demo, rolled_back, shown, valid_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def whole_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_whole_demo()
        yield
        transaction.set_rollback(True)


def test_every_enabled_action_succeeds_and_every_refusal_was_shown(whole_demo, db):
    client = Client()
    checked = succeeded = 0
    for obj in InformationRequest.objects.select_related("council").order_by("reference"):
        # Every action the state machine allows in this state, for everyone; the others are
        # refused by the state machine whoever asks, so they are tried by the first user only.
        in_state = {t.name for t in obj.get_available_state_transitions()}
        for index, user in enumerate(User.objects.filter(council=obj.council)
                                     .order_by("username")):
            client.force_login(user)
            page = client.get(f"/requests/{obj.reference}/").content.decode()
            enabled, disabled = shown(page, obj.reference)
            fresh = InformationRequest.objects.get(pk=obj.pk)
            offers = {o.transition: o for o in access.offers_for(user, fresh)}
            for name in ACTIONS:
                if index and name not in in_state and name not in enabled | set(disabled):
                    continue
                offer = offers.get(name)
                data = valid_data(build_form(ACTIONS[name], offer, fresh))
                with rolled_back():
                    response = client.post(f"/requests/{obj.reference}/{name}/", data)
                checked += 1
                where = f"{user.username} {name} on {obj.reference} ({obj.state})"
                if name in enabled:
                    assert offer is not None and offer.enabled, where
                    assert response.status_code == 302, (
                        f"{where} was shown enabled but refused: "
                        f"{response.content.decode()[:3000]}")
                    succeeded += 1
                    continue
                assert response.status_code in (403, 404, 422), where
                if name in disabled:
                    body = html.unescape(response.content.decode())
                    assert response.status_code == 422, where
                    for reason in disabled[name]:
                        assert reason in body, f"{where}: shown '{reason}', not given on refusal"
                else:
                    assert offer is None or not offer.enabled or not offer.mine, where
    print(f"\nuser x action pairs checked: {checked}; shown enabled and succeeded: {succeeded}")
    assert checked > 900 and succeeded > 50, (checked, succeeded)


def test_documents_change_only_for_the_people_the_policy_allows(whole_demo, db):
    """CAMDEN-5 and the first point of contact stepping back: adding a record or changing a
    third-party author's consent succeeds exactly where the request page offers it."""
    client = Client()
    for obj in InformationRequest.objects.select_related("council").order_by("reference"):
        docs = list(Document.objects.filter(request=obj, is_third_party=True))
        for user in User.objects.filter(council=obj.council).order_by("username"):
            client.force_login(user)
            allowed = not access.document_problems(user, obj)
            page = client.get(f"/requests/{obj.reference}/").content.decode()
            assert (f"/requests/{obj.reference}/documents/text/" in page) == allowed, user
            with rolled_back():
                response = client.post(f"/requests/{obj.reference}/documents/text/",
                                       {"title": "Note", "text": "A short record.",
                                        "is_third_party": "False"})
            assert (response.status_code == 302) == allowed, (user.username, obj.reference)
            for doc in docs:
                with rolled_back():
                    response = client.post(
                        f"/requests/{obj.reference}/documents/{doc.pk}/consent/",
                        {"is_third_party": "True", "author_name": doc.author_name,
                         "author_organisation": doc.author_organisation,
                         "author_consent": "granted", "consent_evidence": "Letter."})
                assert (response.status_code == 302) == allowed, (user.username, doc.pk)


def test_nobody_from_another_council_sees_or_acts(whole_demo, db):
    client = Client()
    for obj in InformationRequest.objects.select_related("council"):
        for outsider in User.objects.exclude(council=obj.council).exclude(council=None).filter(
                username__endswith=".scimt"):
            client.force_login(outsider)
            assert client.get(f"/requests/{obj.reference}/").status_code == 404
            for name in ACTIONS:
                response = client.post(f"/requests/{obj.reference}/{name}/", {})
                assert response.status_code == 404, (outsider.username, name)
