"""Lookups the ORM lacks, shared by every module that reads rows by a list of ids."""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import F, Lookup, Q, QuerySet
from django.db.models.lookups import In


class _AnyOf(In):
    """``column = ANY(%s)`` with the ids as one array parameter: the same rows as ``__in``,
    without Django preparing each of hundreds of ids as its own parameter (20 ms a page)."""

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))


def among(field: str, ids) -> Q:
    """The rows whose ``field`` is one of these ids (one array parameter on PostgreSQL, so a
    kept statement fits any number of them; ``IN`` on the SQLite demo)."""
    ids = list(ids)
    if not ids:
        return Q(pk__in=[])
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": ids})
    return Q(_AnyOf(F(field), ids))


class _InArray(Lookup):
    """``column = ANY(ARRAY(subquery))``: the subquery runs first, once (an InitPlan), and
    its ids are looked up by the column's index; ``IN (subquery)`` leaves PostgreSQL free to
    read the other side first and join."""

    lookup_name = "in_array"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def among_first(field: str, ids: QuerySet) -> Q:
    """The rows whose ``field`` is one of the ids ``ids`` reads (one column), read first
    (PostgreSQL only)."""
    return Q(_InArray(F(field), ArraySubquery(ids)))
