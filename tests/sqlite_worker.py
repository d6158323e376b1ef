"""Programs run by tests/test_sqlite_concurrency.py, each in its own process, on a SQLite file
(DATABASE_URL in the environment): the way the demo runs, a web server's saves beside the
django-tasks-db worker.

    python -m tests.sqlite_worker setup            # migrate; a council and a person
    python -m tests.sqlite_worker write <n> <rounds>   # one "web process" saving

The job the worker runs is in tests/sqlite_tasks.py (the worker imports it by its path).
"""

from __future__ import annotations

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "requests_app.settings")
django.setup()

from django.db import OperationalError, transaction  # noqa: E402

from requests_app.models import InformationRequest, User  # noqa: E402
from requests_app.services.history import add_note, audit  # noqa: E402
from tests.sqlite_tasks import note_from_the_worker  # noqa: E402


def setup() -> None:
    """Migrate the empty file as `scripts/demo` does (every migration, including those that
    create nothing on SQLite), then add someone to save as. One process: starting Django is
    most of the cost."""
    from django.core.management import call_command

    from tests.factories import make_council, make_user

    call_command("migrate", interactive=False, verbosity=0)
    council = make_council("nottinghamshire")
    make_user(council, role="scimt_officer", username="writer")


def write(writer: int, rounds: int) -> int:
    """Save like a page does: in one transaction, read, then write a request (the reference
    service reads the last number first), a case note and an audit event; then enqueue a job
    for the worker. Every "database is locked" is printed and counted."""
    from tests.factories import make_case, make_request, make_requester

    user = User.objects.get(username="writer")
    # Starting Django takes seconds: without a common start the writers would take turns.
    barrier = os.environ.get("WRITERS_BARRIER")
    if barrier:
        open(f"{barrier}.ready{writer}", "w").close()
        deadline = time.monotonic() + 600
        while not os.path.exists(f"{barrier}.go") and time.monotonic() < deadline:
            time.sleep(0.01)
    failures = 0
    for n in range(rounds):
        try:
            with transaction.atomic():
                # A service reads first (the request it acts on, the last reference), then
                # writes: the shape SQLite's default deferred transactions cannot wait for.
                InformationRequest.objects.filter(council=user.council).order_by("-pk").first()
                time.sleep(0.02)  # the service's own work (policy, routing) between the two
                request = make_request(user.council, created_by=user,
                                       requester=make_requester(user.council),
                                       subjects=[make_case(user.council,
                                                           reference=f"W{writer}-{n}")])
                add_note(request, user, f"Writer {writer}, save {n}.")
                audit(user, "test.saved", request, request=request)
            note_from_the_worker.enqueue(request.pk, n)
        except OperationalError as error:
            failures += 1
            print(f"writer {writer} save {n}: {error}", flush=True)
    print(f"writer {writer}: {rounds - failures} saved, {failures} failed", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        setup()
    elif command == "write":
        sys.exit(write(int(sys.argv[2]), int(sys.argv[3])))
    else:
        sys.exit(f"unknown command {command!r}")
