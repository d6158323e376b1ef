"""Who may see and act: outsiders get 404, onlookers 403, and per-request permissions live in
guardian's direct foreign-key tables (requests_app/access.py)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from guardian.models import GroupObjectPermission, UserObjectPermission

from requests_app import access
from requests_app.models import (
    InformationRequest,
    RequestGroupObjectPermission,
    RequestUserObjectPermission,
    User,
)
from requests_app.services import decisions
from tests.services.conftest import closed_electronic, log, log_and_triage, open_case

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def with_csm(people):
    """Triaged to Carol Hennessy (notts.csm)."""
    return log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"))


def test_an_outsider_from_another_council_gets_404(people, with_csm):
    outsider = people["camden.scimt"]

    with pytest.raises(Http404):
        access.get_request_for_user(outsider, with_csm.reference)
    with pytest.raises(Http404):
        access.get_request_for_action(outsider, with_csm.reference)
    assert not access.visible_requests(outsider).filter(pk=with_csm.pk).exists()


def test_a_colleague_the_request_was_never_sent_to_gets_404_not_403(people, with_csm):
    with pytest.raises(Http404):
        access.get_request_for_action(people["notts.sw2"], with_csm.reference)


def test_the_person_it_is_with_may_act(people, with_csm):
    found = access.get_request_for_action(people["notts.csm"], with_csm.reference)

    assert found.pk == with_csm.pk


def test_someone_who_may_look_but_not_act_gets_403(people, with_csm):
    csm = people["notts.csm"]
    decisions.approve(with_csm, csm, reasons="Specific, with consent.")

    assert access.get_request_for_user(csm, with_csm.reference).pk == with_csm.pk
    with pytest.raises(PermissionDenied):
        access.get_request_for_action(csm, with_csm.reference)


def test_the_first_point_of_contact_sees_every_request_of_their_council_only(people):
    notts = log(people["notts.scimt"], closed_electronic("nottinghamshire"))
    camden = log(people["camden.scimt"], open_case("camden"), agency_type="health")

    visible = set(access.visible_requests(people["notts.scimt"]))

    assert notts in visible and camden not in visible


def test_a_team_holds_a_request_through_its_group(people):
    request = log_and_triage(people["devon.scimt"], open_case("devon"), agency_type="police",
                             request_type="police_investigation", criminal_investigation=True)
    ig = people["devon.ig"]

    assert access.get_request_for_action(ig, request.reference).pk == request.pk
    assert RequestGroupObjectPermission.objects.filter(content_object=request).exists()


def test_people_outside_every_council_see_nothing(people, with_csm):
    admin = User.objects.create_superuser("platform-admin", password="x" * 20)
    gone = people["notts.csm"]
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    assert not access.visible_requests(admin).exists()
    assert not access.visible_requests(gone).exists()
    with pytest.raises(Http404):
        access.get_request_for_user(admin, with_csm.reference)


def test_visible_requests_uses_the_direct_foreign_key_tables(people, with_csm):
    csm = people["notts.csm"]

    granted = RequestUserObjectPermission.objects.filter(content_object=with_csm, user=csm)
    assert set(granted.values_list("permission__codename", flat=True)) == {
        access.VIEW, access.ACT}
    # Nothing went to guardian's generic (text object id) tables.
    assert not UserObjectPermission.objects.exists()
    assert not GroupObjectPermission.objects.exists()

    sql = str(access.visible_requests(csm).query)
    assert RequestUserObjectPermission._meta.db_table in sql
    assert RequestGroupObjectPermission._meta.db_table in sql
    assert UserObjectPermission._meta.db_table not in sql
    assert list(access.visible_requests(csm)) == [with_csm]


def test_may_act_is_false_across_councils_even_for_a_first_point_of_contact(people, with_csm):
    outsider = people["camden.scimt"]
    request = InformationRequest.objects.get(pk=with_csm.pk)

    assert not access.may_act(outsider, request)
    assert not access.is_with(outsider, request)
    assert access.access_problems(outsider, request, "close") == [
        "You do not work for this council."]
