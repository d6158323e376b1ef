"""The demo's dates are possible: nobody's case opened before they were born or closed before
it opened, nothing is in the future, and requests came after the child was born (issue 13)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction

from requests_app.models import CaseRecord, InformationRequest


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """The whole demo, requests included, loaded once for this module and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--quiet")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(_demo, db):
    """The demo data, for a test in its own savepoint."""


def test_every_case_record_was_born_then_opened_then_closed_and_none_in_the_future(loaded):
    today = date.today()
    impossible = []
    for case in CaseRecord.objects.all():
        dates = [case.date_of_birth, case.opened_on]
        if not case.is_open:
            dates.append(case.closed_on)
        if None in dates or dates != sorted(dates) or dates[-1] > today:
            impossible.append((case.council.slug, case.reference, dates))
        if case.is_open and case.closed_on is not None:
            impossible.append((case.council.slug, case.reference, "open but closed"))

    assert CaseRecord.objects.count() >= 80
    assert impossible == []


def test_every_demo_request_came_after_its_children_were_born_and_their_cases_opened(loaded):
    today = date.today()
    impossible = [
        (request.reference, case.reference)
        for request in InformationRequest.objects.prefetch_related("subjects")
        for case in request.subjects.all()
        if not case.date_of_birth <= case.opened_on <= request.received_at.date() <= today
    ]

    assert InformationRequest.objects.exists()
    assert impossible == []
