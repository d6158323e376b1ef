"""The home page counts a person's open work from `OpenWork`, kept by PostgreSQL's triggers
(migration 0024, ADR 0038). Whatever changes (a request logged, routed, allocated, re-dated or
closed; a grant given or taken away; someone joining or leaving a team; hard copies asked for
someone's approval), each tab's count is the number of requests its list shows, and the
table holds exactly what rebuilding it from scratch would."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from guardian.shortcuts import remove_perm

from requests_app import access, queues
from requests_app.models import HardCopyRequest, InformationRequest, OpenWork
from requests_app.workflow import OPEN_STATES
from tests.factories import make_council, make_request, make_team, make_user
from tests.threads import one_while_the_other_holds

pytestmark = pytest.mark.django_db


def rows() -> set[tuple]:
    return set(OpenWork.objects.values_list("holder", "request", "council", "due_date", "mine",
                                            "decide"))


def assert_counts_are_the_lists(*people) -> None:
    """Each counted tab's number is its list's length, for each person; and the table is what
    a rebuild gives (so nothing was left behind or missed by the triggers)."""
    today = timezone.localdate()
    for person in people:
        person = type(person).objects.get(pk=person.pk)  # their groups as they are now
        counts = queues.tab_counts(person, today)
        listed = {tab: queues.tab_queryset(person, tab, today).count()
                  for tab in queues.COUNTED}
        assert {tab: counts[tab] for tab in queues.COUNTED} == listed, person.username
    kept = rows()
    with connection.cursor() as cursor:
        cursor.execute("SELECT open_work_rebuild()")
    assert rows() == kept


@pytest.fixture
def people(notts, social_work_team, social_worker, csm):
    colleague = make_user(notts, role="social_worker", team=social_work_team)
    return social_worker, csm, colleague


def test_each_count_follows_the_request_through_its_life(notts, social_work_team, people):
    worker, csm, colleague = people
    today = timezone.localdate()
    request = make_request(notts, state="with_worker", routed_team=social_work_team,
                           created_by=colleague, due_date=today + timedelta(days=3))
    access.grant(request, social_work_team.group, act=False)
    assert_counts_are_the_lists(*people)
    assert OpenWork.objects.filter(request=request).count() == 3  # the team: three people

    request.allocated_worker = worker  # allocated: "Waiting for me" for the worker only
    request.save()
    access.grant(request, worker)
    assert OpenWork.objects.get(request=request, holder=worker).mine
    assert not OpenWork.objects.get(request=request, holder=colleague).mine
    assert_counts_are_the_lists(*people)

    request.due_date = today - timedelta(days=1)  # now overdue
    request.save()
    assert queues.tab_counts(worker, today)["overdue"] == 1
    assert_counts_are_the_lists(*people)

    # Straight to the decision (the state machine's steps are tested elsewhere; the
    # triggers see an UPDATE however it is made).
    InformationRequest.objects.filter(pk=request.pk).update(state="awaiting_decision",
                                                            routed_to=csm)
    assert OpenWork.objects.get(request=request, holder=csm).decide
    assert queues.tab_counts(csm, today)["decide"] == 1
    assert_counts_are_the_lists(*people)

    InformationRequest.objects.filter(pk=request.pk).update(state="with_worker")
    loaded = InformationRequest.objects.get(pk=request.pk)
    loaded.withdraw()  # closed: nobody's open work any more
    loaded.save()
    assert not OpenWork.objects.filter(request=request).exists()
    assert_counts_are_the_lists(*people)


def test_a_grant_taken_away_and_a_team_left_take_the_request_out_of_the_count(
        notts, social_work_team, people):
    worker, csm, colleague = people
    request = make_request(notts, state="with_worker", routed_team=social_work_team,
                           created_by=csm)
    access.grant(request, social_work_team.group, act=False)
    access.grant(request, worker)
    remove_perm(access.VIEW, social_work_team.group, request)  # the team's grant goes
    assert set(OpenWork.objects.filter(request=request).values_list("holder", flat=True)) == {
        worker.pk, csm.pk}  # granted to them, and logged by the CSM
    assert_counts_are_the_lists(*people)

    access.grant(request, social_work_team.group, act=False)
    colleague.groups.remove(social_work_team.group)  # leaves the team
    assert not OpenWork.objects.filter(request=request, holder=colleague).exists()
    assert_counts_are_the_lists(*people)

    newcomer = make_user(notts, role="social_worker", team=social_work_team)  # joins it
    assert OpenWork.objects.filter(request=request, holder=newcomer).exists()
    assert_counts_are_the_lists(worker, csm, colleague, newcomer)


def test_hard_copies_wait_for_their_approvers_decision_only(notts, social_work_team, people,
                                                            another_csm):
    worker, csm, colleague = people
    request = make_request(notts, state="hard_copies_requested", routed_team=social_work_team)
    access.grant(request, social_work_team.group, act=False)
    access.grant(request, another_csm)
    copies = HardCopyRequest.objects.create(request=request, items="Core assessment",
                                            requested_by=worker, approver=csm)
    assert OpenWork.objects.get(request=request, holder=csm).decide
    assert not OpenWork.objects.get(request=request, holder=another_csm).decide
    assert_counts_are_the_lists(*people, another_csm)

    HardCopyRequest.objects.filter(pk=copies.pk).update(approver=another_csm)
    assert OpenWork.objects.get(request=request, holder=another_csm).decide
    assert not OpenWork.objects.get(request=request, holder=csm).decide
    assert_counts_are_the_lists(*people, another_csm)

    HardCopyRequest.objects.filter(pk=copies.pk).delete()
    assert not OpenWork.objects.filter(request=request, decide=True).exists()
    assert_counts_are_the_lists(*people, another_csm)


def test_a_deleted_request_leaves_nothing_and_other_councils_are_not_counted(
        notts, camden, social_work_team, people, outsider):
    worker, csm, colleague = people
    request = make_request(notts, state="received", created_by=worker)
    assert OpenWork.objects.filter(request=request, holder=worker).exists()
    InformationRequest.objects.filter(pk=request.pk).delete()
    assert not OpenWork.objects.filter(request=request).exists()

    # A grant across councils should never be made; if one were, no count would show it.
    elsewhere = make_request(camden, state="with_worker")
    access.grant(elsewhere, worker)
    assert queues.tab_counts(worker)["team"] == 0
    assert_counts_are_the_lists(*people, outsider)


def test_the_whole_council_is_counted_from_the_requests_and_everyone_else_from_open_work(
        scimt_officer, social_worker):
    assert access.counted_open_work(scimt_officer) is None
    assert access.counted_open_work(social_worker) is not None


def test_the_triggers_open_states_are_the_workflows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'open_work_rebuild'")
        source = cursor.fetchone()[0]
    written = source.split("r.state IN (", 1)[1].split(")", 1)[0]
    assert {state.strip(" '") for state in written.split(",")} == set(OPEN_STATES)


def test_each_page_of_each_tab_lists_what_reading_the_tab_from_the_requests_would(
        notts, social_work_team, people, another_csm):
    """A page of a counted tab in due-date order is picked from OpenWork (ADR 0038): the same
    requests, in the same order, as the tab's own query gives, page after page, ties and
    requests without a due date included."""
    worker, csm, colleague = people
    today = timezone.localdate()
    for n in range(31):
        request = make_request(
            notts, state=["with_worker", "awaiting_decision", "received"][n % 3],
            routed_team=social_work_team, routed_to=csm if n % 3 == 1 else None,
            allocated_worker=worker if n % 2 else None,
            due_date=None if n % 7 == 0 else today + timedelta(days=n % 9 - 4))
        access.grant(request, social_work_team.group, act=False)
        if n % 5 == 0:
            access.grant(request, another_csm)
    for person in (worker, csm, colleague, another_csm):
        for tab in queues.COUNTED:
            listed = list(queues.tab_rows(person, tab, today=today).values_list("pk", flat=True))
            for start in (0, 10, 20, 30):
                page = queues.page_of_rows(person, tab, today=today, start=start,
                                           stop=start + 11)
                assert [row.pk for row in page] == listed[start:start + 11], (person, tab)
    assert queues.page_of_rows(worker, "mine", today=today, stop=50)  # something to list


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["a grant is given", "the team's grant is taken away"])
def test_two_transactions_changing_one_requests_grants_leave_it_right(first):
    """One transaction grants a person a request while another takes the team's grant away:
    each refresh locks the request first, so the second rewrites its rows from what the first
    committed, and when both have committed the table is what a rebuild gives."""
    council = make_council()
    team = make_team(council)
    worker, colleague = (make_user(council, role="social_worker", team=team) for _ in "ab")
    someone = make_user(council, role="social_worker")
    request = make_request(council, state="with_worker", routed_team=team, created_by=someone)
    access.grant(request, team.group, act=False)
    def give():
        access.grant(request, worker)

    def take_away():
        remove_perm(access.VIEW, team.group, request)

    one_while_the_other_holds(
        *((give, take_away) if first == "a grant is given" else (take_away, give)))

    assert set(OpenWork.objects.filter(request=request).values_list("holder", flat=True)) == {
        worker.pk, someone.pk}
    assert_counts_are_the_lists(worker, colleague, someone)
