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

from django.db import connection, transaction
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


_TAIL_SQL: dict[tuple, str] = {}


def locked_tail(model, council_id: int | None) -> str | None:
    """Lock the council's chains (`lock_chain`), then read the hash of the chain's last entry.
    On PostgreSQL both go in one round trip, as two statements: the second takes its own
    snapshot after the lock is granted, so it sees an entry committed by whoever held it."""
    if connection.vendor != "postgresql":
        lock_chain(council_id)
        return (model.objects.filter(**model.chain_filter(council_id)).order_by("-id")
                .values_list("hash", flat=True).first())
    # Every page read writes an event: the statement is put together once per model. Its
    # one parameter is the council (chain_filter), none when there is no council (IS NULL).
    council = [] if council_id is None else [council_id]
    key = (model, council_id is None)
    if key not in _TAIL_SQL:
        tail = (model.objects.filter(**model.chain_filter(council_id)).order_by("-id")
                .values_list("hash", flat=True)[:1])
        sql, params = tail.query.sql_with_params()
        if list(params) != council:
            raise ValueError(f"{model.__name__}.chain_filter must only name the council")
        _TAIL_SQL[key] = "SELECT pg_advisory_xact_lock(%s, %s); " + sql
    with connection.cursor() as cursor:
        cursor.execute(_TAIL_SQL[key], [LOCK_CLASS, council_id or NO_COUNCIL, *council])
        row = cursor.fetchone()
    return row[0] if row else None


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
        with transaction.atomic():
            council_id = self.chain_council_id()
            model = type(self)
            last = locked_tail(model, council_id)
            if getattr(self, self.chain_time_field) is None:
                setattr(self, self.chain_time_field, timezone.now())
            # Hashed as stored: PostgreSQL keeps microseconds, so the timestamp round-trips.
            self.prev_hash = last or GENESIS
            self.hash = entry_hash(model.__name__, self, self.prev_hash)
            return super().save(*args, **kwargs)
