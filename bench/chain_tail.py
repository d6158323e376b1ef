"""What a quiet council's audit write costs while another council is busy (ADR 0039).

    uv run python bench/chain_tail.py --db bench_1m [--busy 100000] [--writes 200]

Inside one transaction that is rolled back at the end (the database is left as it was):
writes `--busy` audit events for the busiest council in one statement, then times
`--writes` audit events of the quietest council written as a page read writes them
(`services.history.audit`), and the two ways of finding that council's chain tail: the
newest row of the council in the audit table (the read before ADR 0039) and its `ChainTail`
row (the read now). Then, with `--unpruned N`, writes N more of the quiet council's events and
times its writes again: every write moves the tail row on, leaving a version behind, and no
version can be pruned while the transaction is open, as none can while any session holds an
older snapshot (a long export, pg_dump): the cost of ADR 0039's one row per chain. Prints
figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(run, times: int) -> float:
    """Median milliseconds of `times` runs."""
    laps = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        laps.append((time.perf_counter() - started) * 1000)
    return sorted(laps)[len(laps) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--busy", type=int, default=100_000)
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--unpruned", type=int, default=0)
    args = parser.parse_args()
    os.environ.update({"DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.db}",
                       "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
                       "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 60)})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "requests_app.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Count

    from requests_app.models import AuditEvent, User
    from requests_app.services.history import audit

    councils = list(AuditEvent.objects.exclude(council=None).values("council")
                    .annotate(n=Count("id")).order_by("-n").values_list("council", flat=True))
    busy, quiet = councils[0], councils[-1]
    reader = User.objects.filter(council_id=quiet, is_active=True).first()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO requests_app_auditevent (council_id, action, object_type, object_id, "
            "from_state, to_state, detail, user_agent, at, prev_hash, hash) "
            "SELECT %s, 'bench.busy', '', '', '', '', '{}', '', now(), '', '' "
            "FROM generate_series(1, %s)", [busy, args.busy])
        cursor.execute("ANALYZE requests_app_auditevent")

        def newest_row():
            cursor.execute("SELECT hash FROM requests_app_auditevent WHERE council_id = %s "
                           "ORDER BY id DESC LIMIT 1", [quiet])
            cursor.fetchone()

        def recorded_tail():
            cursor.execute("SELECT hash FROM requests_app_chaintail WHERE chain = "
                           "'AuditEvent' AND council_key = %s", [quiet])
            cursor.fetchone()

        def page_read():
            audit(reader, "bench.quiet_read", None, council_id=quiet,
                  detail={"kind": "read", "path": "/"})

        figures = [("the quiet council's newest audit row (before ADR 0039)", newest_row),
                   ("its ChainTail row (now)", recorded_tail),
                   ("a page read's whole audit write (now)", page_read)]
        print(f"{args.db}: {args.busy:,} events of council {busy} written after council "
              f"{quiet}'s last; median of {args.writes} runs each")
        for label, run in figures:
            print(f"  {timed(run, args.writes):7.3f} ms  {label}")
        if args.unpruned:
            for _ in range(args.unpruned):
                page_read()
            print(f"  {timed(page_read, args.writes):7.3f} ms  the same write after "
                  f"{args.unpruned:,} more, none of the tail's old versions prunable")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
