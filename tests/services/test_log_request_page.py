"""Logging a request: the date it was received (deadlines run from it) and where it first
arrived (NOTTS-0.5), on the page and in the service."""

from datetime import timedelta

import pytest
from django.utils import timezone

from requests_app import access
from requests_app.models import InformationRequest, Team
from requests_app.policy_adapter import policy_for
from tests.services.conftest import GOOD_FACTS, log, open_case, refused, requester

pytestmark = pytest.mark.usefixtures("demo")


def _post(client, user, **overrides):
    client.force_login(user)
    subject = open_case(user.council.slug)
    data = {**{k: v for k, v in GOOD_FACTS.items() if k != "identity_verified"},
            "identity_verified": "on", "working_with_subject": "True",
            "specific_information": "True", "subjects": [subject.pk],
            "existing_requester": requester(user.council.slug, "other_council").pk}
    data.update(overrides)
    return client.post("/requests/new/", data)


def test_the_log_page_asks_the_date_received_defaulting_to_today(client, people):
    client.force_login(people["notts.scimt"])
    page = client.get("/requests/new/").content.decode()
    today = timezone.localdate()
    assert "Date the request was received" in page
    assert f'name="received_at_0" value="{today.day}"' in page
    assert f'name="received_at_2" value="{today.year}"' in page
    assert "Where did the request first arrive?" in page


def test_a_request_received_earlier_has_its_deadline_from_that_date(client, people):
    earlier = timezone.localdate() - timedelta(days=10)
    response = _post(client, people["notts.scimt"], received_at_0=earlier.day,
                     received_at_1=earlier.month, received_at_2=earlier.year)

    assert response.status_code == 302
    request = InformationRequest.objects.get(council__slug="nottinghamshire")
    assert timezone.localtime(request.received_at).date() == earlier
    access.forget_snapshots(request)
    assert request.due_date == policy_for(request).deadline(access.snapshot_for(request)).due


def test_where_it_first_arrived_is_recorded_from_the_councils_own_teams(client, people):
    mash = Team.objects.get(council__slug="nottinghamshire", kind="mash")
    assert _post(client, people["notts.scimt"], received_by_team=mash.pk).status_code == 302
    assert InformationRequest.objects.get(council__slug="nottinghamshire").received_by_team == mash

    camden_team = Team.objects.filter(council__slug="camden").first()
    response = _post(client, people["notts.scimt"], received_by_team=camden_team.pk)
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_a_date_in_the_future_or_not_real_is_refused_and_nothing_typed_is_lost(client, people):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _post(client, people["notts.scimt"], received_at_0=tomorrow.day,
                     received_at_1=tomorrow.month, received_at_2=tomorrow.year,
                     information_sought="Only the dates of the last plan.")
    page = response.content.decode()
    assert response.status_code == 422
    assert "The date the request was received must be today or in the past" in page
    assert "Only the dates of the last plan." in page

    response = _post(client, people["notts.scimt"], received_at_0="30", received_at_1="2",
                     received_at_2="2026")
    assert "The date the request was received must be a real date" in response.content.decode()
    response = _post(client, people["notts.scimt"], received_at_0="3", received_at_1="",
                     received_at_2="2026")
    assert "The date the request was received must include a month" in (
        response.content.decode())
    assert not InformationRequest.objects.filter(council__slug="nottinghamshire").exists()


def test_the_service_refuses_a_future_date_and_another_councils_team(people):
    scimt = people["notts.scimt"]
    assert refused(log, scimt, open_case("nottinghamshire"),
                   received_at=timezone.localdate() + timedelta(days=2))
    assert refused(log, scimt, open_case("nottinghamshire"),
                   received_by_team=Team.objects.filter(council__slug="camden").first())
    request = log(scimt, open_case("nottinghamshire"),
                  received_at=timezone.localdate() - timedelta(days=3))
    assert timezone.localtime(request.received_at).date() == (
        timezone.localdate() - timedelta(days=3))
