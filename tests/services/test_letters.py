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
    assert letter.rule_ids[:len(deadline.rule_ids)] == list(dict.fromkeys(deadline.rule_ids))


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


# ---------------------------------------------------------------- each council's own words

LETTERHEAD = {  # who writes and how to reach them, from each council's guidance
    "nottinghamshire": ("Safeguarding Children Information Management Team (SCIMT)",
                        "01623 433177", "safeguardcimt@nottscc.gov.uk"),
    "devon": ("Access to Information team, Business Support",
              "accesstoinformation@devon.gov.uk"),
    "camden": ("Children's Safeguarding and Family Help",
               "Please reply to the social worker who signed this letter"),
    "brighton_hove": ("Children's Social Work",
                      "Please reply by secure email to the worker who signed this letter"),
}
# What no other council's letter may carry: its name, its teams' contacts and words.
OWN = {
    "nottinghamshire": ("Nottinghamshire", "nottscc.gov.uk", "01623", "SCIMT", "Framework",
                        "Annex C", "MASH"),
    "devon": ("Devon", "devon.gov.uk"),
    "camden": ("Camden", "camden.gov.uk", "Family Help", "MOSAIC"),
    "brighton_hove": ("Brighton", "Hove", "40 days", "Egress", "Eclipse"),
}
PREFIX = {"nottinghamshire": "NOTTS-", "devon": "DEVON-", "camden": "CAMDEN-",
          "brighton_hove": "BH-"}


def foreign_words(slug: str, text: str) -> list[str]:
    return [word for other, words in OWN.items() if other != slug
            for word in words if word in text]


def foreign_rules(slug: str, rule_ids) -> list[str]:
    return [r for r in rule_ids if not r.startswith(("ALL-", PREFIX[slug]))]


@pytest.mark.parametrize("slug", sorted(FIRST_CONTACT))
def test_each_councils_acknowledgement_is_in_its_own_words_and_names_no_other_council(
        people, slug):
    logger = people[FIRST_CONTACT[slug]]
    request = log(logger, open_case(slug), agency_type=AGENCY[slug])
    words = policy_for(request).letter_words

    letter = letters.issue_letter(request, logger, LetterKind.ACKNOWLEDGEMENT)

    text = pdf_text(letter)
    assert all(part in text for part in LETTERHEAD[slug]), text
    assert f"Yours sincerely, {logger.get_full_name()}" in text
    assert words.signed_for in text.split("Yours sincerely")[1]
    for said in words.acknowledgement:
        assert " ".join(said.text.split()[:6]) in text
        assert all(rule in letter.rule_ids and rule in text for rule in said.rule_ids)
    assert not foreign_words(slug, text), foreign_words(slug, text)
    assert not foreign_rules(slug, letter.rule_ids)


def test_nottinghamshire_advises_the_police_to_use_annex_c_and_ofsted_to_contact_mash(people):
    scimt = people["notts.scimt"]
    police = log_and_triage(scimt, open_case("nottinghamshire"), agency_type="police",
                            request_type="hard_copies")
    ofsted = log_and_triage(scimt, closed_electronic("nottinghamshire"), agency_type="ofsted",
                            request_type="ofsted_enquiry")

    annex_c = letters.issue_letter(fresh(police), scimt, LetterKind.REFERRAL)
    mash = letters.issue_letter(fresh(ofsted), scimt, LetterKind.REFERRAL)

    assert "Please contact Legal Services under Annex C" in pdf_text(annex_c)
    assert "we have not passed your request on" in pdf_text(annex_c)
    assert annex_c.rule_ids == ["NOTTS-2.1"]
    assert "contact the Multi-Agency Safeguarding Hub (MASH) yourself" in pdf_text(mash)
    assert mash.rule_ids == ["NOTTS-3"]


def test_a_question_for_the_police_scheme_is_advised_even_though_it_closes_at_once(people):
    scimt = people["devon.scimt"]
    request = log_and_triage(scimt, open_case("devon"), agency_type="cafcass",
                             request_type="child_sex_offender_disclosure")
    assert fresh(request).state == RequestState.CLOSED

    letter = letters.issue_letter(fresh(request), scimt, LetterKind.REFERRAL)

    text = pdf_text(letter)
    assert "Child Sex Offender Disclosure Scheme" in text and "accesstoinformation" in text
    assert not foreign_words("devon", text.replace("NOTTS-6", ""))


def test_brighton_and_hove_redirects_a_subject_access_request_with_its_dates(people):
    scimt = people["bh.scimt"]
    request = log_and_triage(scimt, open_case("brighton_hove"), agency_type="health",
                             request_type="subject_access")
    due = policy_for(request).due_dates(access.snapshot_for(fresh(request)),
                                        timezone.localdate())

    letter = letters.issue_letter(fresh(request), scimt, LetterKind.SAR_REDIRECT)

    text = pdf_text(letter)
    assert "Access to Records / Subject Access Requests" in text
    assert "no more than 40 days after a written request" in text
    assert len(due) == 2 and all(long_date(d.due) in text for d in due)
    assert {"ALL-4", "BH-7"} <= set(letter.rule_ids)
    assert not foreign_words("brighton_hove", text)


def test_devon_redirects_a_subject_access_request_to_its_access_to_information_team(people):
    scimt = people["devon.scimt"]
    request = log_and_triage(scimt, open_case("devon"), agency_type="cafcass",
                             request_type="subject_access")

    letter = letters.issue_letter(fresh(request), scimt, LetterKind.SAR_REDIRECT)

    text = pdf_text(letter)
    assert "Devon County Council's public website" in text
    assert "DEVON-3.2" in letter.rule_ids and not foreign_words("devon", text)


def test_camdens_refusal_gives_the_reasons_and_its_proportionality_rule(people):
    worker = people["camden.sw"]
    request = log_and_triage(people["camden.scimt"], open_case("camden"),
                             agency_type="health")
    request = decisions.decline(fresh(request), worker, requester_informed=True,
                                reasons="The school does not need the family history.")

    letter = letters.issue_letter(fresh(request), worker, LetterKind.REFUSAL)

    text = pdf_text(letter)
    assert "Our reasons: The school does not need the family history." in text
    assert "only what is necessary and proportionate" in text and "CAMDEN-3" in letter.rule_ids
    assert not foreign_words("camden", text) and not foreign_rules("camden", letter.rule_ids)
