"""The queues read a person's open work from their open grants alone (ADR 0026): each grant
says whether its request is open, kept in step when the request opens or closes, so the open
requests a person sees are the same whichever way they are asked for."""

import pytest

from requests_app import access, queues
from requests_app.models import (
    InformationRequest,
    RequestGroupObjectPermission,
    RequestUserObjectPermission,
)
from tests.factories import make_request

pytestmark = pytest.mark.django_db


def open_flags(request) -> set[bool]:
    return ({g.request_open for g in RequestUserObjectPermission.objects.filter(
        content_object=request)}
        | {g.request_open for g in RequestGroupObjectPermission.objects.filter(
            content_object=request)})


def test_a_request_that_ends_marks_its_grants_closed_in_the_same_save(
    notts, social_work_team, social_worker
):
    request = make_request(notts, state="with_worker", routed_team=social_work_team,
                           allocated_worker=social_worker)
    access.grant(request, social_worker)
    access.grant(request, social_work_team.group)
    assert open_flags(request) == {True}

    loaded = InformationRequest.objects.get(pk=request.pk)
    loaded.withdraw()
    loaded.save()
    assert open_flags(request) == {False}
    assert request not in queues.open_visible(social_worker)


def test_a_grant_on_a_closed_request_is_not_open_work(notts, social_worker):
    request = make_request(notts, state="closed")
    access.grant(request, social_worker)
    assert open_flags(request) == {False}
    assert request not in queues.open_visible(social_worker)
    assert request in access.visible_requests(social_worker)


@pytest.mark.parametrize("persona", ["social_worker", "csm", "scimt_officer"])
def test_open_work_read_from_open_grants_is_what_the_person_may_see_and_is_open(
    notts, social_work_team, social_worker, csm, scimt_officer, persona, request
):
    user = request.getfixturevalue(persona)
    made = []
    for n, state in enumerate(["with_worker", "closed", "awaiting_decision", "refused",
                               "received", "disclosed"]):
        item = make_request(notts, state=state, routed_team=social_work_team)
        if n % 2:
            access.grant(item, social_work_team.group, act=False)
        if n % 3 == 0:
            access.grant(item, social_worker)
        if n == 2:
            access.grant(item, csm)
        made.append(item)
    # One ends after its grants were made, through its transition and save().
    loaded = InformationRequest.objects.get(pk=made[0].pk)
    loaded.withdraw()
    loaded.save()

    expected = set(access.visible_requests(user).filter(state__in=queues.OPEN)
                   .values_list("pk", flat=True))
    # Read both ways: in due-date order for a list, as one set of ids for the counts.
    assert set(queues.open_visible(user).values_list("pk", flat=True)) == expected
    assert set(queues.open_visible(user, to_count=True).values_list("pk", flat=True)
               ) == expected
    assert expected  # each persona sees some open work here
