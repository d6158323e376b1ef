"""Bulk loading for bench/make_data.py: a migrated demo database to copy, COPY streams that run
beside the generator, and the indexes and constraints of the loaded tables set aside while
they fill.

- `from_template`: `manage.py migrate` + `load_demo` once, into a template database
  (`bench_template`) labelled with the migrations and demo sources it was built from; every
  build copies it (`CREATE DATABASE … TEMPLATE`, seconds) while the label still matches.
- `CopyStream`: one `psql` per table reads `COPY … FROM STDIN` from a pipe, so PostgreSQL
  parses and stores rows on the other core while Python makes the next ones. Each row is
  formatted from a per-table template: the columns the generator does not set get NULL, or
  their type's empty value (false, 0, '[]', the build time, '') when NOT NULL.
- `SetAside`: reads the tables' primary and unique keys, foreign keys (both directions) and
  other indexes from pg_constraint and pg_indexes, drops them, and after the load recreates
  them from those very definitions (keys, then indexes in parallel sessions, then the
  foreign keys, validated), and fails if any definition then reads differently. Partial
  indexes stay (few loaded rows enter them, and `state IN (…)` does not read back the same),
  as do check constraints. The append-only triggers fire on UPDATE, DELETE and TRUNCATE only,
  so they stay too.
"""

from __future__ import annotations

import hashlib
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
NULL = r"\N"
# What the template depends on: the migrations (and the locked third-party versions that
# bring theirs) and the demo loader with its fixtures.
TEMPLATE_SOURCES = ("requests_app/migrations/*.py", "fixtures/*.py",
                    "requests_app/management/commands/load_demo.py", "uv.lock")


def psql(host, db, *commands, env=None):
    args = ["psql", "-h", host, "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", "-qAt"]
    for command in commands:
        args += ["-c", command]
    return subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def template_label() -> str:
    files = sorted(p for pattern in TEMPLATE_SOURCES for p in ROOT.glob(pattern))
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    latest = max(p.stem for p in files if p.parent.name == "migrations" and p.stem[:4].isdigit())
    return f"{latest} {digest.hexdigest()[:16]}"


def from_template(host, db, template, env, rebuild=False, lap=print):
    """Create `db` as a copy of `template`, (re)building the template first when its label
    does not match the current migrations and demo."""
    label = template_label()
    current = psql(host, "postgres", "SELECT shobj_description(oid, 'pg_database') FROM "
                   f"pg_database WHERE datname = '{template}'")
    if rebuild or current != label:
        psql(host, "postgres", f'DROP DATABASE IF EXISTS "{template}"',
             f'CREATE DATABASE "{template}"')
        template_env = {**env, "DATABASE_URL": f"postgres://postgres@{host}:5432/{template}"}
        subprocess.run(["uv", "run", "python", "manage.py", "migrate", "-v", "0"], cwd=ROOT,
                       env=template_env, check=True)
        subprocess.run(["uv", "run", "python", "manage.py", "load_demo", "--quiet"], cwd=ROOT,
                       env=template_env, check=True)
        psql(host, "postgres", f"COMMENT ON DATABASE \"{template}\" IS '{label}'")
        lap(f"migrated and loaded the demo into {template} ({label})")
    psql(host, "postgres", f'DROP DATABASE IF EXISTS "{db}"',
         f'CREATE DATABASE "{db}" TEMPLATE "{template}"')
    lap(f"created {db} from {template} ({label})")


def escape(value) -> str:
    if value is None:
        return NULL
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def _empty(data_type, nullable, now):
    if nullable == "YES":
        return None
    if data_type == "boolean":
        return False
    if data_type in ("integer", "smallint", "bigint"):
        return 0
    if data_type == "jsonb":
        return "[]"
    if data_type.startswith("timestamp"):
        return now
    return ""


class CopyStream:
    """COPY rows into `table` through a psql child. `fields` are the columns the caller gives,
    in the order `add` takes them, as COPY text (`NULL` for none, 't'/'f', ISO timestamps);
    ints and dates may be passed as they are."""

    def __init__(self, cursor, host, db, table, fields, env=None):
        cursor.execute("SELECT column_name, data_type, is_nullable FROM "
                       "information_schema.columns WHERE table_name = %s "
                       # A generated column (what was asked, as a tsvector) is computed by
                       # PostgreSQL from the others and cannot be named in a COPY.
                       "AND is_generated = 'NEVER' ORDER BY ordinal_position", [table])
        columns = cursor.fetchall()
        known = {name for name, _, _ in columns}
        if missing := set(fields) - known:
            raise ValueError(f"{table} has no column(s) {sorted(missing)}")
        now = datetime.now(UTC)
        parts = [f"{{{fields.index(name)}}}" if name in fields else
                 escape(_empty(kind, nullable, now)).replace("{", "{{").replace("}", "}}")
                 for name, kind, nullable in columns]
        self.format = ("\t".join(parts) + "\n").format
        self.table, self.rows, self.count = table, [], 0
        names = ", ".join(f'"{name}"' for name, _, _ in columns)
        self.proc = subprocess.Popen(
            ["psql", "-h", host, "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", "-q",
             "-c", f"COPY {table} ({names}) FROM STDIN"],
            stdin=subprocess.PIPE, cwd=ROOT, env=env)

    def add(self, *values):
        self.rows.append(self.format(*values))

    def flush(self):
        if self.rows:
            self.count += len(self.rows)
            self.proc.stdin.write("".join(self.rows).encode())
            self.rows = []

    def close(self):
        self.flush()
        self.proc.stdin.close()
        if self.proc.wait():
            raise RuntimeError(f"COPY into {self.table} failed ({self.proc.returncode})")
        return self.count


class SetAside:
    """Drop the indexes and keys of `tables` (and the foreign keys into them) for a bulk load;
    `restore()` recreates each from the definition PostgreSQL gave before the drop."""

    def __init__(self, cursor, tables):
        self.cursor, self.tables = cursor, list(tables)
        cursor.execute(
            "SELECT conname, conrelid::regclass::text, contype, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE (contype IN ('p', 'u') AND conrelid::regclass::text = "
            "ANY(%s)) OR (contype = 'f' AND (conrelid::regclass::text = ANY(%s) OR "
            "confrelid::regclass::text = ANY(%s))) ORDER BY contype DESC, conname",
            [self.tables] * 3)
        self.constraints = cursor.fetchall()
        keys = [name for name, _, kind, _ in self.constraints if kind != "f"]
        # Partial indexes stay: PostgreSQL prints some predicates (`state IN (…)`) in a form
        # that is stored differently when read back, and few loaded rows enter them anyway.
        cursor.execute("SELECT indexname, tablename, indexdef FROM pg_indexes WHERE "
                       "schemaname = 'public' AND tablename = ANY(%s) AND "
                       "NOT (indexname = ANY(%s)) AND indexdef NOT LIKE '%% WHERE %%' "
                       "ORDER BY tablename, indexname", [self.tables, keys])
        self.indexes = cursor.fetchall()
        self.before = self.definitions()

    def definitions(self):
        """Every index and constraint of the tables (and foreign keys into them), as text."""
        self.cursor.execute(
            "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "AND tablename = ANY(%s) UNION ALL SELECT 'constraint ' || conrelid::regclass, "
            "conname, pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE "
            "' NOT VALID' END FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) "
            "OR confrelid::regclass::text = ANY(%s) ORDER BY 1, 2", [self.tables] * 3)
        return self.cursor.fetchall()

    def drop(self):
        q = self.cursor.execute
        for name, table, kind, _ in self.constraints:  # the foreign keys first
            if kind == "f":
                q(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _, _ in self.indexes:
            q(f'DROP INDEX "{name}"')
        for name, table, kind, _ in self.constraints:
            if kind != "f":
                q(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        return len(self.constraints) + len(self.indexes)

    def restore_keys_and_indexes(self, dsn, sessions=2):
        """Build the keys (one at a time: each ALTER TABLE locks its table), then the other
        indexes, `sessions` at a time, each in its own connection (CREATE INDEX takes a
        share lock, which other index builds do not wait for)."""
        for name, table, kind, definition in self.constraints:
            if kind != "f":
                self.cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        self.cursor.connection.commit()
        work = [definition for _, _, definition in reversed(self.indexes)]  # popped from the end

        def build():
            with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
                connection.autocommit = True
                cursor.execute("SET maintenance_work_mem = '512MB'")
                while work:
                    try:
                        statement = work.pop()
                    except IndexError:
                        break
                    cursor.execute(statement)

        with ThreadPoolExecutor(sessions) as pool:
            for future in [pool.submit(build) for _ in range(sessions)]:
                future.result()

    def restore_foreign_keys(self):
        for name, table, kind, definition in self.constraints:
            if kind == "f":
                self.cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        if (after := self.definitions()) != self.before:
            changed = sorted(set(after) ^ set(self.before))
            raise RuntimeError(f"indexes or constraints differ after the load: {changed}")
