"""The demo councils, their people and case records, and helpers that read a request's history.

Service tests run on the demo data (`manage.py load_demo`): the same councils, teams and people
the browser tests and the README use, so "notts.csm" here is Carol Hennessy everywhere.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from fixtures import demo as demo_data
from requests_app import access
from requests_app.management.commands.load_demo import Command as LoadDemo
from requests_app.models import (
    AuditEvent,
    CaseNote,
    CaseRecord,
    Council,
    InformationRequest,
    Requester,
    Team,
    User,
)
from requests_app.services import intake
from requests_app.services.base import ActionRefused


def load_demo_without_requests() -> None:
    """The demo councils, teams, staff, case records and requesters, made by `load_demo`'s own
    steps but without its sample requests (it walks those through the services, which takes
    seconds); each test here makes the requests it is about."""
    command = LoadDemo()
    for slug, name, prefix, system, sar in demo_data.COUNCILS:
        council, _ = Council.objects.update_or_create(
            slug=slug, defaults={"name": name, "reference_prefix": prefix,
                                 "records_system": system, "sar_contact": sar},
        )
        teams = command._teams(council)
        users = command._staff(council, teams)
        command._cases(council, teams, users)
        command._requesters(council)


@pytest.fixture(scope="module")
def _demo_rows(django_db_setup, django_db_blocker):
    """Loaded once per module inside a transaction that is rolled back afterwards; each test
    runs in a savepoint inside it (pytest-django's `db`), so tests cannot see each other."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_without_requests()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_rows, db):
    """The demo data, for a test that runs in its own savepoint."""


@pytest.fixture
def people(demo):
    """Demo staff by username: people["notts.csm"]."""

    class _People(dict):
        def __missing__(self, username):
            user = User.objects.get(username=username)
            self[username] = user
            return user

    return _People()


def council(slug: str) -> Council:
    return Council.objects.get(slug=slug)


def team(slug: str, name: str) -> Team:
    return Team.objects.get(council__slug=slug, name=name)


def case(slug: str, **lookup) -> CaseRecord:
    """One demo case record by its scenario, e.g. case("nottinghamshire", locality="Broxtowe",
    on_paper=True) for the closed paper case whose team no longer exists."""
    return CaseRecord.objects.get(council__slug=slug, **lookup)


def closed_electronic(slug: str) -> CaseRecord:
    """The closed_electronic scenario: closed, electronic only, last held by the first SW team."""
    return CaseRecord.objects.get(
        council__slug=slug, is_open=False, closed_on__year=2023, on_paper=False,
        on_microfilm=False, mash_enquiry_only=False,
    )


def open_case(slug: str) -> CaseRecord:
    """The "open" scenario: open, allocated to the council's first social worker, CP history."""
    return CaseRecord.objects.get(council__slug=slug, is_open=True, has_cp_history=True,
                                  care_order=False)


def requester(slug: str, agency_type: str) -> Requester:
    return Requester.objects.filter(council__slug=slug, agency_type=agency_type).first()


# What a careful triage officer records for an ordinary professional request (ALL-1,
# NOTTS-0.4, NOTTS-0.6, CAMDEN-1).
GOOD_FACTS = dict(
    request_type="information",
    information_sought="Dates and outcome of the last child and family assessment.",
    channel="email",
    consent="obtained",
    consent_evidence="Signed consent form from the mother, dated last week.",
    lawful_basis="Children Act 1989 s.17; UK GDPR Art 6(1)(e)",
    working_with_subject=True,
    specific_information=True,
    identity_verified=True,
)


def log(user: User, subject: CaseRecord, *, agency_type: str = "other_council", **facts):
    """Log a request through the intake service, with good triage facts unless overridden."""
    fields = {**GOOD_FACTS, **facts}
    who = requester(user.council.slug, agency_type) if agency_type else None
    return intake.log_request(user, requester=who, subjects=[subject], **fields)


def log_and_triage(user, subject, **facts) -> InformationRequest:
    request = log(user, subject, **facts)
    return intake.triage(request, user)


def fresh(request: InformationRequest) -> InformationRequest:
    return InformationRequest.objects.get(pk=request.pk)


def refused(call, *args, **kwargs) -> list[str]:
    """The problems an action was refused with (fails the test if it was not refused)."""
    with pytest.raises(ActionRefused) as excinfo:
        call(*args, **kwargs)
    return excinfo.value.problems


def cites(problems: list[str], rule_id: str) -> list[str]:
    """The problems that cite this rule ID (as "… — RULE" or "RULE: …")."""
    return [p for p in problems if rule_id in p]


def notes(request, kind=None) -> list[CaseNote]:
    qs = CaseNote.objects.filter(request=request)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("id"))


def assert_noted_on_every_subject(request, kind, *rule_ids) -> list[CaseNote]:
    """One case note per subject of this kind, each citing all of rule_ids (ALL-3)."""
    found = notes(request, kind)
    subjects = set(request.subjects.values_list("pk", flat=True))
    noted = {n.case_record_id for n in found}
    assert subjects <= noted, f"no {kind} note on subjects {subjects - noted}"
    with_rules = [n for n in found if set(rule_ids) <= set(n.rule_ids)]
    assert {n.case_record_id for n in with_rules} >= subjects, (
        f"{kind} notes do not cite {rule_ids}: {[n.rule_ids for n in found]}"
    )
    return with_rules


def assert_audited(request, name: str, from_state: str, to_state: str, actor: User):
    event = AuditEvent.objects.filter(request=request, action=f"request.{name}").last()
    assert event is not None, f"no audit event for {name}"
    assert (event.from_state, event.to_state) == (from_state, to_state)
    assert event.actor_id == actor.pk
    assert event.council_id == request.council_id
    return event


def may_act(user, request) -> bool:
    return access.may_act(user, fresh(request))


def may_see(user, request) -> bool:
    return access.visible_requests(user).filter(pk=request.pk).exists()
