"""Each queue tab and the request page run a bounded number of queries, the same at a small
and a larger size (issue 12). Speed itself is measured by bench/load.py, never here."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from requests_app import access, queues
from requests_app.middleware import LAST_SEEN
from requests_app.services.history import add_note
from tests.factories import make_request

QUEUE_PAGE_MAX = 8
REQUEST_PAGE_MAX = 15


def queries_for(client, url) -> list[str]:
    """Every query the page runs, the session, the signed-in person and the read audit
    included; not the SAVEPOINTs, which exist only because each test runs in a transaction
    (in production the audit's atomic block is a BEGIN/COMMIT, not counted either).

    The idle-timeout stamp is refreshed first: it is written at most once a minute, and
    building the larger dataset can take longer than that on a slow machine."""
    session = client.session
    session[LAST_SEEN] = int(time.time())
    session.save()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def _add_work(council, team, worker, how_many):
    """Requests in the team's and the worker's queues, open and closed, overdue and not."""
    for n in range(how_many):
        state = ["awaiting_decision", "with_worker", "closed", "received"][n % 4]
        request = make_request(council, state=state, routed_team=team,
                               allocated_worker=worker if n % 3 == 0 else None)
        access.grant(request, team.group)
        if n % 2:
            access.grant(request, worker)


@pytest.mark.parametrize("persona", ["scimt_officer", "social_worker"])
def test_each_queue_page_runs_a_bounded_number_of_queries_at_5_and_60_requests(
    client, notts, social_work_team, social_worker, persona, request
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    urls = {tab: reverse("home") + f"?view={tab}" for tab in queues.TABS}
    _add_work(notts, social_work_team, social_worker, 5)
    client.get(urls["all"])  # warm per-process caches (content types) before counting

    small = {tab: queries_for(client, url) for tab, url in urls.items()}
    _add_work(notts, social_work_team, social_worker, 55)
    large = {tab: queries_for(client, url) for tab, url in urls.items()}

    for tab in urls:
        assert len(small[tab]) <= QUEUE_PAGE_MAX, "\n".join(small[tab])
        assert len(large[tab]) <= QUEUE_PAGE_MAX, "\n".join(large[tab])
        assert len(large[tab]) == len(small[tab]), tab


@pytest.mark.parametrize("persona", ["scimt_officer", "csm"])
def test_request_page_runs_a_bounded_number_of_queries_with_3_and_80_notes(
    client, notts, social_work_team, scimt_officer, csm, persona, request
):
    user = request.getfixturevalue(persona)
    obj = make_request(notts, state="awaiting_decision", routed_to=csm,
                       routed_team=social_work_team)
    access.grant(obj, csm)
    client.force_login(user)
    url = reverse("request_detail", args=[obj.reference])
    for n in range(3):
        add_note(obj, csm, f"Note {n}")
    client.get(url)

    small = queries_for(client, url)
    for n in range(77):
        add_note(obj, csm, f"Later note {n}")
    large = queries_for(client, url)

    assert len(small) <= REQUEST_PAGE_MAX, "\n".join(small)
    assert len(large) <= REQUEST_PAGE_MAX, "\n".join(large)
    assert len(large) == len(small)


def test_the_worker_a_request_is_allocated_to_is_read_with_the_request(
    client, notts, social_work_team, social_worker, csm
):
    """The status line names who has it ("With <worker>"): read with the request, not by a
    query of its own, so an allocated request's page costs what an unallocated one's does."""
    allocated = make_request(notts, state="with_worker", routed_team=social_work_team,
                             allocated_worker=social_worker)
    waiting = make_request(notts, state="awaiting_allocation", routed_team=social_work_team)
    for obj in (allocated, waiting):
        access.grant(obj, csm)
    client.force_login(csm)
    for obj in (allocated, waiting):
        client.get(reverse("request_detail", args=[obj.reference]))

    with_worker = queries_for(client, reverse("request_detail", args=[allocated.reference]))
    without = queries_for(client, reverse("request_detail", args=[waiting.reference]))

    assert f"With {social_worker}" in client.get(
        reverse("request_detail", args=[allocated.reference])).content.decode()
    assert len(with_worker) == len(without), "\n".join(with_worker)


SEARCH_PAGE_MAX = 8


@pytest.mark.parametrize("persona", ["scimt_officer", "social_worker"])
def test_a_search_runs_a_bounded_number_of_queries_at_5_and_60_matches(
    client, notts, social_work_team, social_worker, persona, request
):
    """Every request here is from Nottinghamshire Police, so searching the organisation finds
    them all: a page of 20, read by id, whatever the number found."""
    user = request.getfixturevalue(persona)
    client.force_login(user)
    url = reverse("search") + "?q=Nottinghamshire+Police"
    _add_work(notts, social_work_team, social_worker, 5)
    client.get(url)

    small = queries_for(client, url)
    _add_work(notts, social_work_team, social_worker, 55)
    large = queries_for(client, url)

    assert len(small) <= SEARCH_PAGE_MAX, "\n".join(small)
    assert len(large) <= SEARCH_PAGE_MAX, "\n".join(large)
    assert len(large) == len(small)
    assert client.get(url).context["requests_page"].paginator.count > 20
