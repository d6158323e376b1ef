"""`manage.py load_demo` gives four councils enough people, records and requests to show every
rule, and running it again changes nothing."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from fixtures.demo import DEMO_PASSWORD
from requests_app import access
from requests_app.models import (
    AuditEvent,
    CaseNote,
    CaseRecord,
    Council,
    InformationRequest,
    Membership,
    Requester,
    Role,
    Team,
    User,
)

COUNTED = [Council, User, Team, Membership, Group, CaseRecord, Requester, InformationRequest,
           CaseNote, AuditEvent]


@pytest.fixture
def demo(db):
    call_command("load_demo", "--quiet")


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def cases_of(council):
    return CaseRecord.objects.filter(council=council)


def test_loading_the_demo_twice_leaves_the_same_data(demo):
    first = counts()

    call_command("load_demo", "--quiet")

    assert counts() == first
    assert first["Council"] == 4
    assert first["InformationRequest"] > 0


def test_there_are_the_four_councils(demo):
    assert set(Council.objects.values_list("slug", flat=True)) == {
        "devon", "nottinghamshire", "camden", "brighton_hove"
    }


def test_every_council_has_someone_in_every_role(demo):
    missing = [
        (council.slug, role.label)
        for council in Council.objects.all()
        for role in Role
        if not Membership.objects.filter(
            role=role, user__council=council, team__council=council
        ).exists()
    ]

    assert missing == []


def test_every_council_has_at_least_20_case_records(demo):
    for council in Council.objects.all():
        assert cases_of(council).count() >= 20, council


# What each council's case records must include, for the policies to have something to route.
CASE_KINDS = {
    "open": lambda cases: cases.filter(is_open=True),
    "closed, electronic only": lambda cases: cases.filter(
        is_open=False, on_electronic=True, on_paper=False, on_microfilm=False
    ),
    "closed, on paper or microfilm": lambda cases: cases.filter(is_open=False).filter(
        on_paper=True
    ) | cases.filter(is_open=False, on_microfilm=True),
    "MASH enquiry only": lambda cases: cases.filter(mash_enquiry_only=True),
    "subject to a Care Order": lambda cases: cases.filter(care_order=True),
    "restricted": lambda cases: cases.exclude(disclosure_restrictions="")
    | cases.exclude(family_wishes=""),
}


def test_every_council_has_a_case_record_of_each_kind(demo):
    missing = [
        (council.slug, kind)
        for council in Council.objects.all()
        for kind, find in CASE_KINDS.items()
        if not find(cases_of(council)).exists()
    ]

    assert missing == []


def test_every_council_has_a_young_person_aged_16_or_over_today(demo):
    today = date.today()
    for council in Council.objects.all():
        assert any(case.age_on(today) >= 16 for case in cases_of(council)), council


def test_nottinghamshire_has_a_team_that_no_longer_exists_with_closed_cases(demo):
    defunct = Team.objects.filter(council__slug="nottinghamshire", exists=False)

    assert defunct.exists()
    assert CaseRecord.objects.filter(last_team__in=defunct, is_open=False).exists()


def test_demo_users_sign_in_with_the_documented_password(demo, client):
    for username in ["notts.scimt", "devon.scimt", "camden.scimt", "bh.scimt", "admin"]:
        # Through the sign-in page: django-axes needs the request to count failures.
        response = client.post("/accounts/login/", {"username": username,
                                                    "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert "_auth_user_id" in client.session, username
        client.logout()


def test_every_demo_user_sees_only_their_own_councils_requests(demo):
    staff = User.objects.exclude(council=None)
    assert staff.exists()
    for user in staff:
        councils_seen = set(access.visible_requests(user).values_list("council_id", flat=True))
        assert councils_seen <= {user.council_id}, user.username


def test_every_councils_first_point_of_contact_sees_that_councils_demo_requests(demo):
    for council in Council.objects.all():
        officer = User.objects.get(
            council=council, memberships__role=Role.SCIMT_OFFICER
        )
        assert set(access.visible_requests(officer)) == set(council.requests.all()), council
