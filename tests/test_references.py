"""Request references: <PREFIX>-<YEAR>-<6 digits>, counting up per council and year."""

import re
from datetime import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from requests_app.models import InformationRequest
from tests.factories import make_request, make_requester, make_user


def received_in(year: int):
    return timezone.make_aware(datetime(year, 6, 1, 9, 30))


def test_reference_is_council_prefix_year_and_six_digit_sequence(notts):
    request = make_request(notts, received_at=received_in(2026))

    assert request.reference == "NOTTS-2026-000001"
    assert re.fullmatch(r"[A-Z]+-\d{4}-\d{6}", request.reference)
    assert (request.year, request.sequence) == (2026, 1)


def test_references_count_up_within_a_council_and_year(notts):
    references = [make_request(notts, received_at=received_in(2026)).reference for _ in range(3)]

    assert references == ["NOTTS-2026-000001", "NOTTS-2026-000002", "NOTTS-2026-000003"]


def test_a_new_year_starts_counting_again_from_one(notts):
    make_request(notts, received_at=received_in(2026))
    make_request(notts, received_at=received_in(2026))

    assert make_request(notts, received_at=received_in(2027)).reference == "NOTTS-2027-000001"


def test_two_councils_may_both_have_sequence_one(notts, camden):
    notts_request = make_request(notts, received_at=received_in(2026))
    camden_request = make_request(camden, received_at=received_in(2026))

    assert notts_request.reference == "NOTTS-2026-000001"
    assert camden_request.reference == "CAMDEN-2026-000001"


def test_another_councils_requests_do_not_move_this_councils_sequence(notts, camden):
    make_request(camden, received_at=received_in(2026))
    make_request(camden, received_at=received_in(2026))

    assert make_request(notts, received_at=received_in(2026)).reference == "NOTTS-2026-000001"


def _insert_request(council, *, reference, year, sequence):
    return InformationRequest.objects.create(
        council=council, reference=reference, year=year, sequence=sequence,
        channel="email", received_at=received_in(year), requester=make_requester(council),
        request_type="information", information_sought="Whether the child is known.",
        created_by=make_user(council, role="scimt_officer"),
    )


def test_database_refuses_a_duplicate_reference_within_a_council(notts):
    existing = make_request(notts, received_at=received_in(2026))

    with pytest.raises(IntegrityError), transaction.atomic():
        _insert_request(notts, reference=existing.reference, year=2026, sequence=99)

    assert InformationRequest.objects.filter(reference=existing.reference).count() == 1


def test_database_refuses_a_duplicate_sequence_within_a_council_and_year(notts):
    make_request(notts, received_at=received_in(2026))

    with pytest.raises(IntegrityError), transaction.atomic():
        _insert_request(notts, reference="NOTTS-2026-900001", year=2026, sequence=1)


def test_the_same_reference_may_exist_in_two_councils(notts, camden):
    """Uniqueness is per council: the constraint must not be global."""
    _insert_request(notts, reference="SHARED-2026-000001", year=2026, sequence=1)
    _insert_request(camden, reference="SHARED-2026-000001", year=2026, sequence=1)

    assert InformationRequest.objects.filter(reference="SHARED-2026-000001").count() == 2
