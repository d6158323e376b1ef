"""Signing in and out in a real browser, with axe-core on every page seen."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a-long-demo-passphrase-for-tests"


def test_user_signs_in_sees_their_name_and_signs_out(page, live_server, transactional_db):
    get_user_model().objects.create_user(
        username="amira.khan", password=PASSWORD, first_name="Amira", last_name="Khan"
    )
    login_url = live_server.url + reverse("login")

    page.goto(live_server.url + reverse("home"))
    expect(page).to_have_url(re.compile(re.escape(login_url)))
    expect(page).to_have_title("Sign in – Access to Records")
    assert_accessible(page)

    page.get_by_label("Username").fill("amira.khan")
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Error: Sign in – Access to Records")
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct username and password")
    assert_accessible(page)

    sign_in(page, live_server, "amira.khan", PASSWORD)
    expect(page).to_have_url(live_server.url + reverse("home"))
    expect(page.get_by_role("banner")).to_contain_text("Amira Khan")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(re.escape(login_url)))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto(live_server.url + reverse("home"))
    expect(page).to_have_url(re.compile(re.escape(login_url)))
