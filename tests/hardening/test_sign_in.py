"""Sign-in fit for a council (issue 11, item 5): lock-out after repeated failures, sign-in
events in the audit trail, an idle timeout and no-store on pages for signed-in people."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from requests_app.middleware import LAST_SEEN
from requests_app.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, password, username="scimt"):
    return client.post(reverse("login"), {"username": username, "password": password})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_six_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(
        client, scimt_officer):
    for _ in range(6):
        sign_in(client, "not-the-password")

    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    assert "You cannot sign in at the moment" in response.content.decode()
    assert "locked for 15 minutes" in response.content.decode()
    assert not is_signed_in(client)


def test_four_wrong_passwords_then_the_right_one_signs_in_and_resets_the_count(
        client, scimt_officer):
    for _ in range(4):
        sign_in(client, "not-the-password")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()

    # The count started again: four more failures do not lock the account either.
    for _ in range(4):
        sign_in(client, "not-the-password")
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_lock_out_is_per_username_so_a_colleague_can_still_sign_in(
        client, scimt_officer, csm):
    for _ in range(6):
        sign_in(client, "not-the-password")

    assert sign_in(client, PASSWORD, username="csm").status_code == 302


def test_sign_in_failure_sign_out_and_lock_out_are_audited(client, scimt_officer):
    sign_in(client, PASSWORD)
    client.post(reverse("logout"))
    for _ in range(5):
        sign_in(client, "not-the-password")

    events = list(AuditEvent.objects.filter(action__startswith="auth.").order_by("pk"))
    actions = [e.action for e in events]
    assert actions[:2] == ["auth.sign_in", "auth.sign_out"]
    assert actions.count("auth.sign_in_failed") == 5
    # The fifth failure locks the account out: axes says so while that failure is handled.
    assert actions.count("auth.locked_out") == 1
    assert "auth.sign_in_failed" not in actions[actions.index("auth.locked_out") + 2:]
    assert events[0].actor == scimt_officer
    assert events[0].council_id == scimt_officer.council_id
    assert all(e.detail["username"] == "scimt" for e in events)
    assert all(PASSWORD not in str(e.detail) for e in events)
    assert events[0].ip_address == "127.0.0.1"


def test_a_failed_sign_in_for_an_unknown_username_is_audited_without_a_council(client, db):
    sign_in(client, "whatever", username="nobody-here")

    event = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert event.detail == {"username": "nobody-here"}
    assert event.council_id is None


def test_a_session_idle_for_longer_than_the_limit_is_signed_out(client, scimt_officer,
                                                                 settings):
    settings.SESSION_IDLE_SECONDS = 1800
    client.force_login(scimt_officer)
    assert client.get(reverse("home")).status_code == 200

    session = client.session
    session[LAST_SEEN] = int(time.time()) - 1801
    session.save()
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not is_signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had not done anything for 30 minutes" in page


def test_a_session_used_within_the_limit_stays_signed_in(client, scimt_officer, settings):
    settings.SESSION_IDLE_SECONDS = 1800
    client.force_login(scimt_officer)
    client.get(reverse("home"))

    session = client.session
    session[LAST_SEEN] = int(time.time()) - 1700
    session.save()

    assert client.get(reverse("home")).status_code == 200
    assert is_signed_in(client)
    assert client.session[LAST_SEEN] >= int(time.time()) - 5


def test_pages_for_signed_in_people_are_never_stored(client, scimt_officer):
    client.force_login(scimt_officer)

    response = client.get(reverse("home"))

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_views_get_the_signed_in_person_themselves_and_anonymous_visitors_stay_anonymous(
        client, scimt_officer):
    """ResolvedUserMiddleware: past authentication, `request.user` is the person (no lazy
    stand-in to go through on every read), or AnonymousUser for someone not signed in."""
    from django.contrib.auth.models import AnonymousUser

    from requests_app.models import User

    response = client.get(reverse("login"))
    assert type(response.wsgi_request.user) is AnonymousUser

    client.force_login(scimt_officer)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert type(response.wsgi_request.user) is User
    assert response.wsgi_request.user.pk == scimt_officer.pk
