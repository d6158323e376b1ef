"""Bad input on the main pages is a 400 or a form error with a message, never a 500 (issue 11,
item 7): NUL bytes (PostgreSQL cannot store them) and answers longer than their columns."""

import html

import pytest

from requests_app.models import InformationRequest, RequestAmendment
from tests.services.conftest import GOOD_FACTS, log_and_triage, open_case

pytestmark = pytest.mark.usefixtures("demo")

PROBLEM = "Sorry, there is a problem with your request"


@pytest.fixture
def bh_request(people):
    return log_and_triage(people["bh.scimt"], open_case("brighton_hove"), agency_type="health")


@pytest.mark.parametrize("url", [
    "/requests/%00/",
    "/requests/new/?q=%00",
    "/requests/new/?q=abc%00def",
    "/?state=%00",
    "/?view=mine&sort=%00",
])
def test_a_nul_byte_in_the_path_or_query_is_a_400_with_a_message(client, people, url):
    client.force_login(people["notts.scimt"])

    response = client.get(url)

    assert response.status_code == 400
    assert PROBLEM in response.content.decode()


def test_a_nul_byte_before_signing_in_is_a_400_too(client, db):
    assert client.get("/requests/%00/").status_code == 400
    assert client.post("/accounts/login/", {"username": "a\x00b", "password": "x"}
                       ).status_code == 400


def test_a_nul_byte_in_a_posted_answer_is_a_400_and_nothing_is_written(client, people,
                                                                       bh_request):
    client.force_login(people["bh.sw"])
    notes_before = bh_request.case_notes.count()

    response = client.post(f"/requests/{bh_request.reference}/notes/new/",
                           {"text": "A note\x00 with a NUL"})

    assert response.status_code == 400
    assert PROBLEM in response.content.decode()
    assert bh_request.case_notes.count() == notes_before


def test_a_nul_byte_in_an_action_form_is_a_400(client, people, bh_request):
    client.force_login(people["bh.sw"])

    response = client.post(f"/requests/{bh_request.reference}/withdraw/",
                           {"reason": "\x00"})

    assert response.status_code == 400


def _log(client, user, **overrides):
    client.force_login(user)
    data = {**{k: v for k, v in GOOD_FACTS.items() if k != "identity_verified"},
            "identity_verified": "on", "working_with_subject": "True",
            "specific_information": "True", "subjects": [open_case(user.council.slug).pk],
            "existing_requester": "", "requester_name": "DC Jane Doe",
            "requester_organisation": "Police", "requester_agency_type": "police",
            "requester_email": "jane@police.example", "requester_phone": "0115 000000"}
    data.update(overrides)
    return client.post("/requests/new/", data)


@pytest.mark.parametrize(("field", "length", "message"), [
    ("requester_name", 121, "Requester's full name must be 120 characters or fewer"),
    ("requester_organisation", 161, "Organisation must be 160 characters or fewer"),
    ("requester_phone", 41, "Phone number must be 40 characters or fewer"),
])
def test_requester_answers_longer_than_their_columns_are_a_form_error_on_the_log_page(
        client, people, field, length, message):
    before = InformationRequest.objects.count()

    response = _log(client, people["notts.scimt"], **{field: "x" * length})

    assert response.status_code == 422
    assert message in html.unescape(response.content.decode())
    assert InformationRequest.objects.count() == before


def test_an_over_long_email_address_is_a_form_error_on_the_log_page(client, people):
    response = _log(client, people["notts.scimt"],
                    requester_email="a" * 64 + "@" + ("b" * 60 + ".") * 4 + "example")

    assert response.status_code == 422
    assert "govuk-error-message" in response.content.decode()


def test_the_largest_answers_the_columns_hold_are_accepted(client, people):
    response = _log(client, people["notts.scimt"], requester_name="x" * 120,
                    requester_organisation="y" * 160, requester_phone="1" * 40)

    assert response.status_code == 302


def test_an_over_long_requester_name_is_a_form_error_on_the_correction_page(
        client, people, bh_request):
    from tests.services.test_corrections import _form

    client.force_login(people["bh.sw"])
    response = client.post(f"/requests/{bh_request.reference}/correct/",
                           _form(bh_request, requester_name="x" * 121,
                                 requester_email="a" * 250 + "@x.uk", reason="Typo."))

    assert response.status_code in (200, 422)
    assert "govuk-error-message" in response.content.decode()
    assert not RequestAmendment.objects.filter(request=bh_request).exists()
