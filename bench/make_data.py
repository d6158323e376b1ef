"""Build a realistic PostgreSQL database for the load benchmark, quickly, with COPY.

    uv run python bench/make_data.py --requests 100000 [--db bench_100k] [--workers-per-team 8]

Drops and recreates the database as a copy of a migrated demo database (`bench_template`:
`manage.py migrate` + `load_demo`, so the demo sign-ins work; rebuilt when the migrations or
the demo change, or with --rebuild-template), then COPYs in: more staff (a team manager and
social workers per social work team, so that one person's share of the work is realistic),
requesters, case records, requests spread over ten years and every state (about 2 % still
open), one subject each, ~4.6 case notes and ~2 audit events per request (hash-chained per
council, as the app writes them: `manage.py verify_history` passes), and the guardian
permission rows the services grant (team, CSM, team manager, worker: ~3.4 per request).

The loaded tables' indexes and keys, and the foreign keys into and out of them, are dropped
for the load and recreated afterwards from the definitions PostgreSQL reported, the indexes
two at a time (--sessions), and checked against them (bulkload.py); each table streams
through its own COPY beside the generator. Then each person's open work (OpenWork, rebuilt
once: its triggers are off during the load), and VACUUM ANALYZE.

Prints how long each part took. At 1,000,000 requests it writes ~10 million rows.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import names  # noqa: E402
from bulkload import NULL, CopyStream, SetAside, from_template  # noqa: E402

CHUNK = 5_000  # requests per write to the COPY streams
OPEN_SHARE = 0.02
YEARS = 10
LOADED = ("requester", "caserecord", "informationrequest", "requestsubject", "casenote",
          "auditevent", "requestuserobjectpermission", "requestgroupobjectpermission")
CHECKED = 50  # entries per chain whose hash is also computed by chain.entry_hash
# chain.canonical() of the rows written here (sorted keys, no spaces), filled per row.
NOTE_JSON = ('{{"author_id":{0},"case_record_id":{1},"corrects_id":null,"created_at":"{2}",'
             '"kind":"general","request_id":{3},"rule_ids":[],'
             '"text":"Step {4} of the request, recorded."}}').format
EVENT_JSON = ('{{"action":"{0}","actor_id":{1},"at":"{2}","council_id":{3},"detail":{{}},'
              '"from_state":"","ip_address":null,"object_id":"{4}",'
              '"object_type":"requests_app.InformationRequest","request_id":{4},'
              '"to_state":"","user_agent":""}}').format


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--db", default=None, help="database name (default bench_<n>)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--workers-per-team", type=int, default=8)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--template", default="bench_template",
                        help="migrated demo database to copy (built when missing or stale)")
    parser.add_argument("--rebuild-template", action="store_true",
                        help="migrate and load the demo afresh even if the template matches")
    parser.add_argument("--sessions", type=int, default=2,
                        help="connections building the indexes after the load")
    args = parser.parse_args()
    db = args.db or f"bench_{args.requests}"
    if db == args.template:
        parser.error("--db must differ from --template")
    url = f"postgres://postgres@{args.host}:5432/{db}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 60)}
    started = time.monotonic()

    def lap(what):
        print(f"{time.monotonic() - started:8.1f} s  {what}", flush=True)

    from_template(args.host, db, args.template, env, rebuild=args.rebuild_template, lap=lap)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DEBUG", "ALLOWED_HOSTS",
                                           "SECRET_KEY")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "requests_app.settings")
    import django

    django.setup()
    from django.db import connection

    generate(connection, args, db, env, lap)
    lap("done")


def generate(connection, args, db, env, lap):
    from requests_app.models.chain import GENESIS, entry_hash
    from requests_app.workflow import OPEN_STATES

    rng = random.Random(args.seed)
    # Names and wording from their own generator, so the other draws stay as they were.
    words_rng = random.Random(args.seed + 1)
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    q = cursor.execute
    # Small per-session settings for this connection and the COPY streams' sessions.
    env = {**env, "PGOPTIONS": "-c synchronous_commit=off"}

    def stream(table, *fields):
        return CopyStream(cursor, args.host, db, f"requests_app_{table}", fields, env)

    def next_id(table):
        q(f"SELECT COALESCE(MAX(id), 0) + 1 FROM requests_app_{table}")
        return cursor.fetchone()[0]

    q("SELECT id, slug, reference_prefix FROM requests_app_council ORDER BY id")
    councils = cursor.fetchall()
    q("SELECT p.id, p.codename FROM auth_permission p JOIN django_content_type c "
      "ON c.id = p.content_type_id WHERE c.app_label = 'requests_app' "
      "AND p.codename IN ('view_informationrequest', 'act_on_request')")
    perm = {codename: pk for pk, codename in cursor.fetchall()}
    VIEW, ACT = perm["view_informationrequest"], perm["act_on_request"]

    # ---- staff: a manager and workers for every social work team --------------------------
    users = stream("user", "id", "password", "username", "first_name", "last_name", "email",
                   "is_active", "council_id")
    members = stream("membership", "id", "user_id", "team_id", "role")
    groups_of = stream("user_groups", "id", "user_id", "group_id")
    uid, mid, gid = next_id("user"), next_id("membership"), next_id("user_groups")
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
                users.add(uid, "!", f"bench.{slug}.{team_id}.{n}", "Bench",
                          f"Worker {team_id}-{n}", f"bench{uid}@example.gov.uk", "t", council_id)
                members.add(mid, uid, team_id, "social_worker")
                groups_of.add(gid, uid, group_id)
                workers.append(uid)
                uid, mid, gid = uid + 1, mid + 1, gid + 1
            teams.append((team_id, group_id, csm_id, manager_id, workers))
        q("SELECT u.id FROM requests_app_user u JOIN requests_app_membership m "
          "ON m.user_id = u.id WHERE u.council_id = %s AND m.role = 'scimt_officer' "
          "ORDER BY u.id LIMIT 1", [council_id])
        logger = cursor.fetchone()[0]
        plan[council_id] = (slug, prefix, teams, logger)
    added_staff = sum(s.close() for s in (users, members, groups_of)) // 3
    lap(f"staff: {added_staff} more social workers")

    # Where each chain ends in the demo data, and the next id of every loaded table.
    tails = {}
    for council_id in plan:
        q("SELECT n.hash FROM requests_app_casenote n JOIN requests_app_informationrequest"
          " r ON r.id = n.request_id WHERE r.council_id = %s ORDER BY n.id DESC LIMIT 1",
          [council_id])
        row = cursor.fetchone()
        tails[("CaseNote", council_id)] = row[0] if row else GENESIS
        q("SELECT hash FROM requests_app_auditevent WHERE council_id = %s "
          "ORDER BY id DESC LIMIT 1", [council_id])
        row = cursor.fetchone()
        tails[("AuditEvent", council_id)] = row[0] if row else GENESIS
    ids = {table: next_id(table) for table in LOADED}

    # ---- set the loaded tables' indexes and keys aside -------------------------------------
    q("SET maintenance_work_mem = '1GB'")
    q("SET synchronous_commit = off")
    aside = SetAside(cursor, [f"requests_app_{table}" for table in LOADED])
    dropped = aside.drop()
    # The open-work triggers (migration 0024) would rewrite each loaded request's rows, from
    # tables without their indexes, and the chain-tail triggers (0025) would move each
    # council's tail once per COPY batch: off for the load, both tables rebuilt once after it.
    q("SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
      "WHERE starts_with(tgname, 'open_work_on_') OR starts_with(tgname, 'chain_tail_on_')")
    kept_by_triggers = cursor.fetchall()
    for table, trigger in kept_by_triggers:
        q(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    connection.connection.commit()
    lap(f"dropped {dropped} indexes and constraints of {len(LOADED)} tables for the load")

    # ---- requesters and case records --------------------------------------------------------
    per_council = args.requests // len(councils)
    requesters = stream("requester", "id", "council_id", "name", "organisation", "agency_type",
                        "email")
    cases = stream("caserecord", "id", "council_id", "reference", "first_name", "last_name",
                   "date_of_birth", "locality", "is_open", "on_electronic")
    rid, cid = ids["requester"], ids["caserecord"]
    pools = {}
    first, last = names.first_names(), names.surnames()
    born, choice, randrange, random_ = date(2006, 1, 1), rng.choice, rng.randrange, rng.random
    for council_id in plan:
        count = max(50, per_council // 50)
        for n in range(count):
            requesters.add(rid + n, council_id, f"Officer {n}", f"Agency {n % 97}", "police",
                           f"officer{rid + n}@police.example")
        rq = list(range(rid, rid + count))
        rid += count
        count = max(100, per_council // 2)
        for k in range(cid, cid + count):
            cases.add(k, council_id, f"B{k:08d}", names.pick(words_rng, first),
                      names.pick(words_rng, last),
                      born + timedelta(days=randrange(6000)), "Bench",
                      "t" if random_() < 0.3 else "f", "t")
        pools[council_id] = (rq, list(range(cid, cid + count)))
        cid += count
    lap(f"{requesters.close()} requesters, {cases.close()} case records")

    # ---- requests, subjects, notes, audit events, permissions -----------------------------
    requests = stream("informationrequest", "id", "council_id", "reference", "year",
                      "sequence", "channel", "received_at", "requester_id", "request_type",
                      "information_sought", "consent", "lawful_basis", "routed_team_id",
                      "routed_to_id", "allocated_worker_id", "due_date", "state",
                      "created_by_id", "created_at", "updated_at", "closed_at",
                      "route_rule_ids", "completed_steps", "pr_permissions")
    subjects = stream("requestsubject", "id", "request_id", "case_record_id")
    notes = stream("casenote", "id", "request_id", "case_record_id", "kind", "text",
                   "rule_ids", "author_id", "created_at", "corrects_id", "prev_hash", "hash")
    events = stream("auditevent", "id", "council_id", "actor_id", "action", "request_id",
                    "object_type", "object_id", "from_state", "to_state", "detail",
                    "ip_address", "user_agent", "at", "prev_hash", "hash")
    # request_open: whether the grant's request is open (ADR 0026), as the app keeps it.
    user_perms = stream("requestuserobjectpermission", "id", "content_object_id", "user_id",
                        "permission_id", "request_open")
    group_perms = stream("requestgroupobjectpermission", "id", "content_object_id",
                         "group_id", "permission_id", "request_open")
    streams = (requests, subjects, notes, events, user_perms, group_perms)
    add_request, add_subject, add_note, add_event = (requests.add, subjects.add, notes.add,
                                                     events.add)
    add_user_perm, add_group_perm = user_perms.add, group_perms.add
    request_id, subject_id, note_id, event_id = (ids["informationrequest"],
                                                 ids["requestsubject"], ids["casenote"],
                                                 ids["auditevent"])
    user_perm_id, group_perm_id = (ids["requestuserobjectpermission"],
                                   ids["requestgroupobjectpermission"])
    first_note, first_event = note_id, event_id
    note_tail = {c: tails[("CaseNote", c)] for c in plan}
    event_tail = {c: tails[("AuditEvent", c)] for c in plan}
    sha256 = hashlib.sha256
    now = datetime.now(UTC).replace(microsecond=0)
    open_states = sorted(OPEN_STATES)
    closed_states = ["closed"] * 8 + ["refused", "withdrawn", "referred_out", "refused_at_triage"]
    request_types = ["information", "police_investigation", "cafcass_private_law",
                     "network_check"]
    note_counts = (3, 4, 5, 5, 6, 4)
    not_allocated = ("received", "awaiting_decision", "awaiting_allocation")
    note_hours = [timedelta(hours=k * 30) for k in range(7)]
    event_minutes = (timedelta(0), timedelta(minutes=1))
    actions = ("request.log_request", "request.route")
    day28, day20 = timedelta(days=28), timedelta(days=20)
    sequences = {}
    checked = []  # (model, row as the ORM would hold it, prev hash, our hash)
    span = YEARS * 365 * 86400
    council_ids = [c[0] for c in councils]
    n_councils = len(council_ids)

    # Every random draw is the one the first version of this script made, in the same order,
    # so a seed gives the same data (ids and build time aside).
    for n in range(args.requests):
        council_id = council_ids[n % n_councils]
        slug, prefix, teams, logger = plan[council_id]
        rq, cs = pools[council_id]
        is_open = random_() < OPEN_SHARE
        # Open work is recent; history spreads over the years.
        age = randrange(0, 45 * 86400) if is_open else randrange(60 * 86400, span)
        received = now - timedelta(seconds=age)
        state = choice(open_states) if is_open else choice(closed_states)
        team_id, group_id, csm_id, manager_id, workers = choice(teams)
        worker = choice(workers) if workers else None
        allocated = worker if state not in not_allocated else None
        routed_to = (csm_id if state == "awaiting_decision" else
                     manager_id if state == "awaiting_allocation" else allocated)
        year = received.year
        sequences[(council_id, year)] = seq = sequences.get((council_id, year), 100_000) + 1
        at = received.isoformat()
        add_request(
            request_id, council_id, f"{prefix}-{year}-{seq:06d}", year, seq, "secure_email",
            at, choice(rq), choice(request_types),
            names.what_is_asked(words_rng), "obtained",
            "Children Act 1989 s.47", team_id if state != "received" else NULL,
            NULL if routed_to is None else routed_to, NULL if allocated is None else allocated,
            (received + day28).date(), state, logger, at, at,
            NULL if is_open else (received + day20).isoformat(), "[]", "[]", "[]")
        case_id = choice(cs)
        add_subject(subject_id, request_id, case_id)
        subject_id += 1
        # ~4.6 notes and ~2 audit events a request, in time order, chained per council.
        author = worker or logger
        prev = note_tail[council_id]
        for k in range(choice(note_counts)):
            when = received + note_hours[k] + timedelta(microseconds=randrange(1_000_000))
            stamp = when.isoformat(timespec="microseconds")
            digest = sha256(f"{prev}\n{NOTE_JSON(author, case_id, stamp, request_id, k + 1)}"
                            .encode()).hexdigest()
            add_note(note_id, request_id, case_id, "general",
                     f"Step {k + 1} of the request, recorded.", "[]", author, stamp, NULL,
                     prev, digest)
            if note_id < first_note + CHECKED:
                checked.append(("CaseNote", SimpleNamespace(
                    request_id=request_id, case_record_id=case_id, kind="general",
                    text=f"Step {k + 1} of the request, recorded.", rule_ids=[],
                    author_id=author, created_at=when, corrects_id=None), prev, digest))
            note_id += 1
            prev = digest
        note_tail[council_id] = prev
        prev = event_tail[council_id]
        for k in (0, 1):
            when = received + event_minutes[k] + timedelta(microseconds=randrange(1_000_000))
            stamp = when.isoformat(timespec="microseconds")
            content = EVENT_JSON(actions[k], logger, stamp, council_id, request_id)
            digest = sha256(f"{prev}\n{content}".encode()).hexdigest()
            add_event(event_id, council_id, logger, actions[k], request_id,
                      "requests_app.InformationRequest", request_id, "", "", "{}", NULL, "",
                      stamp, prev, digest)
            if event_id < first_event + CHECKED:
                checked.append(("AuditEvent", SimpleNamespace(
                    council_id=council_id, actor_id=logger, action=actions[k],
                    request_id=request_id, object_type="requests_app.InformationRequest",
                    object_id=str(request_id), from_state="", to_state="", detail={},
                    ip_address=None, user_agent="", at=when), prev, digest))
            event_id += 1
            prev = digest
        event_tail[council_id] = prev
        # The grants the services make: the team, the worker, the deciding CSM.
        if state != "received":
            flag = "t" if is_open else "f"
            add_group_perm(group_perm_id, request_id, group_id, VIEW, flag)
            group_perm_id += 1
            if is_open and allocated is None:
                add_group_perm(group_perm_id, request_id, group_id, ACT, flag)
                group_perm_id += 1
            grants = []
            if csm_id and random_() < 0.7:
                grants.append((csm_id, state == "awaiting_decision"))
            if manager_id and state not in ("awaiting_decision", "refused"):
                grants.append((manager_id, state == "awaiting_allocation"))
            if allocated:
                grants.append((allocated, is_open))
            for user, act in grants:
                add_user_perm(user_perm_id, request_id, user, VIEW, flag)
                user_perm_id += 1
                if act:
                    add_user_perm(user_perm_id, request_id, user, ACT, flag)
                    user_perm_id += 1
        request_id += 1
        if (n + 1) % CHUNK == 0:
            for s in streams:
                s.flush()
        if (n + 1) % 100_000 == 0:
            lap(f"{n + 1} requests generated")
    for model, row, prev, digest in checked:
        if entry_hash(model, row, prev) != digest:
            raise SystemExit(f"{model} hash differs from chain.entry_hash: {row}")
    counts = {s.table.removeprefix("requests_app_"): s.close() for s in streams}
    perms = counts["requestuserobjectpermission"] + counts["requestgroupobjectpermission"]
    lap(f"{args.requests} requests, {counts['casenote']} case notes, "
        f"{counts['auditevent']} audit events, {perms} permission rows "
        f"({len(checked)} hashes checked against chain.entry_hash)")
    for table in ("user", "membership", "user_groups", *LOADED):
        q(f"SELECT setval(pg_get_serial_sequence('requests_app_{table}', 'id'), "
          f"(SELECT MAX(id) FROM requests_app_{table}))")
    connection.connection.commit()

    # ---- put the indexes and keys back, then the foreign keys ------------------------------
    aside.restore_keys_and_indexes(f"host={args.host} user=postgres dbname={db}", args.sessions)
    connection.connection.commit()
    lap(f"recreated {len(aside.indexes)} indexes and the primary and unique keys")
    aside.restore_foreign_keys()
    connection.connection.commit()
    lap(f"recreated and validated {sum(c[2] == 'f' for c in aside.constraints)} foreign keys")
    for table, trigger in kept_by_triggers:
        q(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
    q("SELECT open_work_rebuild()")
    q("SELECT chain_tail_rebuild()")
    connection.connection.commit()
    lap(f"open work and chain tails rebuilt, their {len(kept_by_triggers)} triggers on again")
    connection.connection.autocommit = True
    cursor.execute("VACUUM ANALYZE")
    lap("VACUUM ANALYZE")


if __name__ == "__main__":
    main()
