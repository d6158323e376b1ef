"""Small explicit factories: make_x(**overrides) returns a saved object with sensible defaults."""

from datetime import date
from itertools import count

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from requests_app.models import (
    CaseRecord,
    Council,
    InformationRequest,
    Membership,
    Requester,
    Team,
    User,
)
from requests_app.services.references import next_reference

_n = count(1)

PASSWORD = "correct-horse-battery-staple"

COUNCILS = {
    "nottinghamshire": ("Nottinghamshire County Council", "NOTTS", "Framework"),
    "devon": ("Devon County Council", "DEVON", "Case management system"),
    "camden": ("London Borough of Camden", "CAMDEN", "MOSAIC"),
    "brighton_hove": ("Brighton & Hove City Council", "BH", "Eclipse"),
}


def make_council(slug: str = "nottinghamshire") -> Council:
    name, prefix, system = COUNCILS[slug]
    council, _ = Council.objects.get_or_create(
        slug=slug, defaults={"name": name, "reference_prefix": prefix, "records_system": system}
    )
    return council


def make_team(council: Council | None = None, **overrides) -> Team:
    council = council or make_council()
    fields = {"name": f"Team {next(_n)}", "kind": "social_work", "locality": "Mansfield"}
    fields.update(overrides)
    team = Team.objects.create(council=council, **fields)
    team.group = Group.objects.create(name=f"team:{council.slug}:{team.pk}")
    team.save(update_fields=["group"])
    return team


def make_user(council: Council | None = None, *, role: str | None = None,
              team: Team | None = None, **overrides) -> User:
    council = council if council is not None else make_council()
    n = next(_n)
    fields = {"username": f"user{n}", "first_name": "Alex", "last_name": f"Person{n}"}
    fields.update(overrides)
    user = User.objects.create_user(password=PASSWORD, council=council, **fields)
    if role:
        team = team or make_team(council)
        Membership.objects.create(user=user, team=team, role=role)
        user.groups.add(team.group)
        if role == "csm":
            team.csm = user
            team.save(update_fields=["csm"])
        if role == "team_manager":
            team.manager = user
            team.save(update_fields=["manager"])
    return user


def make_case(council: Council | None = None, **overrides) -> CaseRecord:
    council = council or make_council()
    n = next(_n)
    fields = {
        "reference": f"CR{n:06d}", "first_name": "Robin", "last_name": f"Child{n}",
        "date_of_birth": date(2015, 4, 1), "locality": "Mansfield", "is_open": True,
    }
    fields.update(overrides)
    return CaseRecord.objects.create(council=council, **fields)


def make_requester(council: Council | None = None, **overrides) -> Requester:
    council = council or make_council()
    fields = {"name": "DC Jane Doe", "organisation": "Nottinghamshire Police",
              "agency_type": "police", "email": "jane.doe@police.example",
              "secure_email": "jane.doe@pnn.police.example"}
    fields.update(overrides)
    return Requester.objects.create(council=council, **fields)


def make_request(council: Council | None = None, *, subjects=None, **overrides):
    council = council or make_council()
    created_by = overrides.pop("created_by", None) or make_user(council, role="scimt_officer")
    received_at = overrides.pop("received_at", timezone.now())
    with transaction.atomic():
        reference, sequence = next_reference(council, received_at.year)
        fields = {
            "channel": "email", "request_type": "information",
            "information_sought": "Whether the child is known to children's social care.",
            "consent": "obtained", "requester": overrides.pop("requester", None)
            or make_requester(council),
        }
        fields.update(overrides)
        request = InformationRequest.objects.create(
            council=council, reference=reference, year=received_at.year, sequence=sequence,
            received_at=received_at, created_by=created_by, **fields,
        )
    for subject in subjects if subjects is not None else [make_case(council)]:
        request.subjects.add(subject)
    return request
