"""The platform administrator manages reference data only (issue 11 item 6): councils, teams,
staff and their roles. Nothing about children or requests is in the admin, and a change to who
works where is audited with its before and after."""

import pytest
from django.urls import reverse

from requests_app.models import AuditEvent, Membership, User
from tests.factories import make_request, make_team, make_user

# Models whose rows are children's or requesters' data, or a request's history.
NOT_IN_THE_ADMIN = [
    "casenote", "caserecord", "sensitivedetail", "parentalresponsibility", "requester",
    "informationrequest", "requestsubject", "requestamendment", "clockpause", "document",
    "hardcopyrequest", "recordsretrieval", "pack", "packitem", "redaction",
    "rejectedsuggestion", "disclosuredecision", "auditevent",
    "requestuserobjectpermission", "requestgroupobjectpermission",
]


@pytest.fixture
def platform_admin(client, db):
    admin = User.objects.create_superuser("platform-admin", password="x" * 20, council=None)
    client.force_login(admin)
    return admin


@pytest.mark.parametrize("model", NOT_IN_THE_ADMIN)
def test_the_admin_has_no_page_for_childrens_or_requests_data(client, platform_admin, model):
    changelist = client.get(f"/admin/requests_app/{model}/")
    add = client.get(f"/admin/requests_app/{model}/add/")
    one = client.get(f"/admin/requests_app/{model}/1/change/")

    assert (changelist.status_code, add.status_code, one.status_code) == (404, 404, 404)


def test_the_admin_index_lists_reference_data_only(client, platform_admin):
    page = client.get(reverse("admin:index")).content.decode()

    for listed in ["Councils", "Teams", "Users", "Groups"]:
        assert f">{listed}<" in page
    for absent in ["Case notes", "Case records", "Requesters", "Audit events",
                   "Disclosure decisions", "Information requests", "Task results"]:
        assert absent not in page


def test_the_admin_holds_no_task_results(client, platform_admin):
    assert client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 404


def _change_form(user, **overrides):
    """What the admin's change form posts for this user, with some fields changed."""
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": "on", "council": user.council_id or "",
        "job_title": user.job_title, "phone": user.phone,
        "date_joined_0": user.date_joined.strftime("%d/%m/%Y"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0,
        "memberships-MIN_NUM_FORMS": 0, "memberships-MAX_NUM_FORMS": 1000,
    }
    memberships = list(user.memberships.all())
    data["memberships-TOTAL_FORMS"] = data["memberships-INITIAL_FORMS"] = len(memberships)
    for i, m in enumerate(memberships):
        data.update({f"memberships-{i}-id": m.pk, f"memberships-{i}-user": user.pk,
                     f"memberships-{i}-team": m.team_id, f"memberships-{i}-role": m.role})
    data.update(overrides)
    return data


def test_moving_someone_to_another_council_is_audited_with_before_and_after(
        client, platform_admin, notts, camden):
    worker = make_user(notts, role="social_worker", username="moving")
    membership = worker.memberships.get()
    url = reverse("admin:requests_app_user_change", args=[worker.pk])

    response = client.post(url, _change_form(worker, council=camden.pk,
                                             **{"memberships-0-DELETE": "on"}))

    assert response.status_code == 302, response.content.decode()[:3000]
    worker.refresh_from_db()
    assert worker.council == camden and not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(action="user.access_changed")
    assert event.actor == platform_admin and event.object_id == str(worker.pk)
    assert event.council_id == camden.pk
    assert event.detail["before"]["council"] == "nottinghamshire"
    assert event.detail["after"]["council"] == "camden"
    assert event.detail["before"]["roles"] == [f"social_worker in {membership.team.name}"]
    assert event.detail["after"]["roles"] == []
    assert event.detail["changed"] == ["council", "roles"]


def test_giving_someone_a_role_is_audited(client, platform_admin, notts):
    worker = make_user(notts, username="promoted")
    team = make_team(notts, name="Broxtowe DCPT")
    url = reverse("admin:requests_app_user_change", args=[worker.pk])

    response = client.post(url, _change_form(worker, **{
        "memberships-TOTAL_FORMS": 1, "memberships-0-user": worker.pk,
        "memberships-0-team": team.pk, "memberships-0-role": "csm"}))

    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="user.access_changed")
    assert event.detail["before"]["roles"] == []
    assert event.detail["after"]["roles"] == ["csm in Broxtowe DCPT"]
    assert event.council_id == notts.pk


def test_changing_only_a_phone_number_is_in_the_admin_log_but_not_an_access_change(
        client, platform_admin, notts):
    worker = make_user(notts, role="social_worker", username="phone")
    url = reverse("admin:requests_app_user_change", args=[worker.pk])

    client.post(url, _change_form(worker, phone="01234 567890"))

    assert not AuditEvent.objects.filter(action="user.access_changed").exists()
    assert AuditEvent.objects.filter(action="admin.changed", object_id=str(worker.pk)).exists()


def test_reading_admin_pages_is_audited(client, platform_admin, notts):
    client.get(reverse("admin:requests_app_user_changelist"))

    event = AuditEvent.objects.get(action="admin.viewed")
    assert event.actor == platform_admin
    assert event.detail["url_name"] == "admin:requests_app_user_changelist"


def test_reading_a_persons_admin_page_records_whose_page_it_was(client, platform_admin, notts):
    worker = make_user(notts, username="looked-at")

    client.get(reverse("admin:requests_app_user_change", args=[worker.pk]))

    event = AuditEvent.objects.get(action="admin.viewed")
    assert event.detail["object_id"] == str(worker.pk)


def test_the_platform_administrator_still_sees_no_requests(client, platform_admin, notts):
    request = make_request(notts)

    response = client.get(reverse("request_detail", kwargs={"reference": request.reference}))

    assert response.status_code == 404
