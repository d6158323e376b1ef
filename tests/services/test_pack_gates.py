"""Before a pack is sent, each council's own conditions: Devon DBS → the IG check (DEVON-5);
Camden Care Order → Legal Services redaction of third-party documents (CAMDEN-9);
Nottinghamshire hard copies → the approving CSM's approval and a secure method (NOTTS-2)."""

import pytest

from policies.base import Action
from requests_app.models import Pack, RequestState
from requests_app.services import decisions, disclosure, documents, hard_copies, packs
from tests.services.conftest import (
    case,
    cites,
    closed_electronic,
    fresh,
    log_and_triage,
    refused,
)

S = RequestState
pytestmark = pytest.mark.usefixtures("demo")


def finalised_pack(request, user, **document):
    record = documents.add_text_record(fresh(request), user, title="Summary",
                                       text="Dates of involvement and outcomes.", **document)
    pack = packs.choose_documents(fresh(request), user, documents=[record])
    pack = packs.generate(pack, user)
    packs.run_generation(pack.pk, str(pack.run_id))
    return packs.finalise(Pack.objects.get(pk=pack.pk), user)


def test_devon_dbs_pack_waits_for_the_ig_check_then_safer_recruitment_sends_it(people):
    saferrec, sw, ig = people["devon.saferrec"], people["devon.sw"], people["devon.ig"]
    request = log_and_triage(saferrec, closed_electronic("devon"), agency_type="dbs",
                             request_type="dbs")
    request = decisions.allocate(request, saferrec, worker=sw)
    request = decisions.record_decision(request, sw, reasons="Relevant to barring.")
    finalised_pack(request, sw)

    problems = refused(packs.send, request, saferrec, method="secure_email",
                       sent_to="dbs@dbs.gov.uk", address_confirmed=True)
    assert problems  # not with Safer Recruitment yet, and no IG check
    request = disclosure.submit_for_check(fresh(request), sw, check=Action.IG_CHECK)
    disclosure.complete_check(fresh(request), ig, notes="Only what the DBS may see.")

    request = packs.send(fresh(request), saferrec, method="secure_email",
                         sent_to="dbs@dbs.gov.uk", address_confirmed=True)
    assert request.state == S.DISCLOSED


def test_devon_dbs_pack_is_not_sent_before_the_ig_check(people):
    saferrec, sw = people["devon.saferrec"], people["devon.sw"]
    request = log_and_triage(saferrec, closed_electronic("devon"), agency_type="dbs",
                             request_type="dbs")
    request = decisions.allocate(request, saferrec, worker=sw)
    request = decisions.record_decision(request, sw, reasons="Relevant to barring.")
    finalised_pack(request, sw)
    problems = refused(packs.send, request, sw, method="secure_email",
                       sent_to="dbs@dbs.gov.uk", address_confirmed=True)
    assert cites(problems, "DEVON-5")


def test_camden_care_order_third_party_document_goes_to_legal_services_first(people):
    subject = case("camden", care_order=True)
    request = log_and_triage(people["camden.scimt"], subject, agency_type="health",
                             necessity_note="Only the plan dates, to the named nurse.",
                             parents_informed="informed")
    worker = request.routed_to or subject.allocated_worker
    request = decisions.record_decision(request, worker, reasons="Needed for the assessment.")
    finalised_pack(request, worker, is_third_party=True, author_name="Dr Helen Marsh",
                   author_consent="granted", consent_evidence="Letter of 2 May 2026")

    problems = refused(packs.send, request, worker, method="secure_email",
                       sent_to="ruth.adler@nhs.net", address_confirmed=True)
    assert cites(problems, "CAMDEN-9")
    request = disclosure.submit_for_check(fresh(request), worker, check=Action.LEGAL_REDACTION)
    disclosure.complete_check(fresh(request), people["camden.legal"], notes="Redacted.")
    request = packs.send(fresh(request), worker, method="secure_email",
                         sent_to="ruth.adler@nhs.net", address_confirmed=True)
    assert request.state == S.DISCLOSED


def test_nottinghamshire_hard_copies_pack_is_sent_by_business_support_after_approval(people):
    request = log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"))
    request = decisions.approve(request, people["notts.csm"], reasons="Specific, with consent.")
    request = decisions.allocate(request, people["notts.tm"], worker=people["notts.sw"])
    request = disclosure.disclose(
        request, people["notts.sw"], what_was_provided="Assessment dates and outcome",
        method="secure_email", provided_to="jo.kerr@derbyshire.gov.uk", identity_reverified=True)
    assert refused(packs.choose_documents, request, people["notts.bs"], documents=[])
    request = hard_copies.request_hard_copies(fresh(request), people["notts.sw"],
                                              items="Child and family assessment, 2022")
    request = hard_copies.approve_hard_copies(fresh(request), people["notts.csm"],
                                              reasons="As shared.")
    finalised_pack(request, people["notts.bs"])

    problems = refused(packs.send, request, people["notts.bs"], method="post",
                       sent_to="Derbyshire County Council, Matlock", address_confirmed=True)
    assert cites(problems, "NOTTS-2")
    request = packs.send(fresh(request), people["notts.bs"], method="cryptshare",
                         sent_to="jo.kerr@derbyshire.gov.uk", address_confirmed=True)
    assert request.state == S.DISCLOSED
