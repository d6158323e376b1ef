"""Facts about a third-party document asked where the council's rules ask them: CAMDEN-8 what
the third party gave and any restriction on its further use; BH-5 an informant's information
about child protection. Nottinghamshire and Devon ask neither."""

import pytest

from policies.catalogue import DocumentFact
from requests_app import access
from requests_app.models import AuditEvent, CaseNote, Requester
from requests_app.policy_adapter import policy_for
from requests_app.services import documents
from tests.services.conftest import fresh, log_and_triage, notes, open_case

pytestmark = pytest.mark.usefixtures("demo")
CONSENT = dict(is_third_party=True, author_name="Dr Lee", author_organisation="GP surgery",
               author_consent="requested", consent_evidence="")


def third_party_record(people, slug):
    """An open case with its allocated worker, who adds a third-party record."""
    request = log_and_triage(people[f"{slug_user(slug)}.scimt"], open_case(slug),
                             agency_type=agency(slug))
    worker = people[f"{slug_user(slug)}.sw"]
    document = documents.add_text_record(request, worker, title="GP letter",
                                         text="Seen on 3 May.", **CONSENT)
    return request, worker, document


def agency(slug) -> str:
    """A professional requester of the council's demo (not the family: that is a SAR)."""
    return Requester.objects.filter(council__slug=slug).exclude(
        agency_type__in=["subject", "parent", "solicitor", "police", "dbs", "ofsted"]
    ).order_by("pk").first().agency_type


def slug_user(slug):
    return {"camden": "camden", "brighton_hove": "bh", "nottinghamshire": "notts",
            "devon": "devon"}[slug]


@pytest.mark.parametrize("slug, asked", [
    ("camden", {DocumentFact.PROVIDER: ("CAMDEN-8",)}),
    ("brighton_hove", {DocumentFact.INFORMANT: ("BH-5",)}),
    ("nottinghamshire", {}),
    ("devon", {}),
])
def test_each_council_asks_only_its_own_document_facts(people, slug, asked):
    request = log_and_triage(people[f"{slug_user(slug)}.scimt"], open_case(slug),
                             agency_type=agency(slug))
    asks = policy_for(request).document_facts(access.snapshot_for(request))
    assert {a.code: a.rule_ids for a in asks} == asked


def test_camden_records_what_was_given_and_its_restrictions_camden8(people):
    request, worker, document = third_party_record(people, "camden")

    documents.record_consent(document, worker, **CONSENT,
                             what_was_given="A letter about the child's health.",
                             use_restrictions="Not to be shared with the father.")

    document.refresh_from_db()
    assert document.what_was_given == "A letter about the child's health."
    assert document.use_restrictions == "Not to be shared with the father."
    note = notes(request, CaseNote.Kind.GENERAL)[-1]
    assert "Restrictions on its further use: Not to be shared with the father." in note.text
    assert note.rule_ids == ["ALL-5", "CAMDEN-8"]
    event = AuditEvent.objects.filter(request=request, action="document.consent").last()
    assert event.detail["facts"] == ["what_was_given", "use_restrictions"]
    access.forget_snapshots(request)
    (snap,) = access.snapshot_for(fresh(request)).documents
    assert snap.use_restrictions == "Not to be shared with the father."


def test_brighton_hove_records_an_informants_child_protection_information_bh5(people):
    request, worker, document = third_party_record(people, "brighton_hove")

    documents.record_consent(document, worker, **CONSENT, concerns_child_protection=True)

    document.refresh_from_db()
    assert document.concerns_child_protection
    note = notes(request, CaseNote.Kind.GENERAL)[-1]
    assert "An informant's information about child protection: yes." in note.text
    assert "BH-5" in note.rule_ids and "CAMDEN-8" not in note.rule_ids
    (snap,) = access.snapshot_for(fresh(request)).documents
    assert snap.child_protection
    gate = policy_for(request).check("disclose", access.snapshot_for(fresh(request)))
    assert any("child protection" in u.message for u in gate.unmet if u.rule_id == "BH-5")


def test_a_fact_the_council_does_not_ask_is_not_recorded(people):
    request, worker, document = third_party_record(people, "nottinghamshire")

    documents.record_consent(document, worker, **CONSENT, what_was_given="Something.",
                             concerns_child_protection=True)

    document.refresh_from_db()
    assert document.what_was_given == "" and not document.concerns_child_protection
    assert "CAMDEN-8" not in notes(request, CaseNote.Kind.GENERAL)[-1].rule_ids


def test_the_consent_page_asks_each_councils_own_questions(client, people):
    camden, camden_sw, camden_doc = third_party_record(people, "camden")
    bh, bh_sw, bh_doc = third_party_record(people, "brighton_hove")
    notts, notts_sw, notts_doc = third_party_record(people, "nottinghamshire")

    client.force_login(camden_sw)
    page = client.get(f"/requests/{camden.reference}/documents/{camden_doc.pk}/consent/")
    text = page.content.decode()
    assert "What did the third party give?" in text and "CAMDEN-8" in text
    assert "informant" not in text and "BH-5" not in text
    response = client.post(f"/requests/{camden.reference}/documents/{camden_doc.pk}/consent/",
                           {"is_third_party": "True", "author_name": "Dr Lee",
                            "author_consent": "requested", "what_was_given": "A GP letter.",
                            "use_restrictions": ""})
    assert response.status_code == 302
    camden_doc.refresh_from_db()
    assert camden_doc.what_was_given == "A GP letter."

    client.force_login(bh_sw)
    text = client.get(f"/requests/{bh.reference}/documents/{bh_doc.pk}/consent/").content.decode()
    assert "informant&#x27;s information about child protection" in text or (
        "informant's information about child protection" in text)
    assert "CAMDEN-8" not in text and "What did the third party give?" not in text

    client.force_login(notts_sw)
    text = client.get(f"/requests/{notts.reference}/documents/{notts_doc.pk}/consent/"
                      ).content.decode()
    assert "What did the third party give?" not in text and "child protection" not in text
