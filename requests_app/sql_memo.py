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

from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.signals import post_migrate

# Distinct keys kept at most (oldest forgotten first): a few per person signed in today.
LIMIT = 5000

_memo: OrderedDict[Hashable, tuple[str, str, tuple]] = OrderedDict()


class StaleKey(AssertionError):
    """A reused compilation differs from a fresh one: the key misses an input."""


def person_key(user) -> tuple:
    """Everything about a person that access.py's visibility and role checks read."""
    return (user.pk, user.council_id, user.is_active, user.is_superuser,
            user.membership_rows, getattr(user, "_group_ids", None))


# What is kept for a queryset that can match nothing (`.none()`): no query to send.
NOTHING = ("", "", ())


def _compile(queryset: QuerySet) -> tuple[str, str, tuple]:
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return NOTHING
    return queryset.db, sql, tuple(params)


def rows(key: Hashable, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows of the `values_list` queryset `build()` returns; `key` must name everything
    the queryset depends on."""
    queryset = None
    found = _memo.get(key)
    if found is None:
        queryset = build()
        if connections[queryset.db].vendor != "postgresql":
            return list(queryset)
        found = _memo[key] = _compile(queryset)
        if len(_memo) > LIMIT:
            _memo.popitem(last=False)
    elif getattr(settings, "SQL_MEMO_CHECK", False) and _compile(build()) != found:
        raise StaleKey(f"The SQL kept for {key!r} is not what the queryset compiles to now.")
    if found is NOTHING:
        return []
    alias, sql, params = found
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def forget(**kwargs) -> None:
    """Permission ids (compiled into the SQL as literals) change when the permissions are
    recreated: a migration or a test's flush."""
    _memo.clear()


post_migrate.connect(forget, dispatch_uid="sql_memo.forget")
