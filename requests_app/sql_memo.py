"""The SQL of the hot lists' queries, compiled once per person and day (issue 12).

Building a queryset and compiling it to SQL is most of what "My work" costs in Python: the
tab counts and the page of rows are a few nested subqueries (access.py's grants), and the ORM
spent ~12,000 function calls a page putting the same SQL together again. For the same person
(id, council, memberships, teams' groups, active, superuser) and the same arguments, the SQL
and its parameters are the same; so they are kept here, per process, and sent as they are.
The database still runs the query every time: nothing read is cached, only how to ask.

Only for querysets read as plain tuples (`values_list`) on PostgreSQL, whose driver returns
Python values without Django's converters; elsewhere (the SQLite demo) the queryset is read
as usual. With settings.SQL_MEMO_CHECK (the tests), each reuse is compared with a fresh
compilation, so a key that forgets something the query depends on fails loudly.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import re
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.signals import post_migrate
from django.db.models.sql.query import Query

# Distinct keys kept at most (oldest forgotten first): a few per person signed in today.
LIMIT = 5000
# Kept model queries hold their compiler and query (~90 KB for the request page's): fewer,
# the least recently used forgotten first (~45 MB a worker at most).
KEPT_LIMIT = 500

_memo: OrderedDict[Hashable, tuple[str, str, tuple]] = OrderedDict()


class StaleKey(AssertionError):
    """A reused compilation differs from a fresh one: the key misses an input."""


def person_key(user) -> tuple:
    """Everything about a person that access.py's visibility and role checks read."""
    return (user.pk, user.council_id, user.is_active, user.is_superuser,
            user.membership_rows, getattr(user, "_group_ids", None))


# What is kept for a queryset that can match nothing (`.none()`): no query to send.
NOTHING = ("", "", (), ())


def _markers(values: tuple) -> tuple:
    """Stand-ins for the values, unlike anything else in a query, to find their places in
    the compiled parameters: an int, a string or a list of ints (an `= ANY(%s)` array)."""
    made = []
    for n, value in enumerate(values):
        if isinstance(value, list) and all(type(item) is int for item in value):
            made.append([-2_000_000_000 - n])
        elif type(value) is int:
            # Within a 32-bit integer column's range: Django compiles an out-of-range value
            # compared with one as "matches nothing".
            made.append(-2_000_000_000 - n)
        elif type(value) is str:
            made.append(f"\x1fsql-memo-{n}\x1f")
        else:
            raise TypeError(f"sql_memo takes ints, strings and lists of ints, not {value!r}")
    return tuple(made)


def _slots(params, markers: tuple) -> tuple[tuple[int, int], ...]:
    """(index in params, index in values) of each value's place in the parameters."""
    slots = tuple((i, markers.index(param)) for i, param in enumerate(params)
                  if type(param) in (int, str, list) and param in markers)
    if {j for _, j in slots} != set(range(len(markers))):
        raise ValueError("Each value must reach the query as a parameter of its own, as it "
                         "is (a filter's value, not a pattern made from it).")
    return slots


def _filled(params: tuple, slots, values: tuple) -> tuple:
    filled = list(params)
    for i, j in slots:
        filled[i] = values[j]
    return tuple(filled)


def _compile(queryset: QuerySet) -> tuple[str, str, tuple]:
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return NOTHING[:3]
    return queryset.db, sql, tuple(params)


def _check(key, build, values, sql: str, params: tuple) -> None:
    """With SQL_MEMO_CHECK (the tests): the kept SQL, filled in, is what compiles now."""
    if getattr(settings, "SQL_MEMO_CHECK", False):
        fresh = _compile(build(*values))
        if fresh[1:] != (sql, params):
            raise StaleKey(f"The SQL kept for {key!r} is not what the queryset compiles to now.")


def compiled(key: Hashable, build: Callable[..., QuerySet], *values
             ) -> tuple[str, str, tuple] | None:
    """(database alias, SQL, parameters) of the queryset `build(*values)` returns, compiled
    once per `key` on PostgreSQL ("" SQL when it can match nothing); None elsewhere (read
    the queryset as usual). `key` must name everything the queryset depends on but the
    values; each value must reach the SQL as a parameter as it is (`_markers`)."""
    found = _memo.get(key)
    if found is None:
        queryset = build(*values)
        if connections[queryset.db].vendor != "postgresql":
            return None
        alias, sql, params = _compile(build(*_markers(values)) if values else queryset)
        if not sql and values and _compile(queryset)[1]:
            # Nothing to match for the stand-ins, yet something for the values: not a shape
            # to keep (never seen; safe).
            return _compile(queryset)
        found = _memo[key] = (alias, sql, params, _slots(params, _markers(values))
                              if sql else ())
        if len(_memo) > LIMIT:
            _memo.popitem(last=False)
    alias, sql, params, slots = found
    params = _filled(params, slots, values)
    _check(key, build, values, sql, params)
    return alias, sql, params


def rows(key: Hashable, build: Callable[..., QuerySet], *values, prepare: bool | str = False
         ) -> list[tuple]:
    """The rows of the `values_list` queryset `build(*values)` returns, its SQL `compiled`
    once per `key` and, with `prepare`, planned once per connection (`_sending`)."""
    found = compiled(key, build, *values)
    if found is None:
        return list(build(*values))
    alias, sql, params = found
    if not sql:
        return []
    with connections[alias].cursor() as cursor, _sending(alias, sql, params, prepare) as sent:
        cursor.execute(*sent)
        return cursor.fetchall()


def run(sql: str, params, *, prepare: bool = False, using: str = "default") -> list[tuple]:
    """The rows of SQL written by hand (PostgreSQL), sent as `rows` sends a kept query."""
    with connections[using].cursor() as cursor, \
            _sending(using, sql, tuple(params), prepare) as sent:
        cursor.execute(*sent)
        return cursor.fetchall()


# ---- prepared statements --------------------------------------------------------------------
# PostgreSQL plans a query every time it is sent: the request page's query of 120 columns and
# eight joins took 2.2 ms to plan and 0.3 ms to run (at a million requests). A kept query is
# prepared once per connection (PREPARE in the same round trip as its first EXECUTE) and then
# only executed: after five runs PostgreSQL may keep a generic plan, made without the values.
# So only where the values cannot change the best plan (`prepare=True`: a row by its key, a
# request's own rows): the queues' generic plans, made without knowing whether a person holds
# ten grants or three thousand, ran 16 to 700 times slower than their own (ADR 0031). Needs
# session-level connections (not a transaction pooler): settings.DATABASE_PREPARED_STATEMENTS
# turns it off.

# Prepared statements a connection keeps at most before it deallocates them all.
PREPARED_LIMIT = 300
# Statements with their values inlined (one per person, day and page) a connection keeps at
# most, the least recently used deallocated first: each plan holds ~180 KB (~18 MB at most).
INLINE_LIMIT = 100

_PG_TYPES = ((bool, "boolean"), (int, "bigint"), (str, "text"), (float, "double precision"),
             (Decimal, "numeric"), (datetime, None), (date, "date"))


def _pg_type(value) -> str | None:
    """The type a parameter is declared as, or None: not prepared (None, an empty list…)."""
    if isinstance(value, list):
        inner = {_pg_type(item) for item in value}
        return f"{inner.pop()}[]" if len(inner) == 1 and None not in inner else None
    for kind, name in _PG_TYPES:
        if isinstance(value, kind):
            if kind is datetime:
                return "timestamptz" if value.tzinfo else "timestamp"
            return name
    return None


def _numbered(sql: str) -> str:
    """Django's ``%s`` placeholders as PostgreSQL's ``$1``, ``$2``… (``%%`` kept: the driver
    still formats the statement that carries the PREPARE)."""
    count = itertools.count(1)
    return re.sub(r"%[%s]", lambda m: m.group() if m.group() == "%%" else f"${next(count)}",
                  sql)


@dataclass
class _Prepared:
    raw: Any  # the driver's connection these were prepared on
    names: dict = field(default_factory=dict)  # (SQL, parameter types) -> statement name
    # SQL with its values inlined -> statement name, the least recently used first.
    inline: OrderedDict = field(default_factory=OrderedDict)


# Statement names, unique in the process: a name once given is never given again, whatever
# became of the statement it named.
_names = itertools.count(1)


# `prepare=INLINE`: the values are written into the statement as literals, so PostgreSQL
# plans it for them, as it plans a query sent with its values, once per connection; the same
# values (the same person, day and page) then only execute it. For the queues, whose best plan
# depends on who asks (ADR 0031): their planning was ~0.85 ms of a home tab's ~3 ms of
# PostgreSQL at a million requests (ADR 0036). A plan is made again when PostgreSQL's
# statistics of its tables change (ANALYZE), as for any prepared statement.
INLINE = "inline"


@contextlib.contextmanager
def _sending(alias: str, sql: str, params: tuple, prepare: bool | str):
    """The (SQL, parameters) to send on this thread's connection: with `prepare`, EXECUTE
    of the statement prepared for `sql`, preceded by its PREPARE the first time on this
    connection; otherwise (or where it cannot be prepared) `sql` itself. If sending it fails,
    the statement's name is never used again: prepared or not, PREPARE outlives a failed
    transaction."""
    connection = connections[alias]
    types = () if prepare == INLINE else tuple(_pg_type(param) for param in params)
    if (not prepare or connection.vendor != "postgresql" or None in types
            or not getattr(settings, "DATABASE_PREPARED_STATEMENTS", True)):
        yield sql, params
        return
    connection.ensure_connection()
    prepared = getattr(connection, "_sql_memo_prepared", None)
    if prepared is None or prepared.raw is not connection.connection:  # a new connection
        prepared = connection._sql_memo_prepared = _Prepared(connection.connection)
    if prepare == INLINE:
        with connection.connection.cursor() as cursor:
            sql, params = cursor.mogrify(sql, params).decode(), ()
        kept, key = prepared.inline, sql
    else:
        kept, key = prepared.names, (sql, types)
    name, first = kept.get(key), ""
    if name is not None and kept is prepared.inline:
        prepared.inline.move_to_end(key)
    if name is None:
        if len(prepared.names) >= PREPARED_LIMIT:
            first, prepared.names, prepared.inline = "DEALLOCATE ALL; ", {}, OrderedDict()
            kept = prepared.inline if prepare == INLINE else prepared.names
        elif kept is prepared.inline and len(kept) >= INLINE_LIMIT:
            first = f"DEALLOCATE {kept.popitem(last=False)[1]}; "
        name = kept[key] = f"sql_memo_{next(_names)}"
        declared = f" ({', '.join(types)})" if types else ""
        # Inlined values are literals the driver must not read as placeholders.
        body = sql.replace("%", "%%") if prepare == INLINE else _numbered(sql)
        first += f"PREPARE {name}{declared} AS {body}; "
    arguments = f" ({', '.join(['%s'] * len(params))})" if params else ""
    try:
        yield f"{first}EXECUTE {name}{arguments}", params
    except Exception:
        kept.pop(key, None)
        raise


_values: OrderedDict[Hashable, Any] = OrderedDict()


def value(key: Hashable, make: Callable[[], Hashable]) -> Any:
    """`make()`, kept per `key` (which must name everything it depends on): a piece of SQL
    compiled from a person's access, say. With SQL_MEMO_CHECK, each reuse is compared."""
    if key not in _values:
        _values[key] = make()
        if len(_values) > LIMIT:
            _values.popitem(last=False)
    elif getattr(settings, "SQL_MEMO_CHECK", False) and make() != _values[key]:
        raise StaleKey(f"The value kept for {key!r} is not what it is made as now.")
    return _values[key]


class _Kept(NamedTuple):
    queryset: QuerySet
    compiler: Any  # after as_sql(): its select, klass_info and annotation columns are set
    sql: str
    params: tuple
    slots: tuple[tuple[int, int], ...]  # (index in params, index in values)
    converters: dict  # the columns' from_db_value and the like: functions of the column
    composite: bool


_kept: OrderedDict[Hashable, _Kept] = OrderedDict()


def _keep(build: Callable[..., QuerySet], values: tuple) -> _Kept | None:
    markers = _markers(values)
    queryset = build(*markers)
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    fields = [column[0] for column in compiler.select[:compiler.col_count]]
    return _Kept(queryset, compiler, sql, tuple(params), _slots(params, markers),
                 compiler.get_converters(fields), compiler.has_composite_fields(fields))


class _KeptQuery(Query):
    """A clone of the kept query whose compiler is a copy of the kept one, on this thread's
    connection, answering with the kept SQL (or the statement prepared from it) and these
    parameters."""

    kept: tuple

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        kept, sent = self.kept  # (SQL, parameters) to send
        compiler = copy.copy(kept.compiler)
        compiler.connection = connections[using]
        compiler.as_sql = lambda *args, **kwargs: sent
        # Converters are called with the connection they apply on: the same for any thread.
        compiler.get_converters = lambda fields: kept.converters
        compiler.has_composite_fields = lambda fields: kept.composite
        return compiler


def instances(key: Hashable, build: Callable[..., QuerySet], *values, prepare: bool = False
              ) -> list:
    """The model instances of the queryset `build(*values)` returns, as Django would read
    them (select_related, annotations and all); its SQL compiled once per `key`, which with
    the values must name everything the queryset depends on. Each value must reach the SQL
    as a parameter as it is (`_markers`). With `prepare`, planned once per connection."""
    kept = _kept.get(key)
    if kept is not None:
        with contextlib.suppress(KeyError):  # another thread may just have forgotten it
            _kept.move_to_end(key)
    else:  # kept only on PostgreSQL (see `rows`)
        queryset = build(*values)
        if connections[queryset.db].vendor != "postgresql":
            return list(queryset)
        kept = _keep(build, values)
        if kept is None:  # matches nothing (`.none()`): the ORM says so without a query
            return list(queryset)
        _kept[key] = kept
        if len(_kept) > KEPT_LIMIT:
            _kept.popitem(last=False)
    params = _filled(kept.params, kept.slots, values)
    _check(key, build, values, kept.sql, params)
    reading = kept.queryset.all()
    reading.query.__class__ = _KeptQuery
    with _sending(reading.db, kept.sql, params, prepare) as sent:
        reading.query.kept = (kept, sent)
        return list(reading)


def forget(**kwargs) -> None:
    """Permission ids (compiled into the SQL as literals) change when the permissions are
    recreated: a migration or a test's flush."""
    _memo.clear()
    _kept.clear()
    _values.clear()


post_migrate.connect(forget, dispatch_uid="sql_memo.forget")
