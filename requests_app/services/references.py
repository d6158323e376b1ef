"""Request references: <PREFIX>-<YEAR>-<6-digit sequence>, unique within a council."""

from django.db import transaction
from django.db.models import Max

from requests_app.models import Council, InformationRequest


def next_reference(council: Council, year: int) -> tuple[str, int]:
    """The next free reference for the council and year.

    Locks the council row, so two people logging requests at the same moment cannot take the
    same number; the unique constraints are the backstop.
    """
    assert transaction.get_connection().in_atomic_block, "call inside transaction.atomic()"
    Council.objects.select_for_update().filter(pk=council.pk).first()
    last = InformationRequest.objects.filter(council=council, year=year).aggregate(
        m=Max("sequence")
    )["m"] or 0
    sequence = last + 1
    return f"{council.reference_prefix}-{year}-{sequence:06d}", sequence
