"""Letters to the requester (issue 13 item 4): the policy says which and what; each is a PDF
filed on the request, with a case note and an audit event; only the council's people see it."""

import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from policies.letters import LetterKind, long_date
from requests_app import access
from requests_app.models import AuditEvent, CaseNote, Letter, RequestState
from requests_app.policy_adapter import policy_for
from requests_app.services import decisions, letters
from requests_app.services.base import ActionRefused
from tests.services.conftest import closed_electronic, fresh, log, log_and_triage, open_case

pytestmark = pytest.mark.usefixtures("demo")

FIRST_CONTACT = {"nottinghamshire": "notts.scimt", "devon": "devon.scimt",
                 "camden": "camden.scimt", "brighton_hove": "bh.scimt"}
# A requester each council's demo data has.
AGENCY = {"nottinghamshire": "other_council", "devon": "cafcass", "camden": "health",
          "brighton_hove": "health"}


def pdf_text(letter: Letter) -> str:
    with letter.file.open("rb") as handle:
        data = handle.read()
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, check=True,
                          capture_output=True).stdout.decode()
    return " ".join(text.split())


@pytest.mark.parametrize("slug", sorted(FIRST_CONTACT))
def test_each_councils_acknowledgement_gives_its_own_due_date(people, slug):
    logger = people[FIRST_CONTACT[slug]]
    request = log(logger, open_case(slug), agency_type=AGENCY[slug])
    deadline = policy_for(request).deadline(access.snapshot_for(request),
                                            timezone.localdate())

    letter = letters.issue_letter(request, logger, LetterKind.ACKNOWLEDGEMENT)

    text = pdf_text(letter)
    assert f"We will reply by {long_date(deadline.due)}" in text
    assert request.reference in text and request.council.name in text
    assert all(rule in text for rule in deadline.rule_ids)
    assert letter.rule_ids == list(dict.fromkeys(deadline.rule_ids))


def test_a_refusal_letter_carries_the_recorded_reasons_and_is_filed_with_note_and_audit(
        people):
    csm = people["notts.csm"]
    request = log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"))
    request = decisions.refuse(fresh(request), csm, requester_informed=True,
                               reasons="The family court has not ordered disclosure.")
    assert request.state == RequestState.REFUSED

    letter = letters.issue_letter(fresh(request), csm, LetterKind.REFUSAL)

    assert "Our reasons: The family court has not ordered disclosure." in pdf_text(letter)
    note = CaseNote.objects.filter(request=request).order_by("-id").first()
    assert note.text.startswith("Letter to the requester: We cannot share")
    assert note.rule_ids == letter.rule_ids and letter.rule_ids
    event = AuditEvent.objects.get(action="letter.issued")
    assert event.detail["sha256"] == letter.sha256 and event.actor == csm


def test_a_letter_the_policy_does_not_offer_now_is_refused(people):
    logger = people["notts.scimt"]
    request = log(logger, open_case("nottinghamshire"))

    with pytest.raises(ActionRefused, match="no such letter"):
        letters.issue_letter(request, logger, LetterKind.REFUSAL)
    assert not Letter.objects.exists()


def test_someone_who_neither_holds_nor_logged_the_request_cannot_write(people):
    request = log(people["notts.scimt"], open_case("nottinghamshire"))

    with pytest.raises(ActionRefused, match="holds this request"):
        letters.issue_letter(request, people["notts.bs"], LetterKind.ACKNOWLEDGEMENT)


def test_another_councils_user_cannot_download_a_letter_and_its_reader_is_audited(
        client, people):
    logger = people["notts.scimt"]
    request = log(logger, open_case("nottinghamshire"))
    letter = letters.issue_letter(request, logger, LetterKind.ACKNOWLEDGEMENT)
    url = reverse("letter_download", args=[request.reference, letter.pk])

    client.force_login(people["camden.scimt"])
    assert client.get(url).status_code == 404

    client.force_login(logger)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    event = AuditEvent.objects.filter(action="letter.download").get()
    assert event.actor == logger and event.detail["sha256"] == letter.sha256


def test_the_request_page_offers_the_letters_and_links_the_filed_one(client, people):
    logger = people["notts.scimt"]
    request = log(logger, open_case("nottinghamshire"))
    client.force_login(logger)
    page = reverse("request_detail", args=[request.reference])

    assert "Write: Acknowledgement of your request" in client.get(page).content.decode()
    response = client.post(reverse("letter_issue", args=[request.reference,
                                                         LetterKind.ACKNOWLEDGEMENT]))
    assert response.status_code == 302

    letter = Letter.objects.get(request=request)
    html = client.get(page).content.decode()
    assert reverse("letter_download", args=[request.reference, letter.pk]) in html


def test_a_subject_access_request_is_offered_the_redirection_the_policy_words(people):
    logger = people["camden.scimt"]
    request = log_and_triage(logger, open_case("camden"), agency_type="health",
                             request_type="subject_access")
    snapshot = access.snapshot_for(fresh(request))
    routing = policy_for(request).route(snapshot)
    offered = {letter.kind for letter in letters.offered_letters(fresh(request))}
    assert LetterKind.SAR_REDIRECT in offered, (request.state, offered)

    letter = letters.issue_letter(fresh(request), logger, LetterKind.SAR_REDIRECT)

    assert routing.tell_requester.split(".")[0] in pdf_text(letter)
    assert letter.rule_ids == list(routing.rule_ids)
