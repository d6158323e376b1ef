"""Hard copies after sharing: only the CSM who approved the sharing approves; business support
sends them securely to a confirmed address and case-notes the items (NOTTS-2, NOTTS-2.1, ALL-6,
ALL-3)."""

import pytest

from requests_app.models import (
    CaseNote,
    DisclosureDecision,
    HardCopyRequest,
    InformationRequest,
    RequestState,
)
from requests_app.services import closing, decisions, disclosure, hard_copies
from tests.services.conftest import (
    assert_audited,
    assert_noted_on_every_subject,
    cites,
    closed_electronic,
    fresh,
    log_and_triage,
    may_act,
    refused,
)

S = RequestState
HARD_COPIES = DisclosureDecision.Subject.HARD_COPIES
ITEMS = "Child and family assessment, March 2022\nChild protection plan, May 2022"
pytestmark = pytest.mark.usefixtures("demo")

NOT_WITH = ["The request is not with you or your team at this step."]


def disclosed_case(people, agency_type="other_council"):
    request = log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"),
                             agency_type=agency_type)
    request = decisions.approve(request, people["notts.csm"], reasons="Specific, with consent.")
    request = decisions.allocate(request, people["notts.tm"], worker=people["notts.sw"])
    return disclosure.disclose(
        request, people["notts.sw"], what_was_provided="Assessment dates and outcome",
        method="secure_email", provided_to="jo.kerr@derbyshire.gov.uk", identity_reverified=True,
    )


@pytest.fixture
def disclosed(people):
    return disclosed_case(people)


@pytest.fixture
def asked(people, disclosed):
    return hard_copies.request_hard_copies(disclosed, people["notts.sw"], items=ITEMS)


@pytest.fixture
def approved(people, asked):
    return hard_copies.approve_hard_copies(asked, people["notts.csm"], reasons="As shared.")


def hard_copy_decisions(request):
    return DisclosureDecision.objects.filter(request=request, about=HARD_COPIES)


def test_worker_presents_the_list_to_the_csm_who_approved_the_sharing(people, asked):
    csm = people["notts.csm"]
    request = fresh(asked)

    assert request.state == S.HARD_COPIES_REQUESTED
    hcr = HardCopyRequest.objects.get(request=request)
    assert hcr.approver == csm and hcr.requested_by == people["notts.sw"]
    assert hcr.item_list == ITEMS.splitlines()
    (note,) = assert_noted_on_every_subject(request, CaseNote.Kind.HARD_COPIES, "NOTTS-2")
    assert "Carol Hennessy" in note.text and "March 2022" in note.text
    assert_audited(request, "request_hard_copies", S.DISCLOSED, S.HARD_COPIES_REQUESTED,
                   people["notts.sw"])
    assert may_act(csm, request)  # the CSM gets it back to decide


def test_hard_copies_need_a_list_of_documents(people, disclosed):
    assert cites(refused(hard_copies.request_hard_copies, disclosed, people["notts.sw"],
                         items="\n  \n"), "NOTTS-2")
    assert fresh(disclosed).state == S.DISCLOSED


def test_hard_copies_cannot_be_asked_for_before_anything_is_shared(people):
    request = log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"))
    request = decisions.approve(request, people["notts.csm"], reasons="Specific.")
    request = decisions.allocate(request, people["notts.tm"], worker=people["notts.sw"])

    assert refused(hard_copies.request_hard_copies, request, people["notts.sw"], items=ITEMS)
    assert not HardCopyRequest.objects.exists()


def test_only_the_same_csm_approves_hard_copies(people, asked):
    # NOTTS-2: the request went only to the CSM who approved the sharing.
    problems = refused(hard_copies.approve_hard_copies, asked, people["notts.dcpt.csm"],
                       reasons="Fine.")

    assert problems == NOT_WITH
    assert fresh(asked).state == S.HARD_COPIES_REQUESTED
    assert not hard_copy_decisions(asked).exists()


def test_a_csm_from_another_council_cannot_approve_hard_copies(people, asked):
    problems = refused(hard_copies.approve_hard_copies, asked, people["camden.csm"],
                       reasons="Fine.")

    assert problems == ["You do not work for this council."]
    assert not hard_copy_decisions(asked).exists()


def test_the_approving_csm_approves_and_business_support_takes_over(people, approved):
    csm, bs = people["notts.csm"], people["notts.bs"]
    request = fresh(approved)

    assert request.state == S.HARD_COPIES_APPROVED
    decision = hard_copy_decisions(request).get()
    assert (decision.outcome, decision.decided_by) == ("approved", csm)
    assert HardCopyRequest.objects.get(request=request).decision == decision
    assert_noted_on_every_subject(request, CaseNote.Kind.HARD_COPIES, "NOTTS-2", "ALL-2")
    assert_audited(request, "approve_hard_copies", S.HARD_COPIES_REQUESTED,
                   S.HARD_COPIES_APPROVED, csm)
    assert may_act(bs, request)
    assert not may_act(csm, request)


def test_the_approving_csm_may_refuse_hard_copies(people, asked):
    csm = people["notts.csm"]

    hard_copies.refuse_hard_copies(asked, csm, reasons="The plan names a third party.")

    request = fresh(asked)
    assert request.state == S.DISCLOSED
    assert hard_copy_decisions(request).get().outcome == "refused"
    assert_audited(request, "refuse_hard_copies", S.HARD_COPIES_REQUESTED, S.DISCLOSED, csm)
    assert cites(refused(hard_copies.approve_hard_copies, asked, csm, reasons=" "), "ALL-2")


def test_police_asking_for_hard_copies_are_sent_to_legal_services(people):
    """NOTTS-2.1: hard copies for the police never go through this workflow, so the worker is
    told at once instead of the request waiting on a CSM who cannot approve it."""
    request = disclosed_case(people, agency_type="police")

    problems = refused(hard_copies.request_hard_copies, request, people["notts.sw"], items=ITEMS)

    assert cites(problems, "NOTTS-2.1")
    assert fresh(request).state == S.DISCLOSED
    assert not HardCopyRequest.objects.filter(request=request).exists()


def test_sending_reports_every_unmet_condition(people, approved):
    """ALL-6: confirm the address; NOTTS-2: secure email or Cryptshare, not post."""
    problems = refused(hard_copies.send_hard_copies, approved, people["notts.bs"],
                       method="post", sent_to="Derbyshire County Council, Matlock",
                       address_confirmed=False)

    assert cites(problems, "ALL-6")
    assert cites(problems, "NOTTS-2")
    hcr = HardCopyRequest.objects.get(request=approved)
    assert hcr.sent_at is None and hcr.method == ""  # nothing recorded as sent


def test_only_business_support_sends_hard_copies(people, approved):
    # The social worker still holds the request, but producing copies is business support's.
    problems = refused(hard_copies.send_hard_copies, approved, people["notts.sw"],
                       method="secure_email", sent_to="jo.kerr@derbyshire.gov.uk",
                       address_confirmed=True)

    assert cites(problems, "NOTTS-2")
    assert fresh(approved).state == S.HARD_COPIES_APPROVED


def test_business_support_sends_securely_and_case_notes_the_items_and_approval(people,
                                                                             approved):
    bs = people["notts.bs"]

    hard_copies.send_hard_copies(approved, bs, method="cryptshare",
                                 sent_to="jo.kerr@derbyshire.gov.uk", address_confirmed=True)

    request = fresh(approved)
    assert request.state == S.DISCLOSED
    hcr = HardCopyRequest.objects.get(request=request)
    assert (hcr.sent_by, hcr.method, hcr.address_confirmed) == (bs, "cryptshare", True)
    (note,) = assert_noted_on_every_subject(request, CaseNote.Kind.HARD_COPIES, "NOTTS-2",
                                            "ALL-3")
    for part in ("March 2022", "May 2022", "Carol Hennessy", "Cryptshare",
                 "jo.kerr@derbyshire.gov.uk"):
        assert part in note.text
    assert_audited(request, "send_hard_copies", S.HARD_COPIES_APPROVED, S.DISCLOSED, bs)
    assert not may_act(bs, request)

    closing.close(request, people["notts.sw"], note="Copies sent.")
    assert InformationRequest.objects.get(pk=request.pk).state == S.CLOSED
