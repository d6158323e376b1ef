"""Records retrieval (NOTTS-1.3), checks before release (DEVON-5) and disclosure
(NOTTS-1.2.2, ALL-3, CAMDEN-2, CAMDEN-5, BH-4, BH-6, DEVON-6)."""

import pytest

from policies.base import Action
from requests_app.models import AuditEvent, CaseNote, Document, RecordsRetrieval, RequestState
from requests_app.services import closing, decisions, disclosure
from tests.services.conftest import (
    assert_audited,
    assert_noted_on_every_subject,
    case,
    cites,
    closed_electronic,
    fresh,
    log_and_triage,
    may_act,
    open_case,
    refused,
)

S = RequestState
pytestmark = pytest.mark.usefixtures("demo")

NOT_WITH = ["The request is not with you or your team at this step."]


def disclose(request, user, *, reverified=True, **overrides):
    fields = dict(what_was_provided="Dates and outcome of the 2022 assessment",
                  method="secure_email", provided_to="jo.kerr@derbyshire.gov.uk",
                  address_confirmed=True, identity_reverified=reverified)
    return disclosure.disclose(fresh(request), user, **{**fields, **overrides})


def allocated(people, subject, *, csm="notts.csm", tm="notts.tm", sw="notts.sw"):
    """A Nottinghamshire closed case taken through triage, CSM approval and allocation."""
    request = log_and_triage(people["notts.scimt"], subject)
    request = decisions.approve(request, people[csm], reasons="Specific, with consent.")
    return decisions.allocate(request, people[tm], worker=people[sw])


@pytest.fixture
def with_sophie(people):
    return allocated(people, closed_electronic("nottinghamshire"))


@pytest.fixture
def paper_with_simon(people):
    """NOTTS-1.3: closed Broxtowe case on paper and microfilm; the team no longer exists."""
    paper = case("nottinghamshire", locality="Broxtowe", on_paper=True)
    return allocated(people, paper, csm="notts.dcpt.csm", tm="notts.tm2", sw="notts.sw2")


# ---- Nottinghamshire closed case (NOTTS-1.2.2) ---------------------------------------------


def test_worker_discloses_after_reverifying_identity_and_files_a_copy(people, with_sophie):
    sw = people["notts.sw"]

    request = disclose(with_sophie, sw)

    request = fresh(request)
    assert request.state == S.DISCLOSED
    assert request.identity_reverified_at is not None
    copy = Document.objects.get(request=request, is_disclosure_copy=True)
    assert "2022 assessment" in copy.text
    (note,) = assert_noted_on_every_subject(request, CaseNote.Kind.DISCLOSURE, "ALL-3",
                                            "NOTTS-1.2.2")
    # ALL-3: what, to whom, how and on whose approval.
    for part in ("2022 assessment", "Derbyshire County Council", "secure email",
                 "Carol Hennessy"):
        assert part in note.text
    assert_audited(request, "disclose", S.WITH_WORKER, S.DISCLOSED, sw)


def test_disclosure_waits_for_identity_to_be_verified_again(people, with_sophie):
    problems = refused(disclose, with_sophie, people["notts.sw"], reverified=False)

    assert cites(problems, "NOTTS-1.2.2")
    request = fresh(with_sophie)
    assert request.state == S.WITH_WORKER
    assert not Document.objects.filter(request=request).exists()  # rolled back with the refusal


def test_only_the_allocated_worker_discloses(people, with_sophie):
    assert refused(disclose, with_sophie, people["notts.sw2"])
    assert refused(disclose, with_sophie, people["camden.sw"]) == [
        "You do not work for this council."]
    # The triage officer stepped back once the request was forwarded.
    assert refused(disclose, with_sophie, people["notts.scimt"]) == NOT_WITH
    assert fresh(with_sophie).state == S.WITH_WORKER


def test_disclosure_needs_what_was_provided(people, with_sophie):
    problems = refused(disclose, with_sophie, people["notts.sw"], what_was_provided=" ")

    assert cites(problems, "ALL-3")


# ---- Nottinghamshire closed paper case (NOTTS-1.3) -------------------------------------------


def test_paper_case_reports_every_unmet_condition_before_disclosure(people, paper_with_simon):
    problems = refused(disclose, paper_with_simon, people["notts.sw2"], reverified=False)

    assert cites(problems, "NOTTS-1.3")  # records not retrieved
    assert cites(problems, "NOTTS-1.2.2")  # identity not re-verified


def test_closed_paper_case_cannot_close_while_files_are_out(people, paper_with_simon):
    sw, bs = people["notts.sw2"], people["notts.bs"]

    request = disclosure.request_retrieval(paper_with_simon, sw, medium="paper")
    disclosure.request_retrieval(fresh(request), sw, medium="microfilm")
    assert RecordsRetrieval.objects.filter(request=request).count() == 2
    assert_noted_on_every_subject(request, CaseNote.Kind.RETRIEVAL, "NOTTS-1.3")
    assert_audited(request, "request_retrieval", S.WITH_WORKER, S.WITH_WORKER, sw)
    assert may_act(bs, request)  # business support's team now holds the retrieval

    disclosure.mark_retrieved(fresh(request), bs)
    assert not RecordsRetrieval.objects.filter(request=request, retrieved_at=None).exists()
    disclose(request, sw)
    assert fresh(request).state == S.DISCLOSED

    problems = refused(closing.close, fresh(request), sw)
    assert cites(problems, "NOTTS-1.3")
    assert cites(refused(closing.withdraw, fresh(request), sw, reason="No longer needed."),
                 "NOTTS-1.3")

    disclosure.return_files(fresh(request), bs)
    paper = RecordsRetrieval.objects.get(request=request, medium="paper")
    assert paper.returned_by == bs and paper.returned_at
    assert_audited(request, "return_files", S.DISCLOSED, S.DISCLOSED, bs)
    assert not may_act(bs, request)  # their part is done

    closing.close(fresh(request), sw)
    assert fresh(request).state == S.CLOSED


def test_only_business_support_fetches_and_returns_files(people, paper_with_simon):
    sw = people["notts.sw2"]
    request = disclosure.request_retrieval(paper_with_simon, sw, medium="paper")

    assert cites(refused(disclosure.mark_retrieved, fresh(request), sw), "NOTTS-1.3")
    disclosure.mark_retrieved(fresh(request), people["notts.bs"])
    assert cites(refused(disclosure.return_files, fresh(request), sw), "NOTTS-1.3")


def test_electronic_only_case_has_no_files_to_retrieve(people, with_sophie):
    assert refused(disclosure.request_retrieval, with_sophie, people["notts.sw"], medium="paper")
    assert not RecordsRetrieval.objects.exists()


# ---- Camden (CAMDEN-2, CAMDEN-5) ---------------------------------------------------------------


def camden_decided(people, **facts):
    facts.setdefault("necessity_note", "Only the plan dates, to the named nurse.")
    request = log_and_triage(people["camden.scimt"], open_case("camden"), agency_type="health",
                             **facts)
    return decisions.record_decision(request, people["camden.sw"], reasons="Needed.")


def test_camden_disclosure_waits_for_parents_to_be_told(people):
    request = camden_decided(people)

    problems = refused(disclose, request, people["camden.sw"])

    assert cites(problems, "CAMDEN-2")
    assert fresh(request).state == S.WITH_WORKER


def test_camden_disclosure_with_parents_told_or_an_exception(people):
    for parents in ("informed", "harm"):
        request = camden_decided(people, parents_informed=parents)
        disclose(request, people["camden.sw"])
        assert fresh(request).state == S.DISCLOSED


def test_camden_only_the_allocated_worker_or_supervisor_discloses(people):
    request = camden_decided(people, parents_informed="informed")

    assert refused(disclose, request, people["camden.sw2"])
    assert refused(disclose, request, people["camden.scimt"]) == NOT_WITH
    assert fresh(request).state == S.WITH_WORKER


def test_camden_supervisor_may_disclose_for_the_allocated_worker(people):
    """CAMDEN-5: "normally the allocated SW or their supervisor". Tariq Hussain manages the
    allocated worker's unit, so the policy allows him; the request must be open to him too."""
    request = camden_decided(people, parents_informed="informed")

    disclose(request, people["camden.tm"])

    assert fresh(request).state == S.DISCLOSED


# ---- Brighton & Hove (BH-4, BH-6) ----------------------------------------------------------


def test_brighton_hove_sixteen_year_old_is_told_before_disclosure(people):
    sixteen = case("brighton_hove", is_open=True, family_wishes__gt="")
    request = log_and_triage(people["bh.scimt"], sixteen, agency_type="health",
                             family_wishes_acknowledged=True)
    decisions.record_decision(request, people["bh.sw"], reasons="Relevant to the assessment.")

    problems = refused(disclose, request, people["bh.sw"])

    assert cites(problems, "BH-6")
    assert not cites(problems, "BH-4")


def test_brighton_hove_discloses_once_wishes_acknowledged_and_young_person_told(people):
    sixteen = case("brighton_hove", is_open=True, family_wishes__gt="")
    request = log_and_triage(people["bh.scimt"], sixteen, agency_type="health",
                             family_wishes_acknowledged=True, subject_informed=True)
    decisions.record_decision(request, people["bh.sw"], reasons="Relevant to the assessment.")

    disclose(request, people["bh.sw"])

    assert fresh(request).state == S.DISCLOSED
    closing.close(fresh(request), people["bh.sw"])
    assert fresh(request).state == S.CLOSED


# ---- Devon (DEVON-5 DBS with IG check; DEVON-6 police) ---------------------------------------


@pytest.fixture
def dbs_collated(people):
    """DEVON-5: logged and allocated by Safer Recruitment; the Exeter worker has collated."""
    saferrec = people["devon.saferrec"]
    request = log_and_triage(saferrec, closed_electronic("devon"), agency_type="dbs",
                             request_type="dbs")
    request = decisions.allocate(request, saferrec, worker=people["devon.sw"])
    return decisions.record_decision(request, people["devon.sw"], reasons="Relevant to barring.")


def test_devon_dbs_response_goes_through_the_ig_check(people, dbs_collated):
    sw, ig = people["devon.sw"], people["devon.ig"]

    request = disclosure.submit_for_check(dbs_collated, sw, check=Action.IG_CHECK)
    request = fresh(request)
    assert request.state == S.AWAITING_CHECKS
    assert_audited(request, "submit_for_check", S.WITH_WORKER, S.AWAITING_CHECKS, sw)
    assert may_act(ig, request)

    assert cites(refused(disclosure.complete_check, request, sw, notes="Done."), "DEVON-5")
    disclosure.complete_check(fresh(request), ig, notes="Removed the neighbour's name.")

    request = fresh(request)
    assert request.state == S.WITH_WORKER
    assert Action.IG_CHECK in request.completed_steps
    assert_noted_on_every_subject(request, CaseNote.Kind.GENERAL, "DEVON-5")
    assert_audited(request, "complete_check", S.AWAITING_CHECKS, S.WITH_WORKER, ig)
    assert not may_act(ig, request)


def test_devon_dbs_response_is_not_released_to_an_address_nobody_confirmed(people,
                                                                          dbs_collated):
    """ALL-6: Safer Recruitment's release of the response is its send; the worker's own answer
    on the form says whether the address was confirmed, and nothing is saved without it."""
    saferrec = people["devon.saferrec"]
    disclosure.submit_for_check(dbs_collated, people["devon.sw"], check=Action.IG_CHECK)
    disclosure.complete_check(fresh(dbs_collated), people["devon.ig"], notes="Checked.")
    copies = Document.objects.filter(request=dbs_collated, is_disclosure_copy=True)

    problems = refused(disclose, dbs_collated, saferrec, address_confirmed=False)

    assert cites(problems, "ALL-6") == ["ALL-6: Confirm the recipient's address before sending."]
    assert fresh(dbs_collated).state == S.WITH_WORKER
    assert not copies.exists()
    disclose(dbs_collated, saferrec)
    assert fresh(dbs_collated).state == S.DISCLOSED
    assert copies.count() == 1
    event = AuditEvent.objects.get(request=dbs_collated, action="request.disclose")
    assert event.detail == {"method": "secure_email", "address_confirmed": True}


def test_devon_dbs_response_cannot_be_released_before_the_ig_check(people, dbs_collated):
    """DEVON-5: IG checks only what the DBS is entitled to is included before it goes."""
    problems = refused(disclose, dbs_collated, people["devon.sw"])

    assert cites(problems, "DEVON-5")
    assert fresh(dbs_collated).state == S.WITH_WORKER


def test_devon_police_request_practitioner_decides_and_ig_discloses(people):
    """DEVON-6 / DEVON-0: IG first; the practitioner with their manager decides what is
    relevant, advised by IG; only IG shares with the police."""
    request = log_and_triage(people["devon.scimt"], open_case("devon"), agency_type="police",
                             request_type="police_investigation", criminal_investigation=True)
    assert cites(refused(decisions.record_decision, request, people["devon.ig"], reasons="x"),
                 "DEVON-0")

    decisions.record_decision(fresh(request), people["devon.sw"], reasons="Relevant to s.47.")
    assert cites(refused(disclose, request, people["devon.sw"]), "DEVON-6")
    disclose(request, people["devon.ig"])

    assert fresh(request).state == S.DISCLOSED
