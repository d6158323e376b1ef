"""Notifications carry absolute links (SITE_URL) and land in the recipient's own in-app list,
newest first; opening one marks it read and goes to the request (issue 13, item 3)."""

import html

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from requests_app.models import AuditEvent, Notification
from requests_app.services import intake
from tests.services.conftest import closed_electronic, log, log_and_triage

pytestmark = pytest.mark.usefixtures("demo")

SITE = "https://records.example.gov.uk"


def shown(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def test_the_email_link_is_absolute_and_the_same_link_is_kept_in_the_app(
        people, django_capture_on_commit_callbacks):
    request = log(people["notts.scimt"], closed_electronic("nottinghamshire"))

    with django_capture_on_commit_callbacks(execute=True):
        request = intake.triage(request, people["notts.scimt"])

    link = SITE + reverse("request_detail", args=[request.reference])
    (message,) = mail.outbox
    assert f"Open it in Access to Records: {link}\n" in message.body
    (notification,) = Notification.objects.filter(recipient=request.routed_to)
    assert notification.url == link
    assert notification.request == request and notification.read_at is None
    assert request.reference in notification.text


def test_a_notification_is_written_inside_the_action_and_rolled_back_with_it(people):
    request = log(people["notts.scimt"], closed_electronic("nottinghamshire"))

    with pytest.raises(RuntimeError), transaction.atomic():
        intake.triage(request, people["notts.scimt"])
        assert Notification.objects.filter(request=request).exists()
        raise RuntimeError("something after the notification failed")

    assert not Notification.objects.filter(request=request).exists()


def test_someone_without_an_email_address_still_sees_it_in_the_app(people):
    csm = people["notts.csm"]
    csm.email = ""
    csm.save(update_fields=["email"])

    request = log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"))

    assert request.routed_to == csm
    assert Notification.objects.filter(recipient=csm, request=request).exists()


@pytest.fixture
def reached(people):
    """A request that reached the Nottinghamshire CSM (one unread notification)."""
    request = log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"))
    return request, Notification.objects.get(recipient=people["notts.csm"], request=request)


def test_the_list_shows_what_reached_me_unread_and_the_header_counts_it(
        client, people, reached):
    request, notification = reached
    client.force_login(people["notts.csm"])

    listing = shown(client.get(reverse("notifications")))

    assert notification.text in listing
    assert "app-notification--unread" in listing
    assert reverse("notification_open", args=[notification.pk]) in listing
    assert '<span class="app-header__count">1<span class="govuk-visually-hidden"> unread' in listing


def test_opening_a_notification_marks_it_read_and_goes_to_the_request(
        client, people, reached):
    request, notification = reached
    client.force_login(people["notts.csm"])

    response = client.get(reverse("notification_open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("request_detail", args=[request.reference])
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert AuditEvent.objects.filter(action="notification.read", request=request,
                                     actor=people["notts.csm"]).count() == 1
    listing = shown(client.get(reverse("notifications")))
    assert "app-notification--unread" not in listing
    assert "app-header__count" not in listing


def test_nobody_sees_or_opens_another_persons_notifications(client, people, reached):
    request, notification = reached
    for someone in ("notts.sw", "bh.csm"):
        client.force_login(people[someone])

        listing = shown(client.get(reverse("notifications")))
        opened = client.get(reverse("notification_open", args=[notification.pk]))

        assert notification.text not in listing
        assert opened.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_list_is_newest_first_and_paginated(client, people, reached):
    request, first = reached
    csm = people["notts.csm"]
    Notification.objects.bulk_create(
        Notification(recipient=csm, request=request, text=f"Later {i}", url=first.url)
        for i in range(30)
    )
    client.force_login(csm)

    page1 = shown(client.get(reverse("notifications")))
    page2 = shown(client.get(reverse("notifications"), {"page": 2}))

    assert "Later 29" in page1 and first.text not in page1
    assert page1.index("Later 29") < page1.index("Later 28")
    assert first.text in page2
    assert "Page 2 of 2" in page2
