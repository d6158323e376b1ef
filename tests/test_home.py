"""The home page lists the requests this person may see, and never another council's.

The "All I can see" tab (?view=all) lists every request visible to the user; the other tabs
narrow it down, so checking that tab checks them all.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from requests_app import access
from requests_app.models import User
from tests.factories import make_request, make_team

ALL_I_CAN_SEE = reverse("home") + "?view=all"


def listed_references(client) -> set[str]:
    response = client.get(ALL_I_CAN_SEE)
    assert response.status_code == 200
    return {request.reference for request in response.context["page_obj"]}


def tab_counts(client) -> dict[str, int]:
    return {key: count for key, _label, count in client.get(ALL_I_CAN_SEE).context["tabs"]}


def test_scimt_officer_sees_every_request_of_their_council(client, notts, scimt_officer):
    first, second = make_request(notts), make_request(notts)
    client.force_login(scimt_officer)

    assert listed_references(client) == {first.reference, second.reference}


def test_home_page_never_lists_another_councils_requests(client, notts, camden, scimt_officer):
    ours = make_request(notts)
    theirs = make_request(camden)
    client.force_login(scimt_officer)

    page = client.get(ALL_I_CAN_SEE).content.decode()

    assert ours.reference in page
    assert theirs.reference not in page
    assert listed_references(client) == {ours.reference}
    assert tab_counts(client)["team"] == 1  # not even the count gives Camden's away


def test_camden_never_sees_nottinghamshires_requests(client, notts, camden, outsider):
    ours = make_request(notts)
    theirs = make_request(camden)
    client.force_login(outsider)

    page = client.get(ALL_I_CAN_SEE).content.decode()

    assert theirs.reference in page
    assert ours.reference not in page
    assert listed_references(client) == {theirs.reference}
    assert tab_counts(client)["team"] == 1


def test_a_grant_in_another_council_does_not_leak_across(client, notts, camden, outsider):
    """Even a stray permission on a Nottinghamshire request shows nothing to Camden staff."""
    camden_worker = User.objects.get(pk=outsider.pk)
    camden_worker.memberships.update(role="social_worker")
    notts_request = make_request(notts)
    access.grant(notts_request, camden_worker)
    client.force_login(camden_worker)

    assert notts_request.reference not in client.get(ALL_I_CAN_SEE).content.decode()


def test_social_worker_sees_requests_granted_to_them_or_their_team_only(
    client, notts, social_worker, social_work_team
):
    to_the_worker = make_request(notts)
    to_the_team = make_request(notts)
    to_another_team = make_request(notts)
    granted_to_nobody = make_request(notts)
    access.grant(to_the_worker, social_worker)
    access.grant(to_the_team, social_work_team.group)
    another_team = make_team(notts, name="Ashfield Children's Social Work Team")
    access.grant(to_another_team, another_team.group)
    client.force_login(social_worker)

    listed = listed_references(client)

    assert listed == {to_the_worker.reference, to_the_team.reference}
    assert to_another_team.reference not in listed
    assert granted_to_nobody.reference not in listed


def test_social_worker_still_sees_a_request_they_may_only_look_at(client, notts, social_worker):
    onlooker_request = make_request(notts)
    access.grant(onlooker_request, social_worker, act=False)
    client.force_login(social_worker)

    assert listed_references(client) == {onlooker_request.reference}


def test_superuser_without_a_council_sees_no_requests(client, notts, camden):
    make_request(notts)
    make_request(camden)
    admin = User.objects.create_superuser("platform-admin", password="x" * 20, council=None)
    client.force_login(admin)

    assert listed_references(client) == set()
    assert set(tab_counts(client).values()) == {0, None}  # "All I can see" is never counted


@pytest.mark.parametrize("persona", ["scimt_officer", "social_worker"])
def test_home_page_runs_the_same_number_of_queries_at_3_and_30_rows(
    client, notts, social_work_team, persona, request
):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    def add_requests(how_many):
        for _ in range(how_many):
            access.grant(make_request(notts), social_work_team.group)

    def queries_for_home_page():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ALL_I_CAN_SEE).status_code == 200
        return len(captured.captured_queries)

    add_requests(3)
    client.get(ALL_I_CAN_SEE)  # warm caches (content types, session) before counting
    at_3 = queries_for_home_page()
    add_requests(27)
    at_30 = queries_for_home_page()

    assert at_30 == at_3


def test_the_lists_follow_a_persons_grants_between_pages(client, notts, social_worker):
    """The SQL of a person's lists is kept between pages (sql_memo.py): being given a request
    shows it on the next page, with the count."""
    request = make_request(notts)
    client.force_login(social_worker)
    assert listed_references(client) == set()

    access.grant(request, social_worker)

    assert listed_references(client) == {request.reference}
    assert tab_counts(client)["team"] + tab_counts(client)["mine"] == 1


def test_a_kept_compilation_that_misses_an_input_fails_loudly(notts, social_worker, settings):
    from requests_app import sql_memo
    from requests_app.models import InformationRequest

    settings.SQL_MEMO_CHECK = True
    first, second = make_request(notts), make_request(notts)

    def by_reference(reference):
        return lambda: InformationRequest.objects.filter(reference=reference).values_list("pk")

    key = ("a key that forgets the reference",)
    assert sql_memo.rows(key, by_reference(first.reference)) == [(first.pk,)]
    with pytest.raises(sql_memo.StaleKey):
        sql_memo.rows(key, by_reference(second.reference))


def test_what_people_typed_is_shown_as_text_in_the_lists(client, notts, scimt_officer):
    """The rows are written by a template tag, not the template: every value is escaped."""
    from tests.factories import make_requester

    requester = make_requester(notts, name='<script>alert("x")</script>',
                               organisation="Smith & Sons <b>")
    make_request(notts, requester=requester)
    client.force_login(scimt_officer)

    page = client.get(ALL_I_CAN_SEE).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "Smith &amp; Sons &lt;b&gt;" in page
