"""Logging a request on one page that keeps every input (issue 13 item 1, issue 12 item 1).

The child and the requester are found by searching; without JavaScript each "Search", "Add",
"Remove", "Choose" and "Change" posts the whole form and the page comes back with everything
typed. Search-as-you-type asks two small endpoints for the results only.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_app.models import AuditEvent, CaseRecord, InformationRequest, Requester, User
from tests.services.conftest import _demo_rows, demo  # noqa: F401 (shared fixtures)

pytestmark = pytest.mark.usefixtures("demo")

LOG = reverse("log_request")
CHILDREN = reverse("log_request_children")
REQUESTERS = reverse("log_request_requesters")


def signed_in(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def record(council, last_name, first_name="") -> CaseRecord:
    found = CaseRecord.objects.filter(council__slug=council, last_name=last_name)
    return found.filter(first_name=first_name).get() if first_name else found.first()


def sibling_of(child: CaseRecord, first_name: str) -> CaseRecord:
    return CaseRecord.objects.create(
        council=child.council, reference=f"{child.reference}S", first_name=first_name,
        last_name=child.last_name, date_of_birth=child.date_of_birth + timedelta(days=500))


def filled(**overrides) -> dict:
    """A Nottinghamshire parent's request, as the page posts it."""
    data = {
        "requester_agency_type": "parent", "requester_name": "Kim Chambers",
        "requester_organisation": "", "requester_phone": "07700 900123",
        "channel": "letter", "request_type": "subject_access",
        "information_sought": "Everything the council holds about my daughter.",
        "working_with_subject": "False", "specific_information": "False",
        "consent": "obtained", "consent_evidence": "Signed form with proof of parental "
                                                   "responsibility.",
        "received_at_0": "", "received_at_1": "", "received_at_2": "",
    }
    data.update(overrides)
    return data


def html(response) -> str:
    return response.content.decode()


def asks(page: str, name: str) -> bool:
    """The page asks this question (an answer held while it is not asked is a hidden input)."""
    return bool(re.search(rf'<(input|textarea|select)(?![^>]*type="hidden")[^>]*name="{name}"',
                          page))


# ---------------------------------------------------------------- keeping what was typed


def test_a_search_without_javascript_keeps_everything_typed_and_every_child_chosen(client):
    signed_in(client, "notts.scimt")
    lily = record("nottinghamshire", "Kendrick", "Lily")
    data = filled(subjects=[str(lily.pk)], child_q="Barker", search="children",
                  requester_name="Kim Typed-Before", information_sought="Typed before searching")

    response = client.post(LOG, data)

    page = html(response)
    assert response.status_code == 200
    assert 'value="Kim Typed-Before"' in page
    assert "Typed before searching</textarea>" in page
    assert re.search(r'value="letter"[^>]*checked', page)
    assert f'name="subjects" value="{lily.pk}"' in page  # Lily is still chosen
    assert "Noah Barker" in page  # and the search found Noah
    assert "govuk-error-summary" not in page  # nothing was saved, so nothing is wrong yet


def test_siblings_are_added_across_two_searches_and_one_can_be_removed(client):
    signed_in(client, "notts.scimt")
    lily = record("nottinghamshire", "Kendrick", "Lily")
    jake = sibling_of(lily, "Jake")

    first = client.post(LOG, filled(child_q="Lily", add_subject=str(lily.pk)))
    assert f'name="subjects" value="{lily.pk}"' in html(first)
    second = client.post(LOG, filled(subjects=[str(lily.pk)], child_q="Jake",
                                     add_subject=str(jake.pk)))
    page = html(second)
    assert f'name="subjects" value="{lily.pk}"' in page
    assert f'name="subjects" value="{jake.pk}"' in page
    assert "Add another child" in page

    removed = client.post(LOG, filled(subjects=[str(lily.pk), str(jake.pk)],
                                      remove_subject=str(lily.pk)))
    assert f'name="subjects" value="{lily.pk}"' not in html(removed)
    assert f'name="subjects" value="{jake.pk}"' in html(removed)

    saved = client.post(LOG, filled(subjects=[str(lily.pk), str(jake.pk)]))
    assert saved.status_code == 302
    logged = InformationRequest.objects.get(requester__name="Kim Chambers")
    assert set(logged.subjects.all()) == {lily, jake}


def test_a_known_requester_is_chosen_from_a_search_and_can_be_changed(client):
    signed_in(client, "notts.scimt")
    kerr = Requester.objects.get(council__slug="nottinghamshire", name="Jo Kerr")

    found = client.post(LOG, filled(requester_q="Derbyshire", search="requesters"))
    assert f'name="choose_requester" value="{kerr.pk}"' in html(found)
    chosen = client.post(LOG, filled(choose_requester=str(kerr.pk)))
    assert f'name="existing_requester" value="{kerr.pk}"' in html(chosen)
    assert 'name="requester_name"' not in html(chosen)  # no new requester's fields now
    changed = client.post(LOG, filled(existing_requester=str(kerr.pk), change_requester="1"))
    assert 'name="existing_requester"' not in html(changed)
    assert 'name="requester_name"' in html(changed)


def autofocused(response) -> list[str]:
    """The ids of the elements the page gives the focus to when it loads."""
    return re.findall(r'<(?:input|button)[^>]*\bid="([^"]+)"[^>]*\bautofocus\b', html(response))


def test_the_focus_comes_back_where_the_person_was_after_each_keep_button(client):
    """WCAG 2.4.3: a page shown again after "Add", "Remove", "Choose", "Change" or a search
    puts the keyboard back where it was, not at the top of the page."""
    signed_in(client, "notts.scimt")
    lily = record("nottinghamshire", "Kendrick", "Lily")
    kerr = Requester.objects.get(council__slug="nottinghamshire", name="Jo Kerr")

    assert autofocused(client.get(LOG)) == []
    assert autofocused(client.post(LOG, filled(child_q="Lily", add_subject=str(lily.pk)))) == [
        "id_subjects"]
    assert autofocused(client.post(LOG, filled(subjects=[str(lily.pk)],
                                               remove_subject=str(lily.pk)))) == ["id_subjects"]
    assert autofocused(client.post(LOG, filled(child_q="Lily", search="children"))) == [
        "id_subjects"]
    assert autofocused(client.post(LOG, filled(requester_q="Kerr", search="requesters"))) == [
        "id_existing_requester"]
    assert autofocused(client.post(LOG, filled(requester_q="Kerr", search="all"))) == [
        "id_existing_requester"]
    assert autofocused(client.post(LOG, filled(choose_requester=str(kerr.pk)))) == [
        "requester-change"]
    assert autofocused(client.post(LOG, filled(existing_requester=str(kerr.pk),
                                               change_requester="1"))) == [
        "id_existing_requester"]
    # An error summary takes the focus itself (GOV.UK Frontend): nothing else asks for it.
    assert autofocused(client.post(LOG, filled(request_type=""))) == []


def test_the_page_never_lists_every_requester_or_record(client):
    signed_in(client, "notts.scimt")
    page = html(client.get(LOG))

    assert "Jo Kerr" not in page and "DC Priya Shah" not in page
    assert "Kendrick" not in page
    assert "<select" not in page.split('id="requester-picker"')[1].split("Or someone new")[0]


# ---------------------------------------------------------------- search endpoints


def test_the_child_search_is_scoped_to_the_council_bounded_and_leaves_out_those_chosen(client):
    signed_in(client, "notts.scimt")
    lily = record("nottinghamshire", "Kendrick", "Lily")
    jake = sibling_of(lily, "Jake")
    devon_kendrick = record("devon", "Kendrick")
    assert devon_kendrick is not None

    response = client.get(CHILDREN, {"child_q": "kendr", "subjects": [lily.pk]})

    page = html(response)
    assert f'value="{jake.pk}"' in page
    assert f'value="{lily.pk}"' not in page  # already chosen
    assert f'value="{devon_kendrick.pk}"' not in page  # another council's child
    assert "<html" not in page  # the results only
    for _ in range(25):
        CaseRecord.objects.create(council=lily.council, reference=f"X{_}", first_name="Zed",
                                  last_name="Zebedee", date_of_birth=lily.date_of_birth)
    many = html(client.get(CHILDREN, {"child_q": "Zebedee"}))
    assert many.count('name="add_subject"') == 20
    assert "The first 20 records" in many


def test_the_child_is_found_by_date_of_birth_reference_and_full_name(client):
    signed_in(client, "notts.scimt")
    lily = record("nottinghamshire", "Kendrick", "Lily")
    for query in (lily.date_of_birth.strftime("%d/%m/%Y"), lily.reference.lower(),
                  "lily kendrick"):
        assert f'value="{lily.pk}"' in html(client.get(CHILDREN, {"child_q": query})), query
    assert f'value="{lily.pk}"' not in html(client.get(CHILDREN, {"child_q": "lily barker"}))
    assert "No records match" in html(client.get(CHILDREN, {"child_q": "31/02/2015"}))


def test_the_requester_search_finds_any_word_of_the_name_in_the_council_only(client):
    signed_in(client, "notts.scimt")
    shah = Requester.objects.get(council__slug="nottinghamshire", name="DC Priya Shah")
    elsewhere = Requester.objects.create(council=record("devon", "Kendrick").council,
                                         name="Priya Shah", organisation="Devon Police",
                                         agency_type="police")

    page = html(client.get(REQUESTERS, {"requester_q": "shah"}))

    assert f'value="{shah.pk}"' in page
    assert f'value="{elsewhere.pk}"' not in page


def test_searching_is_an_audited_read_with_the_query(client):
    signed_in(client, "notts.scimt")
    client.get(CHILDREN, {"child_q": "Kendrick"})
    event = AuditEvent.objects.filter(action="case_records.searched").latest("pk")
    assert "child_q=Kendrick" in event.detail["query"]
    client.post(LOG, filled(child_q="Kendrick", requester_q="Kerr", search="all"))
    event = AuditEvent.objects.filter(action="log_request.viewed").latest("pk")
    assert event.detail["searched"] == {"child_q": "Kendrick", "requester_q": "Kerr"}


def test_only_the_first_point_of_contact_may_search(client):
    signed_in(client, "notts.sw")
    assert client.get(CHILDREN, {"child_q": "Kendrick"}).status_code == 403
    assert client.get(REQUESTERS, {"requester_q": "Kerr"}).status_code == 403


# ---------------------------------------------------------------- what is asked


@pytest.mark.parametrize(("username", "request_type", "agency", "asked", "not_asked"), [
    ("notts.scimt", "information", "health",
     ["working_with_subject", "large_volume", "public_interest_justification"],
     ["necessity_note", "parents_informed", "court_order", "criminal_investigation"]),
    ("camden.scimt", "information", "health", ["necessity_note", "parents_informed"],
     ["working_with_subject", "court_order", "public_interest_justification"]),
    ("devon.scimt", "cafcass_section7", "cafcass", ["court_order"],
     ["working_with_subject", "necessity_note", "parents_informed", "criminal_investigation",
      "childrens_guardian_appointed"]),
    ("devon.scimt", "information", "police", ["criminal_investigation"],
     ["court_order", "childrens_guardian_appointed", "working_with_subject"]),
    ("devon.scimt", "cafcass_public_law", "cafcass", ["childrens_guardian_appointed"],
     ["court_order", "criminal_investigation"]),
    ("bh.scimt", "information", "health", ["public_interest_justification"],
     ["working_with_subject", "necessity_note", "court_order"]),
])
def test_each_council_is_asked_only_its_own_questions_for_the_type(
        client, username, request_type, agency, asked, not_asked):
    signed_in(client, username)
    page = html(client.post(LOG, filled(request_type=request_type, requester_agency_type=agency,
                                        update_questions="type")))
    for name in asked:
        assert asks(page, name), name
    for name in not_asked:
        assert not asks(page, name), name


@pytest.mark.parametrize("username", ["notts.scimt", "camden.scimt", "devon.scimt", "bh.scimt"])
def test_before_a_type_is_chosen_only_what_every_type_records_is_asked(client, username):
    signed_in(client, username)
    page = html(client.get(LOG))
    for name in ("lawful_basis", "identity_verified", "received_by_team", "consent"):
        assert asks(page, name), name
    for name in ("working_with_subject", "necessity_note", "court_order",
                 "criminal_investigation", "public_interest_justification"):
        assert not asks(page, name), name
    assert 'name="update_questions"' in page  # the way to the type's questions without JS


def test_changing_the_type_asks_its_questions_in_place_and_keeps_everything_typed(client):
    signed_in(client, "devon.scimt")
    child = record("devon", "Kendrick")
    typed = filled(subjects=[str(child.pk)], requester_agency_type="cafcass",
                   requester_name="Sam Typed", requester_organisation="Cafcass South West",
                   request_type="cafcass_section7", information_sought="Typed before the type",
                   lawful_basis="Children Act 1989 s.7", court_order="on")

    # With JavaScript: htmx posts the whole form and gets the questions only.
    swapped = client.post(LOG, {**typed, "update_questions": "type"}, HTTP_HX_REQUEST="true")
    fragment = html(swapped)
    assert swapped.status_code == 200
    assert fragment.lstrip().startswith('<div id="intake-questions" '
                                        'data-request-type="cafcass_section7"')
    assert "<html" not in fragment and 'name="subjects"' not in fragment
    assert re.search(r'name="court_order"[^>]*checked', fragment)
    assert "DEVON-2.1" in fragment  # the rule that asks it, as the hint
    assert "Children Act 1989 s.7</textarea>" in fragment

    # Without: "Update questions" posts the page, which comes back whole, nothing lost.
    changed = client.post(LOG, {**typed, "request_type": "information",
                                "update_questions": "type"})
    page = html(changed)
    assert changed.status_code == 200 and "govuk-error-summary" not in page
    assert not asks(page, "court_order")  # not asked now, but held for if the type changes back
    assert '<input type="hidden" name="court_order" value="on">' in page
    assert f'name="subjects" value="{child.pk}"' in page
    assert 'value="Sam Typed"' in page and "Typed before the type</textarea>" in page
    assert re.search(r'<option value="information" selected', page)

    back = html(client.post(LOG, {**typed, "update_questions": "type"}))
    assert re.search(r'name="court_order"[^>]*checked', back)


def test_saving_validates_and_records_only_the_questions_of_the_type(client):
    signed_in(client, "notts.scimt")
    lily = record("nottinghamshire", "Kendrick", "Lily")
    ofsted = filled(subjects=[str(lily.pk)], requester_agency_type="ofsted",
                    requester_name="Ofsted Inspector", requester_organisation="Ofsted",
                    request_type="ofsted_enquiry", working_with_subject="",
                    specific_information="", large_volume="on")

    saved = client.post(LOG, ofsted)  # NOTTS-3: the NOTTS-0.4 questions are not asked

    assert saved.status_code == 302, html(saved)
    logged = InformationRequest.objects.get(requester__name="Ofsted Inspector")
    assert logged.large_volume is False  # an answer to a question not asked is not recorded

    information = client.post(LOG, {**ofsted, "request_type": "information",
                                    "requester_name": "Health Visitor"})
    assert information.status_code == 422  # NOTTS-0.4 asks it of a request for information
    assert "Select whether the requester is working with the child" in html(information)


def test_a_parent_needs_no_organisation_but_an_agency_does(client):
    signed_in(client, "notts.scimt")
    lily = record("nottinghamshire", "Kendrick", "Lily")

    agency = client.post(LOG, filled(subjects=[str(lily.pk)], requester_agency_type="health"))
    assert agency.status_code == 422
    assert "Enter the requester&#x27;s organisation" in html(agency)

    parent = client.post(LOG, filled(subjects=[str(lily.pk)]))
    assert parent.status_code == 302
    logged = InformationRequest.objects.get(requester__name="Kim Chambers")
    assert logged.requester.organisation == ""
    assert "from Kim Chambers (Parent or carer)" in logged.case_notes.first().text


# ---------------------------------------------------------------- date received


def test_a_letter_that_arrived_earlier_is_back_dated_and_its_deadline_runs_from_then(client):
    signed_in(client, "notts.scimt")
    lily = record("nottinghamshire", "Kendrick", "Lily")
    today = timezone.localdate()
    earlier = today - timedelta(days=14)
    client.post(LOG, filled(subjects=[str(lily.pk)], requester_name="Today Parent"))
    response = client.post(LOG, filled(
        subjects=[str(lily.pk)], requester_name="Earlier Parent",
        received_at_0=str(earlier.day), received_at_1=str(earlier.month),
        received_at_2=str(earlier.year)))

    assert response.status_code == 302
    back_dated = InformationRequest.objects.get(requester__name="Earlier Parent")
    on_time = InformationRequest.objects.get(requester__name="Today Parent")
    assert timezone.localtime(back_dated.received_at).date() == earlier
    assert back_dated.due_date < on_time.due_date


def test_a_received_date_in_the_future_is_refused_with_a_message(client):
    signed_in(client, "notts.scimt")
    lily = record("nottinghamshire", "Kendrick", "Lily")
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(LOG, filled(
        subjects=[str(lily.pk)], received_at_0=str(tomorrow.day),
        received_at_1=str(tomorrow.month), received_at_2=str(tomorrow.year)))

    assert response.status_code == 422
    assert "The date the request was received must be today or in the past" in html(response)
    assert not InformationRequest.objects.filter(requester__name="Kim Chambers").exists()


# ---------------------------------------------------------------- errors


def test_the_error_summary_lists_errors_in_page_order_and_links_to_each_field(client):
    signed_in(client, "notts.scimt")
    response = client.post(LOG, {"requester_agency_type": "health"})

    page = html(response)
    summary = page.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert len(targets) >= 6
    assert targets[0] == "id_subjects"
    positions = []
    for target in targets:
        field = re.search(rf'<(input|textarea|select)[^>]*id="{target}"', page)
        assert field, f"the summary links to #{target}, which is not on the page"
        positions.append(field.start())
    assert positions == sorted(positions), targets


# ---------------------------------------------------------------- queries


@pytest.mark.parametrize("extra", [0, 200])
def test_the_page_and_the_searches_take_a_bounded_number_of_queries(
        client, django_assert_max_num_queries, extra):
    signed_in(client, "notts.scimt")
    lily = record("nottinghamshire", "Kendrick", "Lily")
    Requester.objects.bulk_create(
        Requester(council=lily.council, name=f"Kerr {n}", organisation="Agency",
                  agency_type="health") for n in range(extra))
    CaseRecord.objects.bulk_create(
        CaseRecord(council=lily.council, reference=f"B{n}", first_name="Kim",
                   last_name="Kendrick", date_of_birth=lily.date_of_birth)
        for n in range(extra))

    # About ten are the same on every page: the session, the user, their council and roles,
    # the read's audit event (its chain's last hash, the insert, savepoints) and the session's
    # update. The page adds the council's teams; a search for a child three queries (one per
    # index: last name, first name, reference), for a requester two; the children chosen one.
    with django_assert_max_num_queries(13):
        assert client.get(LOG).status_code == 200
    with django_assert_max_num_queries(19):
        client.post(LOG, filled(subjects=[str(lily.pk)], child_q="Kendrick",
                                requester_q="Kerr", search="all"))
    with django_assert_max_num_queries(16):
        client.get(CHILDREN, {"child_q": "Kendrick", "subjects": [lily.pk]})
    with django_assert_max_num_queries(14):
        client.get(REQUESTERS, {"requester_q": "Kerr"})
