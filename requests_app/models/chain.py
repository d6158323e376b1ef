"""Tamper evidence for the history (issue 11, item 2): each audit event and case note carries
the SHA-256 of its own content and of the entry before it in its council's chain.

Two chains per council, one of audit events and one of case notes, ordered by id. Changing,
removing or re-ordering an entry breaks the link to it: `manage.py verify_history` finds the
first broken link. The append-only triggers stop changes; the chain shows whether they were
bypassed (for example by the table owner disabling them).

The serialisation is plain data so that migration 0008 (historical models) and the verifier
compute the same bytes as the model's save.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from django.db import connection, connections, router, transaction
from django.utils import timezone

GENESIS = ""
# pg_advisory_xact_lock(LOCK_CLASS, council id): one lock per council for both chains, so a
# transaction writing notes and events in either order cannot deadlock with another.
LOCK_CLASS = 110_002
NO_COUNCIL = 0

# The fields each chained model's hash covers, in order (attribute names).
AUDIT_FIELDS = ("council_id", "actor_id", "action", "request_id", "object_type", "object_id",
                "from_state", "to_state", "detail", "ip_address", "user_agent", "at")
NOTE_FIELDS = ("request_id", "case_record_id", "kind", "text", "rule_ids", "author_id",
               "created_at", "corrects_id")
FIELDS = {"AuditEvent": AUDIT_FIELDS, "CaseNote": NOTE_FIELDS}


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def canonical(model_name: str, row) -> bytes:
    """The entry's content as bytes that do not depend on key order or spacing."""
    content = {name: _plain(getattr(row, name)) for name in FIELDS[model_name]}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode()


def entry_hash(model_name: str, row, prev_hash: str) -> str:
    digest = hashlib.sha256()
    digest.update(prev_hash.encode())
    digest.update(b"\n")
    digest.update(canonical(model_name, row))
    return digest.hexdigest()


def lock_chain(council_id: int | None) -> None:
    """Queue writers to one council's chains until the transaction ends (PostgreSQL only;
    the SQLite demo has one writer)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                           [LOCK_CLASS, council_id or NO_COUNCIL])


def locked_tail(model, council_id: int | None) -> str | None:
    """Lock the council's chains (`lock_chain`), then read the hash of the chain's last entry
    in a statement of its own, whose snapshot is taken after the lock is granted, so it sees an
    entry committed by whoever held it. For the ORM's save (SQLite, or a save with options);
    PostgreSQL's usual path is `_append_sql`, one round trip. On PostgreSQL the tail is the
    chain's `ChainTail` row (ADR 0039); on SQLite, the chain's newest entry."""
    lock_chain(council_id)
    if connection.vendor == "postgresql":
        from requests_app.models.notes import ChainTail

        rows = ChainTail.objects.filter(chain=model.__name__,
                                        council_key=council_id or NO_COUNCIL)
    else:
        rows = model.objects.filter(**model.chain_filter(council_id)).order_by("-id")
    return rows.values_list("hash", flat=True).first()


# The PostgreSQL statement that links and inserts one entry, per model, and the fields it
# writes: put together once (every page read writes an event).
_APPEND_SQL: dict[type, tuple[str, list]] = {}


def _append_sql(model) -> tuple[str, list]:
    """Lock the council's chains; then, in a second statement (so its snapshot is taken after
    the lock is granted and sees what the previous holder committed), insert the entry linked
    to the chain's tail, its hash computed by PostgreSQL from the tail and the canonical bytes
    Python passes: sha256(prev_hash + "\n" + canonical), as `entry_hash`. The tail is the
    chain's `ChainTail` row, one primary-key probe (ADR 0039); the insert's trigger moves it
    on. Returns the id, prev_hash and hash. Parameters: lock class, council key, chain name,
    council key, each field's value, the canonical bytes."""
    if model not in _APPEND_SQL:
        from requests_app.models.notes import ChainTail

        qn = connection.ops.quote_name
        fields = [f for f in model._meta.concrete_fields
                  if not f.primary_key and f.attname not in ("prev_hash", "hash")]
        tail_sql = (f"SELECT {qn('hash')} FROM {qn(ChainTail._meta.db_table)} "
                    f"WHERE {qn('chain')} = %s AND {qn('council_key')} = %s")
        columns = ", ".join([*(qn(f.column) for f in fields), qn("prev_hash"), qn("hash")])
        values = ", ".join(["%s"] * len(fields))
        sql = ("SELECT pg_advisory_xact_lock(%s, %s); "
               f"WITH tail AS (SELECT COALESCE(({tail_sql}), '') AS h) "
               f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({values}, "
               "(SELECT h FROM tail), encode(sha256(convert_to((SELECT h FROM tail) || "
               "E'\\n', 'UTF8') || %s), 'hex')) "
               f"RETURNING {qn(model._meta.pk.column)}, {qn('prev_hash')}, {qn('hash')}")
        _APPEND_SQL[model] = (sql, fields)
    return _APPEND_SQL[model]


class HashChained:
    """Mixin for an append-only model: `save()` of a new row links it into its chain.

    The model defines `chain_council_id()` and `chain_filter(council_id)`; `prev_hash` and
    `hash` are its fields. Timestamps are set here, not by auto_now_add, so the hash covers
    the value that is stored.
    """

    chain_time_field: str

    def save(self, *args, **kwargs):
        if not self._state.adding:
            return super().save(*args, **kwargs)  # AppendOnlyModel refuses it
        if getattr(self, self.chain_time_field) is None:
            setattr(self, self.chain_time_field, timezone.now())
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        if (connections[using].vendor == "postgresql" and not args
                and set(kwargs) <= {"using", "force_insert"}):  # objects.create() passes both
            return self._append(connections[using])
        with transaction.atomic():
            model = type(self)
            last = locked_tail(model, self.chain_council_id())
            # Hashed as stored: PostgreSQL keeps microseconds, so the timestamp round-trips.
            self.prev_hash = last or GENESIS
            self.hash = entry_hash(model.__name__, self, self.prev_hash)
            return super().save(*args, **kwargs)

    def _append(self, conn) -> None:
        """The entry linked and inserted in one round trip (`_append_sql`). Outside any
        transaction (a page read) that round trip is the whole transaction: PostgreSQL runs
        the statements of one query string as one transaction, committed after the last or
        rolled back if one fails (ADR 0032). In place of BEGIN, lock and tail, INSERT
        (compiled by the ORM), COMMIT: four round trips on every page read. Nothing listens to
        these models' save signals."""
        model = type(self)
        council_id = self.chain_council_id()
        sql, fields = _append_sql(model)
        key = council_id or NO_COUNCIL
        params = [LOCK_CLASS, key, model.__name__, key,
                  *(f.get_db_prep_save(f.pre_save(self, True), conn) for f in fields),
                  canonical(model.__name__, self)]
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        self.pk, self.prev_hash, self.hash = row
        self._state.adding, self._state.db = False, conn.alias
