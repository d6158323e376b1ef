"""Re-authentication before undoing a redaction, recording consent or sending (issue 11
item 5, requests_app/reauth.py): a sign-in older than REAUTH_SECONDS is asked to confirm it is
them, the action is not done until they have, and then it is."""

import time
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from requests_app.models import AuditEvent, Document, Redaction, RequestState
from requests_app.reauth import AUTHENTICATED_AT, DRAFT
from requests_app.services import decisions, documents, redaction
from requests_app.views.actions import ACTIONS, offered_actions
from tests.services.conftest import (  # noqa: F401 (fixtures shared with the service tests)
    _demo_rows,
    demo,
    log_and_triage,
    open_case,
)
from tests.test_redaction_views import RECORD, person, url

pytestmark = pytest.mark.usefixtures("demo")

DEMO_PASSWORD = "demo-access-2026"


@pytest.fixture
def obj():
    """A Brighton & Hove open case with its allocated worker, Saskia (bh.sw)."""
    request = log_and_triage(person("bh.scimt"), open_case("brighton_hove"), agency_type="health")
    assert request.state == RequestState.WITH_WORKER
    return decisions.record_decision(request, person("bh.sw"), reasons="Relevant and necessary.")


@pytest.fixture
def record(obj):
    return documents.add_text_record(obj, person("bh.sw"), title="Chronology", text=RECORD)


@pytest.fixture
def worker(client, settings):
    settings.REAUTH_SECONDS = 300
    client.force_login(person("bh.sw"))
    return person("bh.sw")


def signed_in_long_ago(client, seconds=301):
    session = client.session
    session[AUTHENTICATED_AT] = int(time.time()) - seconds
    session.save()


def confirm_url(next_url):
    return f"{reverse('confirm_sign_in')}?{urlencode({'next': next_url})}"


def test_a_fresh_sign_in_undoes_a_redaction_straight_away(client, worker, record):
    made = redaction.redact_text(record, worker, start=0, end=8, reason="NR")

    response = client.post(url("redaction_undo", record, rid=made.pk))

    assert response.status_code == 302 and response.url == url("document_detail", record)
    made.refresh_from_db()
    assert not made.active


def test_an_old_sign_in_is_asked_to_confirm_before_an_undo_and_nothing_is_undone(
        client, worker, record):
    made = redaction.redact_text(record, worker, start=0, end=8, reason="NR")
    signed_in_long_ago(client)

    response = client.post(url("redaction_undo", record, rid=made.pk))

    assert response.status_code == 302
    assert response.url == confirm_url(url("document_detail", record))
    made.refresh_from_db()
    assert made.active
    page = client.get(response.url).content.decode()
    assert "Confirm it is you" in page
    assert "Before you undo a redaction" in page
    assert 'name="password"' in page


def test_after_confirming_with_the_password_the_undo_succeeds(client, worker, record):
    made = redaction.redact_text(record, worker, start=0, end=8, reason="NR")
    signed_in_long_ago(client)
    asked = client.post(url("redaction_undo", record, rid=made.pk))

    back = client.post(reverse("confirm_sign_in"),
                       {"password": DEMO_PASSWORD, "next": url("document_detail", record)})

    assert back.status_code == 302 and back.url == url("document_detail", record)
    assert asked.status_code == 302
    event = AuditEvent.objects.get(action="auth.reauthenticated")
    assert event.actor == worker
    assert event.detail == {"username": "bh.sw", "method": "password",
                            "for": "undo a redaction"}
    assert client.post(url("redaction_undo", record, rid=made.pk)).status_code == 302
    assert not Redaction.objects.get(pk=made.pk).active


def test_a_wrong_password_is_refused_with_a_message_and_the_undo_still_waits(
        client, worker, record):
    made = redaction.redact_text(record, worker, start=0, end=8, reason="NR")
    signed_in_long_ago(client)
    client.post(url("redaction_undo", record, rid=made.pk))

    response = client.post(reverse("confirm_sign_in"), {"password": "not-it", "next": "/"})

    assert response.status_code == 422
    assert "The password is not right" in response.content.decode()
    assert AuditEvent.objects.get(action="auth.reauth_failed").detail["reason"] == (
        "wrong_password")
    assert not AuditEvent.objects.filter(action="auth.reauthenticated").exists()
    assert client.post(url("redaction_undo", record, rid=made.pk)).url.startswith(
        reverse("confirm_sign_in"))
    assert Redaction.objects.get(pk=made.pk).active


def test_django_axes_counts_wrong_passwords_when_confirming_and_locks_out(
        client, worker, record):
    signed_in_long_ago(client)
    for _ in range(5):
        client.post(reverse("confirm_sign_in"), {"password": "not-it", "next": "/"})

    response = client.post(reverse("confirm_sign_in"),
                           {"password": DEMO_PASSWORD, "next": "/"})

    assert response.status_code == 429
    assert "You cannot sign in at the moment" in response.content.decode()
    assert AccessAttempt.objects.get(username="bh.sw").failures_since_start >= 5
    assert not AuditEvent.objects.filter(action="auth.reauthenticated").exists()


def test_consent_waits_for_confirmation_and_what_was_typed_comes_back(client, worker,
                                                                       record):
    consent_url = url("document_consent", record)
    typed = {"is_third_party": "True", "author_name": "Dr Amina Aziz",
             "author_consent": Document.AuthorConsent.GRANTED,
             "consent_evidence": "Email of 3 March 2026"}
    signed_in_long_ago(client)

    response = client.post(consent_url, typed)

    assert response.status_code == 302 and response.url.startswith(reverse("confirm_sign_in"))
    record.refresh_from_db()
    assert record.author_name == "" and record.author_consent != "granted"
    assert "Before you record the author&#x27;s consent" in client.get(
        response.url).content.decode()
    client.post(reverse("confirm_sign_in"), {"password": DEMO_PASSWORD, "next": consent_url})
    form_again = client.get(consent_url).content.decode()
    assert 'value="Dr Amina Aziz"' in form_again and "Email of 3 March 2026" in form_again
    assert DRAFT not in client.session  # put back once

    done = client.post(consent_url, typed)

    assert done.status_code == 302, done.content.decode()[:2000]
    record.refresh_from_db()
    assert record.author_name == "Dr Amina Aziz"


def test_sending_waits_for_confirmation(client, worker, obj):
    sends = [o.transition for o in offered_actions(obj, worker)
             if ACTIONS[o.transition].reauth]
    assert sends, [o.transition for o in offered_actions(obj, worker)]
    action_url = reverse("act", kwargs={"reference": obj.reference, "action": sends[0]})
    before = AuditEvent.objects.filter(request=obj).count()
    signed_in_long_ago(client)

    response = client.post(action_url, {"method": "secure_email"})

    assert response.status_code == 302 and response.url.startswith(reverse("confirm_sign_in"))
    assert AuditEvent.objects.filter(request=obj).count() == before  # nothing was sent
    client.post(reverse("confirm_sign_in"), {"password": DEMO_PASSWORD, "next": action_url})
    # Now the form is handled: refused for what is missing, not sent to confirm again.
    assert client.post(action_url, {"method": "secure_email"}).status_code == 422


def test_other_actions_need_no_confirmation(client, worker, obj):
    signed_in_long_ago(client, seconds=3600)
    others = [o.transition for o in offered_actions(obj, worker)
              if not ACTIONS[o.transition].reauth and o.enabled]
    action_url = reverse("act", kwargs={"reference": obj.reference, "action": others[0]})

    assert client.post(action_url, {}).status_code in (302, 422)


def test_the_confirmation_page_goes_only_to_pages_of_this_site(client, worker):
    signed_in_long_ago(client)

    response = client.post(reverse("confirm_sign_in"),
                           {"password": DEMO_PASSWORD, "next": "https://evil.example/"})

    assert response.status_code == 302 and response.url == reverse("home")
