"""Signing in through the council's identity provider (issue 11 item 5), against a real
OpenID Connect provider (tests/oidc/provider.mjs): the whole authorization code flow over
HTTP, between the live Django server and the provider, as a browser would follow it."""

from __future__ import annotations

import re
import time
from html import unescape
from urllib.parse import urljoin

import pytest
import requests
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from requests_app.models import AuditEvent
from requests_app.reauth import AUTHENTICATED_AT
from tests.factories import make_council, make_user

pytestmark = pytest.mark.usefixtures("transactional_db", "council_providers")


def provider_login(browser: requests.Session, page: requests.Response, email: str):
    """Fill in the provider's own sign-in form (its dev form takes any password)."""
    assert page.url.startswith("http://127.0.0.1:"), page.url  # we are at the provider
    action = unescape(re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1))
    page = browser.post(urljoin(page.url, action),
                        data={"prompt": "login", "login": email, "password": "any"})
    # Someone else signing in over an existing provider session: the provider first ends
    # that session with a form its page submits by script, as a browser would.
    while page.url.startswith("http://127.0.0.1:") and "document.forms[0].submit()" in page.text:
        action = unescape(re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1))
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
                                 page.text))
        page = browser.post(urljoin(page.url, action), data=hidden)
    return page


def sign_in_with(live_server, council: str, email: str, browser=None):
    browser = browser or requests.Session()
    sign_in_page = browser.get(live_server.url + reverse("login"))
    start = reverse("oidc_start", kwargs={"council": council})
    button = re.search(rf'href="({re.escape(start)}[^"]*)"', sign_in_page.text)
    assert button, f"no 'Sign in with' button for {council}"
    at_provider = browser.get(live_server.url + unescape(button.group(1)))
    return browser, provider_login(browser, at_provider, email)


def signed_in(browser, live_server) -> bool:
    home = browser.get(live_server.url + reverse("home"), allow_redirects=False)
    return home.status_code == 200


def test_a_known_member_of_staff_signs_in_and_lands_on_their_home(live_server, settings):
    settings.LOCAL_PASSWORDS = False  # the provider is the only way in
    notts = make_council("nottinghamshire")
    sam = make_user(notts, role="scimt_officer", username="scimt", first_name="Sam",
                    last_name="Okafor", email="Sam.Okafor@notts.example.gov.uk")

    browser, home = sign_in_with(live_server, "nottinghamshire", "sam.okafor@notts.example.gov.uk")

    assert home.status_code == 200
    assert home.url == live_server.url + reverse("home")
    assert "Sam Okafor" in home.text and "Nottinghamshire County Council" in home.text
    event = AuditEvent.objects.get(action="auth.sign_in")
    assert event.actor == sam and event.council_id == notts.pk
    assert event.detail["method"] == "oidc"


def test_a_person_who_is_not_on_that_councils_staff_list_is_refused(live_server):
    notts = make_council("nottinghamshire")
    make_user(notts, role="scimt_officer", email="sam.okafor@notts.example.gov.uk")

    browser, page = sign_in_with(live_server, "nottinghamshire", "stranger@example.com")

    assert page.status_code == 403
    assert "You cannot sign in" in page.text
    assert "stranger@example.com" in page.text
    assert "does not match anyone on the staff list of Nottinghamshire County Council" in (
        unescape(page.text))
    assert not signed_in(browser, live_server)
    event = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert event.council_id == notts.pk and event.actor is None
    assert event.detail == {"method": "oidc", "council": "nottinghamshire",
                            "reason": "unknown", "email": "stranger@example.com"}


def test_staff_of_another_council_with_that_email_are_never_matched(live_server):
    make_council("nottinghamshire")
    camden = make_council("camden")
    chidi = make_user(camden, role="scimt_officer", first_name="Chidi", last_name="Nwosu",
                      email="c.nwosu@shared.example.gov.uk")

    browser, page = sign_in_with(live_server, "nottinghamshire", "c.nwosu@shared.example.gov.uk")

    assert page.status_code == 403
    assert not signed_in(browser, live_server)
    assert AuditEvent.objects.get(action="auth.sign_in_failed").detail["reason"] == "unknown"

    # Through their own council's provider the same person is who they are.
    browser, home = sign_in_with(live_server, "camden", "c.nwosu@shared.example.gov.uk")
    assert home.status_code == 200 and "Chidi Nwosu" in home.text
    assert AuditEvent.objects.get(action="auth.sign_in").actor == chidi


def test_a_callback_without_a_flow_this_browser_started_is_refused(live_server):
    page = requests.get(live_server.url + reverse("oidc_callback") + "?code=x&state=forged")

    assert page.status_code == 403
    assert "expired or has already been used" in page.text


def test_someone_signed_in_through_the_provider_confirms_it_is_them_there(live_server):
    notts = make_council("nottinghamshire")
    sam = make_user(notts, role="scimt_officer", email="sam.okafor@notts.example.gov.uk")
    browser, _ = sign_in_with(live_server, "nottinghamshire", "sam.okafor@notts.example.gov.uk")
    session = SessionStore(session_key=browser.cookies["sessionid"])
    session[AUTHENTICATED_AT] = int(time.time()) - 3600
    session.save()

    confirm = browser.get(live_server.url + reverse("confirm_sign_in") + "?next=/")
    assert "Continue to Nottinghamshire test account" in confirm.text
    assert 'name="password"' not in confirm.text  # no password: the provider asks for it
    link = re.search(r'href="(/accounts/confirm/provider/[^"]*)"', confirm.text).group(1)
    at_provider = browser.get(live_server.url + unescape(link))
    assert "login" in at_provider.text  # prompt=login: the provider asks again
    home = provider_login(browser, at_provider, "sam.okafor@notts.example.gov.uk")

    assert home.status_code == 200 and home.url == live_server.url + "/"
    assert "You have confirmed it is you" in home.text
    session = SessionStore(session_key=browser.cookies["sessionid"])
    assert session[AUTHENTICATED_AT] >= int(time.time()) - 60
    event = AuditEvent.objects.get(action="auth.reauthenticated")
    assert event.actor == sam and event.detail["method"] == "oidc"


def test_confirming_as_someone_else_at_the_provider_is_refused(live_server):
    notts = make_council("nottinghamshire")
    sam = make_user(notts, role="scimt_officer", email="sam.okafor@notts.example.gov.uk")
    make_user(notts, role="csm", email="carol@notts.example.gov.uk")
    browser, _ = sign_in_with(live_server, "nottinghamshire", "sam.okafor@notts.example.gov.uk")

    at_provider = browser.get(live_server.url + reverse("confirm_with_provider") + "?next=/")
    page = provider_login(browser, at_provider, "carol@notts.example.gov.uk")

    assert page.status_code == 403 and "We could not confirm it is you" in page.text
    assert AuditEvent.objects.get(action="auth.reauth_failed").detail["reason"] == "not_you"
    session = SessionStore(session_key=browser.cookies["sessionid"])
    assert session["_auth_user_id"] == str(sam.pk)  # still Sam, and still not confirmed
    assert AuditEvent.objects.filter(action="auth.reauthenticated").count() == 0
