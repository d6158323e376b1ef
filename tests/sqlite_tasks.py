"""The background job of tests/test_sqlite_concurrency.py, run by the real `db_worker`."""

from django.db import transaction
from django.tasks import task

from requests_app.models import InformationRequest
from requests_app.services.history import add_note, audit


@task()
def note_from_the_worker(request_id: int, n: int) -> None:
    """A background job writing its result: read the request, then write a note and an
    audit event in one transaction (a read then a write: what SQLite's default deferred
    transactions could not wait for)."""
    with transaction.atomic():
        request = InformationRequest.objects.get(pk=request_id)
        add_note(request, request.created_by, f"Background job {n} finished.")
        audit(request.created_by, "test.worker_wrote", request, request=request)
