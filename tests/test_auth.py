"""Signing in and out. Every page but the sign-in page needs a signed-in user."""

from django.urls import reverse

from tests.factories import PASSWORD


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_signing_in_with_the_right_password_lands_on_the_home_page(client, scimt_officer):
    response = client.post(
        reverse("login"), {"username": "scimt", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.status_code == 200
    assert response.context["user"] == scimt_officer
    assert is_signed_in(client)


def test_the_home_page_shows_who_is_signed_in_their_council_and_role(client, scimt_officer):
    client.force_login(scimt_officer)

    page = client.get(reverse("home")).content.decode()

    assert "Sam Okafor" in page
    assert "Nottinghamshire County Council" in page
    assert "SCIMT officer" in page


def test_a_wrong_password_shows_an_error_and_stays_signed_out(client, scimt_officer):
    response = client.post(reverse("login"), {"username": "scimt", "password": "not-it"})

    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert not is_signed_in(client)


def test_an_inactive_user_cannot_sign_in(client, scimt_officer):
    scimt_officer.is_active = False
    scimt_officer.save(update_fields=["is_active"])

    client.post(reverse("login"), {"username": "scimt", "password": PASSWORD})

    assert not is_signed_in(client)


def test_signing_out_signs_the_user_out(client, scimt_officer):
    client.force_login(scimt_officer)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert not is_signed_in(client)
    assert client.get(reverse("home")).status_code == 302


def test_signing_out_needs_a_form_post_not_a_link(client, scimt_officer):
    client.force_login(scimt_officer)

    response = client.get("/accounts/logout/")

    assert response.status_code == 405
    assert is_signed_in(client)


def test_an_anonymous_visitor_to_the_home_page_is_sent_to_sign_in(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_the_sign_in_page_is_open_to_anonymous_visitors(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert "Sign in" in response.content.decode()
