"""A child's disclosure register (issue 11 item 4): every request about them, everything that
left the council (what, to whom, when, how, on whose approval, the pack's SHA-256 and a link
to the exact file sent), referrals and refusals. Only the people the council's policy names
may read it, only for their own council's children, and every read is audited."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from requests_app import access
from requests_app.models import AuditEvent, Pack, User
from requests_app.services import decisions, documents, packs
from tests.services.conftest import (  # noqa: F401 (fixtures shared with the service tests)
    _demo_rows,
    demo,
    fresh,
    log_and_triage,
    open_case,
)

pytestmark = pytest.mark.usefixtures("demo")


def person(username: str) -> User:
    return User.objects.get(username=username)


def register_url(child) -> str:
    return reverse("child_register", kwargs={"case_id": child.pk})


def sent_pack(child):
    """A Brighton & Hove request about the child whose pack went by secure email."""
    sw, bs = person("bh.sw"), person("bh.bs")
    request = log_and_triage(person("bh.scimt"), child, agency_type="health")
    request = decisions.record_decision(request, sw, reasons="Relevant and necessary.")
    request = packs.ask_for_pack(fresh(request), sw, instructions="The chronology.")
    record = documents.add_text_record(request, bs, title="Chronology",
                                       text="Seen at home on 3 May; all well.")
    pack = packs.choose_documents(request, bs, documents=[record])
    pack = packs.generate(pack, bs)
    packs.run_generation(pack.pk, str(pack.run_id))
    packs.finalise(Pack.objects.get(pk=pack.pk), bs)
    packs.send(fresh(request), bs, method="secure_email", sent_to="ruth.adler@nhs.net",
               address_confirmed=True)
    return Pack.objects.get(pk=pack.pk)


def refused(child):
    request = log_and_triage(person("bh.scimt"), child, agency_type="health")
    return decisions.decline(request, person("bh.sw"), reasons="Not necessary for the "
                             "school's purpose.", requester_informed=True)


def referred(child):
    return log_and_triage(person("bh.scimt"), child, agency_type="health",
                          request_type="subject_access")


def test_the_register_lists_what_left_with_its_sha256_and_the_exact_file_a_refusal_and_a_referral(  # noqa: E501
        client):
    child = open_case("brighton_hove")
    pack, refusal, referral = sent_pack(child), refused(child), referred(child)
    reader = person("bh.ig")
    assert not access.visible_requests(reader).filter(pk=pack.request_id).exists()
    client.force_login(reader)

    response = client.get(register_url(child))

    assert response.status_code == 200
    page = response.content.decode()
    for reference in (pack.request.reference, refusal.reference, referral.reference):
        assert reference in page
    assert pack.sha256 in page
    assert "ruth.adler@nhs.net" in page and "Secure email" in page and "Chronology" in page
    assert "Sharing information: approved by" in page  # on whose approval
    assert "Not necessary for the school&#x27;s purpose." in page  # the refusal and why
    assert escape(str(referral.referred_team or referral.routed_team)) in page  # where to
    download = reverse("pack_download", kwargs={"reference": pack.request.reference,
                                                "version": pack.version})
    assert f'href="{download}"' in page

    sent_file = client.get(download)

    assert sent_file.status_code == 200
    assert hashlib.sha256(b"".join(sent_file.streaming_content)).hexdigest() == pack.sha256
    event = AuditEvent.objects.get(action="pack.download", actor=reader)
    assert event.detail["sha256"] == pack.sha256


def test_reading_the_register_is_audited_on_the_childs_record(client):
    child, reader = open_case("brighton_hove"), person("bh.ig")
    client.force_login(reader)

    client.get(register_url(child))

    event = AuditEvent.objects.get(action="register.viewed")
    assert event.actor == reader and event.council_id == child.council_id
    assert (event.object_type, event.object_id) == ("requests_app.CaseRecord", str(child.pk))
    assert event.detail["child"] == child.reference


def test_another_councils_reader_cannot_tell_the_child_exists(client):
    child, outsider = open_case("brighton_hove"), person("notts.ig")
    client.force_login(outsider)

    response = client.get(register_url(child))

    assert response.status_code == 404
    event = AuditEvent.objects.get(action="read.refused")
    assert event.council_id == outsider.council_id and event.object_id == ""
    assert event.detail["case_id"] == child.pk and event.detail["would_be"] == "register.viewed"


def test_a_colleague_the_policy_does_not_name_is_refused_with_a_reason(client):
    client.force_login(person("bh.sw"))

    response = client.get(register_url(open_case("brighton_hove")))

    assert response.status_code == 403
    assert "disclosure register" in response.content.decode()
    assert not AuditEvent.objects.filter(action="register.viewed").exists()


def test_a_register_reader_cannot_download_a_pack_that_was_never_sent(client):
    child = open_case("brighton_hove")
    request = log_and_triage(person("bh.scimt"), child, agency_type="health")
    client.force_login(person("bh.ig"))

    response = client.get(reverse("pack_download", kwargs={"reference": request.reference,
                                                           "version": 1}))

    assert response.status_code == 404


def test_the_request_page_links_each_child_to_their_register_for_readers_only(client):
    child = open_case("brighton_hove")
    request = log_and_triage(person("bh.scimt"), child, agency_type="health")
    access.grant(request, person("bh.ig"), act=False)
    detail = reverse("request_detail", kwargs={"reference": request.reference})

    client.force_login(person("bh.ig"))
    as_reader = client.get(detail).content.decode()
    client.force_login(person("bh.sw"))
    as_worker = client.get(detail).content.decode()

    assert register_url(child) in as_reader
    assert register_url(child) not in as_worker


def test_the_register_runs_the_same_number_of_queries_for_one_request_or_three(client):
    child = open_case("brighton_hove")
    client.force_login(person("bh.ig"))
    refused(child)
    client.get(register_url(child))  # warm the session and content types

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(register_url(child)).status_code == 200
        return len(captured.captured_queries)

    at_one = queries()
    refused(child), referred(child)
    assert queries() == at_one
