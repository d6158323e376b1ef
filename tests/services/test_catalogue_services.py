"""Steps the catalogue added: third-party consent per document (ALL-5), reallocation and a
manager's change of route, each with its reason on record."""

import pytest

from requests_app.models import CaseNote, Pack, RequestState
from requests_app.services import decisions, documents, packs, redaction, routing
from tests.services.conftest import (
    assert_audited,
    assert_noted_on_every_subject,
    cites,
    fresh,
    log_and_triage,
    may_act,
    open_case,
    refused,
    team,
)

S = RequestState
pytestmark = pytest.mark.usefixtures("demo")
SEND = dict(method="secure_email", sent_to="ruth.adler@nhs.net", address_confirmed=True)


def decided_with_third_party_letter(people):
    """Brighton & Hove: an open case decided by its worker, with a GP letter whose author's
    consent was only asked for, and one name in it redacted."""
    sw = people["bh.sw"]
    request = log_and_triage(people["bh.scimt"], open_case("brighton_hove"),
                             agency_type="health")
    decisions.record_decision(request, sw, reasons="Relevant to the assessment.")
    letter = documents.add_text_record(
        fresh(request), sw, title="GP letter", text="Dr Marsh saw the child and Tom Reed.",
        is_third_party=True, author_name="Dr Helen Marsh", author_organisation="GP surgery",
        author_consent="requested")
    start = letter.text.index("Tom Reed")
    redaction.redact_text(letter, sw, start=start, end=start + 8, reason="TP")
    pack = packs.choose_documents(fresh(request), sw, documents=[letter])
    pack = packs.generate(pack, sw)
    packs.run_generation(pack.pk, str(pack.run_id))
    packs.finalise(Pack.objects.get(pk=pack.pk), sw, reviewed_pending=_pending(pack))
    return fresh(request), letter


def _pending(pack) -> int:
    return sum(n for _, n in packs.pending_suggestions(Pack.objects.get(pk=pack.pk)))


def test_one_redaction_does_not_release_a_third_party_document(people):
    """ALL-5: a single redaction is not the author's consent."""
    request, _ = decided_with_third_party_letter(people)

    problems = refused(packs.send, request, people["bh.sw"], **SEND)

    assert cites(problems, "ALL-5")
    assert fresh(request).state == S.WITH_WORKER


def test_the_sender_confirms_every_passage_is_redacted_and_the_pack_goes(people):
    request, letter = decided_with_third_party_letter(people)

    packs.send(request, people["bh.sw"], redaction_confirmed=[str(letter.pk)], **SEND)

    request = fresh(request)
    assert request.state == S.DISCLOSED
    (note,) = [n for n in assert_noted_on_every_subject(request, CaseNote.Kind.DISCLOSURE)]
    assert "every passage of 'GP letter'" in note.text


def test_a_redaction_undone_after_the_confirmation_needs_a_new_one(people):
    """The confirmation covers the redactions as they were: an undo voids it."""
    from requests_app import access
    from requests_app.services.facts import apply_facts

    sw = people["bh.sw"]
    request = log_and_triage(people["bh.scimt"], open_case("brighton_hove"),
                             agency_type="health")
    letter = documents.add_text_record(
        fresh(request), sw, title="GP letter", text="Dr Marsh saw Tom Reed.",
        is_third_party=True, author_name="Dr Helen Marsh", author_consent="requested")
    start = letter.text.index("Tom Reed")
    cut = redaction.redact_text(letter, sw, start=start, end=start + 8, reason="TP")

    def confirmed() -> bool:
        (doc,) = access.snapshot_for(fresh(request)).documents
        return doc.redacted

    assert not confirmed()
    apply_facts(fresh(request), sw, {"redaction_confirmed": [str(letter.pk)]})
    assert confirmed()
    redaction.undo(cut, sw)
    assert not confirmed()


def test_the_team_manager_reallocates_with_a_reason_and_the_first_worker_steps_back(people):
    tm, sw, sw2 = people["bh.tm"], people["bh.sw"], people["bh.sw2"]
    request = log_and_triage(people["bh.scimt"], open_case("brighton_hove"),
                             agency_type="health")

    assert refused(decisions.reallocate, request, sw, worker=sw2, reason="Leave.")
    decisions.reallocate(fresh(request), tm, worker=sw2, reason="Saskia is on leave.")

    request = fresh(request)
    assert request.allocated_worker == sw2
    assert may_act(sw2, request) and not may_act(sw, request)
    (note,) = assert_noted_on_every_subject(request, CaseNote.Kind.ALLOCATION, "BH-1")
    assert "Saskia is on leave." in note.text
    assert_audited(request, "reallocate", S.WITH_WORKER, S.WITH_WORKER, tm)


def test_a_manager_changes_the_route_with_a_reason_on_record(people):
    tm = people["bh.tm"]
    request = log_and_triage(people["bh.scimt"], open_case("brighton_hove"),
                             agency_type="health")
    other = team("brighton_hove", "Children in Care Team")

    assert refused(routing.override_route, request, tm, team=other, reason=" ")
    assert refused(routing.override_route, request, people["bh.sw"], team=other,
                   reason="Wrong team.")
    routing.override_route(fresh(request), tm, team=other, reason="The child moved into care.")

    request = fresh(request)
    assert request.routed_team == other
    (note,) = assert_noted_on_every_subject(request, CaseNote.Kind.ROUTING, "BH-1")[-1:]
    assert "The child moved into care." in note.text
    assert_audited(request, "override_route", S.WITH_WORKER, S.WITH_WORKER, tm)


def test_a_worker_who_decided_never_approves_their_own_hard_copies(people):
    """NOTTS-2: on an open case the social worker decided (NOTTS-1.1); the list still goes to
    a CSM — the CSM of the worker's team — and the worker cannot approve it."""
    from requests_app.services import disclosure, hard_copies

    sw = people["notts.sw"]
    request = log_and_triage(people["notts.scimt"], open_case("nottinghamshire"))
    decisions.record_decision(request, sw, reasons="Needed for the assessment.")
    disclosure.disclose(fresh(request), sw, what_was_provided="Dates", method="secure_email",
                        provided_to="jo.kerr@derbyshire.gov.uk")
    hard_copies.request_hard_copies(fresh(request), sw, items="Assessment, 2024")

    request = fresh(request)
    approver = request.hard_copy_requests.get().approver
    assert approver != sw and "csm" in approver.roles
    assert refused(hard_copies.approve_hard_copies, request, sw, reasons="Fine.")
    hard_copies.approve_hard_copies(request, approver, reasons="Needed.")
    assert fresh(request).state == S.HARD_COPIES_APPROVED
