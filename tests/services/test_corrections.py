"""Correcting a request's recorded facts: a new entry per change with the old value, who, when
and why; nothing overwritten silently (ALL-2, BH-11)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from requests_app import access
from requests_app.models import (
    AppendOnlyError,
    AuditEvent,
    CaseNote,
    RequestAmendment,
    Requester,
    RequestState,
    Team,
)
from requests_app.policy_adapter import policy_for
from requests_app.services import corrections
from tests.services.conftest import (
    case,
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


@pytest.fixture
def bh_request(people):
    """A Brighton & Hove request with the allocated social worker (bh.sw)."""
    return log_and_triage(people["bh.scimt"], open_case("brighton_hove"), agency_type="health")


def correct(request, user, reason="Typed wrongly at intake.", **changes):
    return corrections.correct_request(request, user, changes=changes, reason=reason)


def test_each_change_is_recorded_with_its_old_value_who_and_why(people, bh_request):
    sw = people["bh.sw"]
    old_email = bh_request.requester.email
    old_text = bh_request.information_sought

    correct(bh_request, sw, reason="The officer rang to correct her address.",
            requester_email="right.address@nhs.example", information_sought="Only the last "
            "child protection plan.", request_type=bh_request.request_type)

    request = fresh(bh_request)
    assert request.requester.email == "right.address@nhs.example"
    assert request.information_sought == "Only the last child protection plan."
    amendments = {a.field: a for a in request.amendments.all()}
    assert set(amendments) == {"requester_email", "information_sought"}  # type unchanged
    assert amendments["requester_email"].old_value == old_email
    assert amendments["requester_email"].new_value == "right.address@nhs.example"
    assert amendments["information_sought"].old_value == old_text
    assert all(a.amended_by == sw and a.reason == "The officer rang to correct her address."
               for a in amendments.values())
    (note,) = notes(request, CaseNote.Kind.CORRECTION)
    assert "The officer rang to correct her address." in note.text
    assert f"Requester's email address: {old_email} → right.address@nhs.example" in note.text
    assert "BH-11" in note.rule_ids
    event = AuditEvent.objects.get(request=request, action="request.correct")
    assert event.detail == {"fields": ["information_sought", "requester_email"]}
    assert (event.from_state, event.to_state) == (S.WITH_WORKER, S.WITH_WORKER)


def test_an_amendment_can_never_be_edited(people, bh_request):
    correct(bh_request, people["bh.sw"], lawful_basis="Children Act 1989 s.47")
    amendment = RequestAmendment.objects.get(request=bh_request)

    amendment.new_value = "Rewritten."
    with pytest.raises(AppendOnlyError):
        amendment.save()


def test_a_requester_shared_with_other_requests_is_not_edited(people):
    scimt = people["bh.scimt"]
    first = log_and_triage(scimt, open_case("brighton_hove"), agency_type="health")
    second = log(scimt, open_case("brighton_hove"), agency_type="health")
    shared = first.requester
    assert second.requester == shared

    correct(first, people["bh.sw"], requester_name="Dr Amira Khan (corrected)")

    shared.refresh_from_db()
    assert shared.name != "Dr Amira Khan (corrected)"
    assert fresh(second).requester == shared
    own = fresh(first).requester
    assert own.pk != shared.pk and own.name == "Dr Amira Khan (corrected)"
    assert own.organisation == shared.organisation and own.email == shared.email
    assert Requester.objects.filter(pk=own.pk, council=first.council).exists()


def test_a_corrected_date_received_moves_the_deadline(people, bh_request):
    before = fresh(bh_request).due_date
    earlier = timezone.localdate() - timedelta(days=14)

    correct(bh_request, people["bh.sw"], received_at=earlier)

    request = fresh(bh_request)
    assert timezone.localtime(request.received_at).date() == earlier
    access.forget_snapshots(request)
    expected = policy_for(request).deadline(access.snapshot_for(request)).due
    assert request.due_date == expected != before
    assert RequestAmendment.objects.get(request=request, field="received_at").old_value == (
        f"{timezone.localdate():%-d %B %Y}")


def test_a_date_received_in_the_future_is_refused(people, bh_request):
    problems = refused(correct, bh_request, people["bh.sw"],
                       received_at=timezone.localdate() + timedelta(days=1))
    assert problems == ["The date the request was received must be today or in the past"]
    assert not RequestAmendment.objects.filter(request=bh_request).exists()


def test_a_routing_difference_is_reported_but_the_request_is_not_moved(people):
    """NOTTS-1.1 sent it to the open case's worker; the child was the wrong one."""
    request = log_and_triage(people["notts.scimt"], open_case("nottinghamshire"))
    was = request.route_explanation
    routed_to = request.routed_to_id

    correct(request, people["notts.sw"], reason="Wrong child picked at intake.",
            subjects=[closed_electronic("nottinghamshire")])

    request = fresh(request)
    assert list(request.subjects.all()) == [closed_electronic("nottinghamshire")]
    assert request.routed_to_id == routed_to and request.route_explanation == was
    (note, *_) = notes(request, CaseNote.Kind.CORRECTION)
    assert "Routing now: " in note.text and f"(was: {was})" in note.text
    # The note is on both children's records: the one removed and the one added.
    noted = {n.case_record for n in notes(request, CaseNote.Kind.CORRECTION)}
    assert noted == {open_case("nottinghamshire"), closed_electronic("nottinghamshire")}
    amendment = RequestAmendment.objects.get(request=request, field="subjects")
    assert open_case("nottinghamshire").reference in amendment.old_value


def test_where_the_request_first_arrived_is_corrected(people):
    """NOTTS-0.5: it arrived at MASH first."""
    request = log_and_triage(people["notts.scimt"], open_case("nottinghamshire"))
    mash = Team.objects.filter(council=request.council, kind="mash").first()

    correct(request, people["notts.sw"], received_by_team=mash)

    assert fresh(request).received_by_team == mash
    amendment = RequestAmendment.objects.get(request=request, field="received_by_team")
    assert (amendment.old_value, amendment.new_value) == ("(none)", mash.name)


def test_nothing_changed_or_no_reason_is_refused(people, bh_request):
    sw = people["bh.sw"]
    assert refused(correct, bh_request, sw, lawful_basis=bh_request.lawful_basis) == [
        "Nothing has changed: change at least one detail, or cancel"]
    assert refused(correct, bh_request, sw, reason=" ", lawful_basis="s.47") == [
        "Enter the reason for the correction"]
    assert refused(correct, bh_request, sw, subjects=[]) == [
        "Select at least one child or young person the request is about"]
    assert not RequestAmendment.objects.filter(request=bh_request).exists()
    assert not notes(bh_request, CaseNote.Kind.CORRECTION)


def test_someone_the_request_is_not_with_is_refused(people, bh_request):
    problems = refused(correct, bh_request, people["bh.sw2"], lawful_basis="s.47")
    assert problems == ["The request is not with you or your team at this step."]
    # The first point of contact stepped back after triage.
    assert refused(correct, bh_request, people["bh.scimt"], lawful_basis="s.47")
    assert not RequestAmendment.objects.filter(request=bh_request).exists()


def test_another_council_is_refused_and_cannot_add_its_own_children(people, bh_request):
    assert refused(correct, bh_request, people["camden.sw"], lawful_basis="s.47") == [
        "You do not work for this council."]
    camden_child = open_case("camden")
    problems = refused(correct, bh_request, people["bh.sw"], subjects=[camden_child])
    assert problems == ["Select case records of this council"]
    assert list(fresh(bh_request).subjects.all()) == [open_case("brighton_hove")]


def test_the_first_point_of_contact_corrects_before_triage(people):
    request = log(people["notts.scimt"], open_case("nottinghamshire"))
    other = case("nottinghamshire", locality="Broxtowe", on_paper=True)

    correct(request, people["notts.scimt"], subjects=[open_case("nottinghamshire"), other])

    request = fresh(request)
    assert set(request.subjects.all()) == {open_case("nottinghamshire"), other}
    (note, *_) = notes(request, CaseNote.Kind.CORRECTION)
    assert "Routing now" not in note.text  # not routed yet: triage routes the corrected facts
    assert request.state == S.RECEIVED


# ---- the page ------------------------------------------------------------------------------


def _form(request, **overrides) -> dict:
    """The correction form as the page shows it, pre-filled, with ``overrides``."""
    values = corrections.current_values(request)
    data = {k: v for k, v in values.items()
            if k not in ("subjects", "received_at", "received_by_team")}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    day = values["received_at"]
    data.update({"received_at_0": day.day, "received_at_1": day.month,
                 "received_at_2": day.year, "subjects": [c.pk for c in values["subjects"]],
                 "received_by_team": values["received_by_team"].pk
                 if values["received_by_team"] else "", "reason": ""})
    data.update(overrides)
    return data


def test_the_request_page_links_to_the_correction_only_for_whoever_may_correct(
        client, people, bh_request):
    url = f"/requests/{bh_request.reference}/correct/"
    client.force_login(people["bh.sw"])
    page = client.get(f"/requests/{bh_request.reference}/").content.decode()
    assert f'href="{url}"' in page

    client.force_login(people["bh.ig"])  # may look (not with them): no link, no page
    response = client.get(f"/requests/{bh_request.reference}/")
    if response.status_code == 200:
        assert f'href="{url}"' not in response.content.decode()
    assert client.get(url).status_code in (403, 404)

    client.force_login(people["camden.sw"])  # another council: the request does not exist
    assert client.get(url).status_code == 404
    assert client.post(url, _form(bh_request, reason="x")).status_code == 404


def test_the_correction_page_is_pre_filled_and_saves_with_the_reason(client, people,
                                                                     bh_request):
    client.force_login(people["bh.sw"])
    url = f"/requests/{bh_request.reference}/correct/"
    page = client.get(url).content.decode()
    assert bh_request.requester.name in page and bh_request.information_sought in page

    response = client.post(url, _form(bh_request, requester_phone="01273 000000",
                                      reason="Number given on the phone."))

    assert response.status_code == 302
    amendment = RequestAmendment.objects.get(request=bh_request)
    assert (amendment.field, amendment.new_value) == ("requester_phone", "01273 000000")
    page = client.get(f"/requests/{bh_request.reference}/").content.decode()
    assert "Corrections to the request's details" in page
    assert "Number given on the phone." in page and "01273 000000" in page


def test_a_correction_without_a_reason_keeps_what_was_typed(client, people, bh_request):
    client.force_login(people["bh.sw"])
    url = f"/requests/{bh_request.reference}/correct/"

    response = client.post(url, _form(bh_request, requester_phone="01273 999999",
                                      received_at_0="31", received_at_1="2"))

    assert response.status_code == 422
    page = response.content.decode()
    assert "Enter the reason for the correction" in page
    assert "The date the request was received must be a real date" in page
    assert 'value="01273 999999"' in page
    assert not RequestAmendment.objects.filter(request=bh_request).exists()


def test_nothing_changed_is_said_on_the_page(client, people, bh_request):
    client.force_login(people["bh.sw"])
    response = client.post(f"/requests/{bh_request.reference}/correct/",
                           _form(bh_request, reason="Checking."))
    assert response.status_code == 422
    assert "Nothing has changed" in response.content.decode()
