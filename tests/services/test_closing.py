"""Withdrawing, closing, case notes and corrections — never edits (ALL-2, ALL-3, BH-11,
CAMDEN-7)."""

import pytest

from requests_app.models import AppendOnlyError, AuditEvent, CaseNote, RequestState
from requests_app.services import closing, decisions, disclosure
from tests.services.conftest import (
    assert_audited,
    case,
    cites,
    closed_electronic,
    fresh,
    log,
    log_and_triage,
    notes,
    open_case,
    refused,
)

S = RequestState
pytestmark = pytest.mark.usefixtures("demo")

NOT_WITH = ["The request is not with you or your team at this step."]


@pytest.fixture
def with_worker(people):
    return log_and_triage(people["notts.scimt"], open_case("nottinghamshire"))


def test_a_request_is_withdrawn_with_a_reason(people, with_worker):
    sw = people["notts.sw"]
    assert refused(closing.withdraw, with_worker, sw, reason=" ")

    closing.withdraw(fresh(with_worker), sw, reason="The police no longer need it.")

    request = fresh(with_worker)
    assert request.state == S.WITHDRAWN and request.closed_at is not None
    assert any("no longer need it" in n.text for n in notes(request, CaseNote.Kind.GENERAL))
    assert_audited(request, "withdraw", S.WITH_WORKER, S.WITHDRAWN, sw)


def test_a_request_still_being_worked_on_cannot_be_closed(people, with_worker):
    problems = refused(closing.close, with_worker, people["notts.sw"])

    assert problems
    assert fresh(with_worker).state == S.WITH_WORKER


def test_a_refused_request_is_closed_by_the_csm_who_refused_it(people):
    csm = people["notts.csm"]
    request = log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"))
    decisions.refuse(request, csm, reasons="Whole file asked for.", requester_informed=True)

    closing.close(fresh(request), csm, note="Requester told by phone.")

    request = fresh(request)
    assert request.state == S.CLOSED and request.closed_at is not None
    assert_audited(request, "close", S.REFUSED, S.CLOSED, csm)


def test_a_subject_access_referral_lands_with_the_access_to_information_team(people):
    """ALL-4: the referral reaches someone who can see it and take it on."""
    scimt, ati = people["notts.scimt"], people["notts.ati"]
    request = log_and_triage(scimt, closed_electronic("nottinghamshire"),
                             request_type="subject_access")

    assert fresh(request).state == S.REFERRED_OUT
    assert fresh(request).referred_team.kind == "access_to_information"
    assert refused(closing.accept_referral, fresh(request), scimt) == NOT_WITH
    closing.accept_referral(fresh(request), ati, note="Logged as SAR-123.")

    assert_audited(request, "accept_referral", S.REFERRED_OUT, S.CLOSED, ati)


def test_someone_from_another_council_cannot_close(people):
    request = log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"),
                             asks_for_printed_files=True)

    assert refused(closing.close, request, people["camden.scimt"]) == [
        "You do not work for this council."]
    assert fresh(request).state == S.REFUSED_AT_TRIAGE


def test_camden_request_closes_only_once_the_family_is_told_what_was_shared(people):
    """CAMDEN-7: the family is told afterwards, or the exception is recorded."""
    sw = people["camden.sw"]
    request = log_and_triage(people["camden.scimt"], open_case("camden"), agency_type="health",
                             necessity_note="Only the plan dates.", parents_informed="informed")
    decisions.record_decision(request, sw, reasons="Needed for the plan.")
    disclosure.disclose(fresh(request), sw, what_was_provided="Plan dates",
                        method="secure_email", provided_to="nadia.karim@nhs.net",
                        identity_reverified=True)

    problems = refused(closing.close, fresh(request), sw)

    assert cites(problems, "CAMDEN-7")
    assert fresh(request).state == S.DISCLOSED


# ---- case notes and corrections ----------------------------------------------------------------


def test_the_worker_adds_a_case_note_on_every_subject(people, with_worker):
    sw = people["notts.sw"]

    (note,) = closing.add_case_note(with_worker, sw, text="Spoke to the requester.")

    assert note.author == sw and note.case_record == open_case("nottinghamshire")
    assert AuditEvent.objects.filter(request=with_worker, action="note.added",
                                     object_id=str(note.pk)).exists()


def test_someone_not_working_on_the_request_cannot_add_notes(people, with_worker):
    assert refused(closing.add_case_note, with_worker, people["notts.sw2"], text="Hello.")
    assert refused(closing.add_case_note, with_worker, people["camden.scimt"], text="Hello.")
    assert not notes(with_worker, CaseNote.Kind.GENERAL)


def test_a_correction_is_a_new_note_pointing_at_the_old_one(people):
    """BH-11: amendments are new entries; nothing is overwritten."""
    sw = people["bh.sw"]
    request = log_and_triage(people["bh.scimt"], open_case("brighton_hove"),
                             agency_type="health")
    (original,) = closing.add_case_note(request, sw, text="Mother seen on 3 March.")

    (correction,) = closing.add_correction(request, sw, note=original,
                                           text="Mother was seen on 4 March, not 3 March.")

    assert correction.pk != original.pk
    assert correction.corrects == original
    assert correction.kind == CaseNote.Kind.CORRECTION
    assert "BH-11" in correction.rule_ids
    original.refresh_from_db()
    assert original.text == "Mother seen on 3 March."
    assert AuditEvent.objects.filter(request=request, action="note.corrected").exists()


def test_a_note_can_never_be_edited(people):
    request = log(people["bh.scimt"], open_case("brighton_hove"), agency_type="health")
    (note,) = notes(request)

    note.text = "Rewritten."
    with pytest.raises(AppendOnlyError):
        note.save()
    with pytest.raises(AppendOnlyError):
        CaseNote.objects.filter(pk=note.pk).update(text="Rewritten.")


def test_a_correction_must_be_of_a_note_on_the_same_request(people):
    sw = people["bh.sw"]
    first = log_and_triage(people["bh.scimt"], open_case("brighton_hove"), agency_type="health")
    second = log_and_triage(people["bh.scimt"], case("brighton_hove", is_open=True,
                                                     family_wishes__gt=""),
                            agency_type="health")
    (note,) = closing.add_case_note(first, sw, text="Mother seen on 3 March.")

    assert refused(closing.add_correction, second, sw, note=note, text="4 March.")
    assert refused(closing.add_correction, first, sw, note=note, text=" ")
    assert not notes(first, CaseNote.Kind.CORRECTION)
