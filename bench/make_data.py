"""Build a realistic PostgreSQL database for the load benchmark, quickly, with COPY.

    uv run python bench/make_data.py --requests 100000 [--db bench_100k] [--workers-per-team 8]

Drops and recreates the database, migrates it, loads the demo councils, teams, staff, case
records and requesters (`manage.py load_demo`, so the demo sign-ins work), then COPYs in:
more staff (a team manager and social workers per social work team, so that one person's
share of the work is realistic), requesters, case records, requests spread over ten years and
every state (about 2 % still open), one subject each, ~4.6 case notes and ~2 audit events per
request (hash-chained per council, as the app writes them: `manage.py verify_history` passes),
and the guardian permission rows the services grant (team, CSM, team manager, worker: ~3.4
per request). Then VACUUM ANALYZE.

Prints how long each part took. At 1,000,000 requests it writes ~10 million rows.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHUNK = 20_000  # requests per COPY round
OPEN_SHARE = 0.02
YEARS = 10


def sh(args, env):
    subprocess.run(args, cwd=ROOT, env=env, check=True)


def _escape(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace(
        "\r", "\\r")


class Copier:
    """COPY rows (dicts) into a table; columns not given get NULL or their type's empty value."""

    def __init__(self, cursor, table):
        self.cursor, self.table = cursor, table
        cursor.execute("SELECT column_name, data_type, is_nullable FROM "
                       "information_schema.columns WHERE table_name = %s "
                       "ORDER BY ordinal_position", [table])
        self.columns = cursor.fetchall()
        self.buffer, self.count = io.StringIO(), 0

    def _empty(self, data_type, nullable):
        if nullable == "YES":
            return None
        if data_type == "boolean":
            return False
        if data_type in ("integer", "smallint", "bigint"):
            return 0
        if data_type == "jsonb":
            return "[]"
        if data_type.startswith("timestamp"):
            return datetime.now(UTC)
        return ""

    def add(self, row: dict):
        values = [row[name] if name in row else self._empty(kind, nullable)
                  for name, kind, nullable in self.columns]
        self.buffer.write("\t".join(_escape(v) for v in values))
        self.buffer.write("\n")
        self.count += 1

    def flush(self):
        self.buffer.seek(0)
        names = ", ".join(f'"{name}"' for name, _, _ in self.columns)
        self.cursor.copy_expert(f"COPY {self.table} ({names}) FROM STDIN", self.buffer)
        self.buffer = io.StringIO()


def next_id(cursor, table):
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--db", default=None, help="database name (default bench_<n>)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--workers-per-team", type=int, default=8)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    db = args.db or f"bench_{args.requests}"
    url = f"postgres://postgres@{args.host}:5432/{db}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 60)}
    started = time.monotonic()

    def lap(what):
        print(f"{time.monotonic() - started:8.1f} s  {what}", flush=True)

    sh(["psql", "-h", args.host, "-U", "postgres", "-q", "-c", f'DROP DATABASE IF EXISTS "{db}"',
        "-c", f'CREATE DATABASE "{db}"'], env)
    sh(["uv", "run", "python", "manage.py", "migrate", "-v", "0"], env)
    sh(["uv", "run", "python", "manage.py", "load_demo", "--quiet"], env)
    lap("migrated and loaded the demo")

    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DEBUG", "ALLOWED_HOSTS",
                                           "SECRET_KEY")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "requests_app.settings")
    import django

    django.setup()
    from django.db import connection

    generate(connection, args, lap)
    lap("done")


def generate(connection, args, lap):
    from requests_app.models.chain import GENESIS, entry_hash
    from requests_app.workflow import OPEN_STATES

    rng = random.Random(args.seed)
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    q = cursor.execute

    q("SELECT id, slug, reference_prefix FROM requests_app_council ORDER BY id")
    councils = cursor.fetchall()
    q("SELECT p.id, p.codename FROM auth_permission p JOIN django_content_type c "
      "ON c.id = p.content_type_id WHERE c.app_label = 'requests_app' "
      "AND p.codename IN ('view_informationrequest', 'act_on_request')")
    perm = {codename: pk for pk, codename in cursor.fetchall()}
    VIEW, ACT = perm["view_informationrequest"], perm["act_on_request"]

    # ---- staff: a manager and workers for every social work team --------------------------
    users, members, groups_of = (Copier(cursor, "requests_app_user"),
                                 Copier(cursor, "requests_app_membership"),
                                 Copier(cursor, "requests_app_user_groups"))
    uid, mid, gid = (next_id(cursor, "requests_app_user"),
                     next_id(cursor, "requests_app_membership"),
                     next_id(cursor, "requests_app_user_groups"))
    plan = {}
    for council_id, slug, prefix in councils:
        q("SELECT t.id, t.group_id, t.csm_id, t.manager_id FROM requests_app_team t "
          "WHERE t.council_id = %s AND t.kind = 'social_work' AND t.exists", [council_id])
        teams = []
        for team_id, group_id, csm_id, manager_id in cursor.fetchall():
            q("SELECT m.user_id FROM requests_app_membership m WHERE m.team_id = %s "
              "AND m.role = 'social_worker'", [team_id])
            workers = [row[0] for row in cursor.fetchall()]
            for n in range(args.workers_per_team):
                users.add({"id": uid, "password": "!", "username": f"bench.{slug}.{team_id}.{n}",
                           "first_name": "Bench", "last_name": f"Worker {team_id}-{n}",
                           "email": f"bench{uid}@example.gov.uk", "is_active": True,
                           "council_id": council_id})
                members.add({"id": mid, "user_id": uid, "team_id": team_id,
                             "role": "social_worker"})
                groups_of.add({"id": gid, "user_id": uid, "group_id": group_id})
                workers.append(uid)
                uid, mid, gid = uid + 1, mid + 1, gid + 1
            teams.append((team_id, group_id, csm_id, manager_id, workers))
        q("SELECT u.id FROM requests_app_user u JOIN requests_app_membership m "
          "ON m.user_id = u.id WHERE u.council_id = %s AND m.role = 'scimt_officer' "
          "ORDER BY u.id LIMIT 1", [council_id])
        logger = cursor.fetchone()[0]
        plan[council_id] = (slug, prefix, teams, logger)
    for copier in (users, members, groups_of):
        copier.flush()
    lap(f"staff: {users.count} more social workers")

    # ---- requesters and case records --------------------------------------------------------
    per_council = args.requests // len(councils)
    requesters, cases = (Copier(cursor, "requests_app_requester"),
                         Copier(cursor, "requests_app_caserecord"))
    rid, cid = next_id(cursor, "requests_app_requester"), next_id(cursor, "requests_app_caserecord")
    pools = {}
    first = ["Lily", "Sam", "Ava", "Noah", "Mia", "Leo", "Isla", "Jack", "Ruby", "Alfie"]
    last = ["Kendrick", "Okafor", "Patel", "Smith", "Nguyen", "Walsh", "Ahmed", "Brown"]
    for council_id in plan:
        rq = []
        for n in range(max(50, per_council // 50)):
            requesters.add({"id": rid, "council_id": council_id, "name": f"Officer {n}",
                            "organisation": f"Agency {n % 97}", "agency_type": "police",
                            "email": f"officer{rid}@police.example"})
            rq.append(rid)
            rid += 1
        cs = []
        for _ in range(max(100, per_council // 2)):
            cases.add({"id": cid, "council_id": council_id, "reference": f"B{cid:08d}",
                       "first_name": rng.choice(first), "last_name": rng.choice(last),
                       "date_of_birth": date(2006, 1, 1) + timedelta(days=rng.randrange(6000)),
                       "locality": "Bench", "is_open": rng.random() < 0.3,
                       "on_electronic": True})
            cs.append(cid)
            cid += 1
        pools[council_id] = (rq, cs)
    requesters.flush()
    cases.flush()
    lap(f"{requesters.count} requesters, {cases.count} case records")

    # ---- requests, subjects, notes, audit events, permissions -----------------------------
    copiers = {name: Copier(cursor, f"requests_app_{name}") for name in (
        "informationrequest", "requestsubject", "casenote", "auditevent",
        "requestuserobjectpermission", "requestgroupobjectpermission")}
    ids = {name: next_id(cursor, f"requests_app_{name}") for name in copiers}
    tails = {}
    for name, model in (("casenote", "CaseNote"), ("auditevent", "AuditEvent")):
        for council_id in plan:
            if name == "casenote":
                q("SELECT n.hash FROM requests_app_casenote n JOIN requests_app_informationrequest"
                  " r ON r.id = n.request_id WHERE r.council_id = %s ORDER BY n.id DESC LIMIT 1",
                  [council_id])
            else:
                q("SELECT hash FROM requests_app_auditevent WHERE council_id = %s "
                  "ORDER BY id DESC LIMIT 1", [council_id])
            row = cursor.fetchone()
            tails[(model, council_id)] = row[0] if row else GENESIS
    now = datetime.now(UTC).replace(microsecond=0)
    open_states = sorted(OPEN_STATES)
    closed_states = ["closed"] * 8 + ["refused", "withdrawn", "referred_out", "refused_at_triage"]
    sequences = {}

    def chained(model, council_id, row):
        prev = tails[(model, council_id)]
        row_ns = SimpleNamespace(**row)
        row["prev_hash"] = prev
        row["hash"] = tails[(model, council_id)] = entry_hash(model, row_ns, prev)
        return row

    def grant(request_id, *, user=None, group=None, act=False):
        for codename in (VIEW, ACT) if act else (VIEW,):
            if user is not None:
                name = "requestuserobjectpermission"
                copiers[name].add({"id": ids[name], "content_object_id": request_id,
                                   "user_id": user, "permission_id": codename})
            else:
                name = "requestgroupobjectpermission"
                copiers[name].add({"id": ids[name], "content_object_id": request_id,
                                   "group_id": group, "permission_id": codename})
            ids[name] += 1

    span = YEARS * 365 * 86400
    for n in range(args.requests):
        council_id = councils[n % len(councils)][0]
        slug, prefix, teams, logger = plan[council_id]
        rq, cs = pools[council_id]
        is_open = rng.random() < OPEN_SHARE
        # Open work is recent; history spreads over the years.
        age = rng.randrange(0, 45 * 86400) if is_open else rng.randrange(60 * 86400, span)
        received = now - timedelta(seconds=age)
        state = rng.choice(open_states) if is_open else rng.choice(closed_states)
        team_id, group_id, csm_id, manager_id, workers = rng.choice(teams)
        worker = rng.choice(workers) if workers else None
        allocated = worker if state not in ("received", "awaiting_decision",
                                            "awaiting_allocation") else None
        routed_to = (csm_id if state == "awaiting_decision" else
                     manager_id if state == "awaiting_allocation" else allocated)
        year = received.year
        sequences[(council_id, year)] = seq = sequences.get((council_id, year), 100_000) + 1
        request_id = ids["informationrequest"]
        ids["informationrequest"] += 1
        copiers["informationrequest"].add({
            "id": request_id, "council_id": council_id,
            "reference": f"{prefix}-{year}-{seq:06d}", "year": year, "sequence": seq,
            "channel": "secure_email", "received_at": received, "requester_id": rng.choice(rq),
            "request_type": rng.choice(["information", "police_investigation",
                                        "cafcass_private_law", "network_check"]),
            "information_sought": "Whether the child is known and any safeguarding concerns.",
            "consent": "obtained", "lawful_basis": "Children Act 1989 s.47",
            "routed_team_id": team_id if state != "received" else None,
            "routed_to_id": routed_to, "allocated_worker_id": allocated,
            "due_date": (received + timedelta(days=28)).date(), "state": state,
            "created_by_id": logger, "created_at": received, "updated_at": received,
            "closed_at": None if is_open else received + timedelta(days=20),
            "route_rule_ids": "[]", "completed_steps": "[]", "pr_permissions": "[]",
        })
        case_id = rng.choice(cs)
        copiers["requestsubject"].add({"id": ids["requestsubject"], "request_id": request_id,
                                       "case_record_id": case_id})
        ids["requestsubject"] += 1
        # ~4.6 notes and ~2 audit events a request, in time order, chained per council.
        for k in range(rng.choice((3, 4, 5, 5, 6, 4))):
            at = received + timedelta(hours=k * 30, microseconds=rng.randrange(10**6))
            note = {"id": ids["casenote"], "request_id": request_id, "case_record_id": case_id,
                    "kind": "general", "text": f"Step {k + 1} of the request, recorded.",
                    "rule_ids": [], "author_id": worker or logger, "created_at": at,
                    "corrects_id": None}
            ids["casenote"] += 1
            row = chained("CaseNote", council_id, note)
            copiers["casenote"].add({**row, "rule_ids": "[]"})
        for k, action in enumerate(("request.log_request", "request.route")):
            at = received + timedelta(minutes=k, microseconds=rng.randrange(10**6))
            event = {"id": ids["auditevent"], "council_id": council_id, "actor_id": logger,
                     "action": action, "request_id": request_id,
                     "object_type": "requests_app.InformationRequest",
                     "object_id": str(request_id), "from_state": "", "to_state": "",
                     "detail": {}, "ip_address": None, "user_agent": "", "at": at}
            ids["auditevent"] += 1
            row = chained("AuditEvent", council_id, event)
            copiers["auditevent"].add({**row, "detail": "{}"})
        # The grants the services make: the team, the worker, the deciding CSM.
        if state != "received":
            grant(request_id, group=group_id, act=is_open and allocated is None)
            if csm_id and rng.random() < 0.7:
                grant(request_id, user=csm_id, act=state == "awaiting_decision")
            if manager_id and state not in ("awaiting_decision", "refused"):
                grant(request_id, user=manager_id, act=state == "awaiting_allocation")
            if allocated:
                grant(request_id, user=allocated, act=is_open)
        if (n + 1) % CHUNK == 0:
            # Together and in this order: the notes and grants point at the requests.
            for copier in copiers.values():
                copier.flush()
        if (n + 1) % 100_000 == 0:
            lap(f"{n + 1} requests generated")
    for copier in copiers.values():
        copier.flush()
    perms = (copiers["requestuserobjectpermission"].count
             + copiers["requestgroupobjectpermission"].count)
    lap(f"{args.requests} requests, {copiers['casenote'].count} case notes, "
        f"{copiers['auditevent'].count} audit events, {perms} permission rows")
    for table in ("user", "membership", "user_groups", "requester", "caserecord",
                  *copiers):
        q(f"SELECT setval(pg_get_serial_sequence('requests_app_{table}', 'id'), "
          f"(SELECT MAX(id) FROM requests_app_{table}))")
    connection.connection.commit()
    connection.connection.autocommit = True
    cursor.execute("VACUUM ANALYZE")
    lap("VACUUM ANALYZE")


if __name__ == "__main__":
    main()
