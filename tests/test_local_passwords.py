"""LOCAL_PASSWORDS (issue 11 item 5): passwords are for the demo; switched off, the sign-in
page offers only the councils' identity providers and a password is refused everywhere but
to a platform administrator."""

import pytest
from django.urls import reverse

from requests_app.models import AuditEvent, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def passwords_off(settings, notts):
    settings.LOCAL_PASSWORDS = False
    settings.OIDC_PROVIDERS = {"nottinghamshire": {
        "issuer": "https://login.example.test/notts", "client_id": "notts-records",
        "client_secret": "not-used-in-these-tests", "label": "", "sign_algo": "RS256"}}


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_with_passwords_on_the_page_has_the_password_form(client, scimt_officer):
    page = client.get(reverse("login")).content.decode()

    assert 'name="password"' in page
    assert "Sign in with" not in page  # no provider configured


def test_with_passwords_off_the_page_offers_only_the_councils_provider(
        client, passwords_off):
    page = client.get(reverse("login") + "?next=/requests/new/").content.decode()

    assert 'name="password"' not in page
    assert "Sign in with Nottinghamshire County Council" in page
    assert 'href="/accounts/oidc/nottinghamshire/?next=%2Frequests%2Fnew%2F"' in page


def test_with_passwords_off_a_posted_password_is_refused_and_audited(
        client, scimt_officer, passwords_off):
    response = client.post(reverse("login"), {"username": "scimt", "password": PASSWORD})

    assert response.status_code == 403
    assert "Signing in with a password is switched off" in response.content.decode()
    assert not is_signed_in(client)
    event = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert event.detail == {"username": "scimt", "method": "password",
                            "reason": "local_passwords_off"}


def test_with_passwords_off_the_admin_sign_in_refuses_council_staff_too(
        client, scimt_officer, passwords_off):
    scimt_officer.is_staff = True
    scimt_officer.save(update_fields=["is_staff"])

    client.post(reverse("admin:login"), {"username": "scimt", "password": PASSWORD})

    assert not is_signed_in(client)


def test_with_passwords_off_a_platform_administrator_keeps_a_password_for_the_admin(
        client, passwords_off):
    User.objects.create_superuser("platform-admin", password=PASSWORD, council=None)

    client.post(reverse("admin:login"), {"username": "platform-admin", "password": PASSWORD})

    assert is_signed_in(client)


def test_switching_passwords_off_ends_a_password_session_at_its_next_request(
        client, scimt_officer, settings):
    client.post(reverse("login"), {"username": "scimt", "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 200

    settings.LOCAL_PASSWORDS = False

    assert client.get(reverse("home")).status_code == 302
