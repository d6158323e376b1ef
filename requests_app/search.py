"""Finding requests and children's case records from one search box (issue 12, ADR 0019).

One query is matched, field by field, against:

- a reference (a request's or a case record's), whole or in part, when the query is one word
  with a digit in it (a bare council prefix such as ``NOTTS`` would match everything);
- a child's name: every word must match the first or the last name, tolerant of typos and
  of partial names ("Kendrik", "Kend");
- a date of birth: the whole query read as a date ("12/03/2019", "2019-03-12",
  "12 March 2019");
- the requester's name or organisation, every word matching one of them;
- the words of what was asked (full-text, with English stemming: "injuries" finds "injury").

On PostgreSQL names, organisations and references use pg_trgm's word similarity (the ``%>``
operator, GIN trigram indexes) and what was asked the stored tsvector column ``sought_search``
(migration 0020, ADR 0027): read newest first from a btree that carries it when a word is
common, from its GIN index when it is rare. A child's name is matched against the names the
council's records hold, once each (`CaseRecordName`, ADR 0034), and the records holding those
found are read from covering indexes. Each field gives a set of request ids from its own
index; their union is then intersected with the requests this person may see
(`access.visible_requests`), so no OR across joined tables defeats the indexes. On SQLite
(the demo) names and organisations are matched by the same word similarity computed in Python
(`register_sqlite_functions`), and what was asked with ``icontains`` (parts of words, no
stemming).

Who sees what is access.py's answer, never this module's: requests only those
`visible_requests` gives, case records only of the person's own council and only if
`access.may_search_case_records` says so.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import and_, or_
from typing import NamedTuple

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from django.db.models.lookups import GreaterThanOrEqual

from requests_app import access, sql_memo
from requests_app.lookups import among
from requests_app.models import (
    CaseRecord,
    CaseRecordName,
    Council,
    InformationRequest,
    Requester,
    RequestSubject,
)

MIN_LENGTH = 2
MAX_LENGTH = 200
# Words shorter than this are not matched against names: one letter matches half the council.
MIN_WORD = 2
# How many of its newest matches each field gives at most (ADR 0019): at a million requests
# a common surname or word matches thousands; nobody pages through them, and reading them all
# would take seconds. The page says when a field had more, so the searcher adds a word.
PER_FIELD = 500
# The word-similarity cut-off: settings.py sets the same for pg_trgm on PostgreSQL.
WORD_SIMILARITY = 0.5

_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y",
                 "%B %d %Y", "%b %d %Y")
_ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


class SearchProblem(ValueError):
    """The query cannot be searched; the message says what to type instead."""


@dataclass(frozen=True)
class Query:
    text: str
    words: tuple[str, ...]
    date_of_birth: date | None

    @property
    def reference(self) -> str | None:
        """The query as (part of) a reference: one word with a digit in it."""
        if " " not in self.text and any(c.isdigit() for c in self.text):
            return self.text
        return None


def parse_date(text: str) -> date | None:
    """A date typed the ways people type dates of birth, or None."""
    cleaned = _ORDINAL.sub(r"\1", " ".join(text.replace(",", " ").split()))
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def parse(text: str | None) -> Query:
    """The query, or SearchProblem with the message to show beside the box."""
    text = " ".join((text or "").split())
    if not text:
        raise SearchProblem("Enter a reference, a child's name or date of birth, a requester, "
                            "an organisation or words from a request")
    if len(text) < MIN_LENGTH:
        raise SearchProblem(f"Enter at least {MIN_LENGTH} characters to search for")
    if len(text) > MAX_LENGTH:
        raise SearchProblem(f"Enter no more than {MAX_LENGTH} characters to search for")
    words = tuple(w for w in _WORD.findall(text) if len(w) >= MIN_WORD)
    return Query(text=text, words=words, date_of_birth=parse_date(text))


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _ordered_trigrams(text: str) -> list[str]:
    """pg_trgm's trigrams of one word, in order: lower case, two spaces before, one after."""
    padded = f"  {text.lower()} "
    return [padded[i:i + 3] for i in range(len(padded) - 2)]


def word_similarity(word: str | None, text: str | None) -> float:
    """pg_trgm's ``word_similarity(word, text)``: the greatest similarity (shared trigrams
    over all trigrams) between the word and any run of consecutive trigrams of a word of the
    text. Used on SQLite, where there is no pg_trgm; a test checks they agree."""
    if not word or not text:
        return 0.0
    wanted = set(_ordered_trigrams(word))
    best = 0.0
    for other in _WORD.findall(text):
        run = _ordered_trigrams(other)
        for start in range(len(run)):
            for end in range(start + 1, len(run) + 1):
                extent = set(run[start:end])
                best = max(best, len(wanted & extent) / len(wanted | extent))
    return best


SQLITE_SIMILARITY = "app_word_similarity"


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """On each new SQLite connection, give SQL the word similarity above (the demo has a few
    hundred records per council: a scan through a Python function is quick enough)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_SIMILARITY, 2, word_similarity,
                                              deterministic=True)


def _similar(field: str, word: str) -> Q:
    if _postgres():
        return Q(**{f"{field}__trigram_word_similar": word})
    similarity = Func(Value(word), F(field), function=SQLITE_SIMILARITY,
                      output_field=FloatField())
    return Q(**{f"{field}__icontains": word}) | Q(GreaterThanOrEqual(similarity,
                                                                     WORD_SIMILARITY))


def every_word_in(fields: tuple[str, ...], words) -> Q | None:
    """Each word matches at least one of the fields, typos and parts of words forgiven."""
    if not words:
        return None
    return reduce(and_, [reduce(or_, [_similar(field, word) for field in fields])
                         for word in words])


def reference_q(reference: str) -> Q:
    # References are stored in capitals; LIKE on the column itself is what the trigram index
    # serves (icontains would wrap the column in UPPER() and miss it).
    return Q(reference__contains=reference.upper()) | Q(reference__contains=reference)


# The year and sequence of a whole reference after its prefix (services/references.py).
_YEAR_AND_SEQUENCE = re.compile(r"(\d{4})-(\d{6})")
PREFIX_LENGTH = Council._meta.get_field("reference_prefix").max_length


def request_reference_q(reference: str) -> Q:
    """Requests whose reference holds this text. A whole reference, PREFIX-YYYY-NNNNNN with a
    prefix of letters (services/references.py), is found by its year and sequence through the
    unique index, then checked as text, not through the trigram index: a prefix's trigrams are
    in every request of its council, and "-20", "202" in every request, so the trigram scan
    read them all (~23 ms at a million requests, ~15 ms for another council's reference that
    matches nothing) to find one.

    The same rows either way, whatever council's prefix it has (a council's prefix can change,
    so its old references hold another). A reference is P-YYYY-SSSSSS, P at most
    `PREFIX_LENGTH` characters and nothing but digits and dashes after it. The text's letters
    can only lie in P, and the text is longer than any P, so it runs past P's end; a digit of
    its year or sequence there would meet a dash, so its dash meets the dash after P: the
    reference has the text's year and, past 999,999 requests in a year, a sequence beginning
    with its six digits, or else exactly its sequence."""
    text = reference.upper()
    head, dash, rest = text.partition("-")
    whole = _YEAR_AND_SEQUENCE.fullmatch(rest)
    if not (dash and whole and head.isalpha() and len(text) > PREFIX_LENGTH):
        return reference_q(reference)
    year, sequence = int(whole[1]), int(whole[2])
    return (Q(year=year) & (Q(sequence=sequence) | Q(sequence__gt=999_999))
            & reference_q(reference))


# ---- case records ---------------------------------------------------------------------------


def _of_council(model, council_id: int) -> QuerySet:
    """The council's rows, the council written so that PostgreSQL does not use its index: a
    council holds a quarter of a million records, and testing each name against the words
    (220 ms at a million requests) is far slower than the trigram indexes (29 ms)."""
    return model.objects.alias(of_council=F("council_id") + 0).filter(of_council=council_id)


def _name_words(words) -> list[str]:
    # A word with a digit in it is part of a reference or a date, never of a name: matching
    # "2016" against every name's trigrams only costs time.
    return [w for w in words if not any(c.isdigit() for c in w)]


def _records(council_id: int, query: Query) -> QuerySet[CaseRecord]:
    """The council's case records matching the query, unordered."""
    return _matching_records(council_id, _name_words(query.words), query.reference,
                             query.date_of_birth)


def _matching_records(council_id: int, names, reference: str | None,
                      date_of_birth: date | None) -> QuerySet[CaseRecord]:
    if date_of_birth:
        return CaseRecord.objects.filter(council_id=council_id, date_of_birth=date_of_birth)
    records = _of_council(CaseRecord, council_id)
    match = every_word_in(("first_name", "last_name"), names)
    if reference:
        match = reference_q(reference) if match is None else match | reference_q(reference)
    return records.filter(match) if match is not None else records.none()


def _ranked_records(council_id: int, query: Query) -> QuerySet[CaseRecord]:
    records = _records(council_id, query)
    if _postgres() and query.words and not query.date_of_birth:
        return _ranked(records, query.words[:5])
    return records.order_by("last_name", "first_name", "pk")


def _ranked(records: QuerySet[CaseRecord], words) -> QuerySet[CaseRecord]:
    """Best first by how closely the names hold the words (PostgreSQL)."""
    score = sum((Greatest(TrigramWordSimilarity(word, "first_name"),
                          TrigramWordSimilarity(word, "last_name"))
                 for word in words), start=0.0)
    return records.annotate(score=score).order_by(F("score").desc(), "last_name",
                                                   "first_name", "pk")


def _by_names_sql(matched: int, scored: int) -> str:
    """The ids of the council's records whose first or last name holds every matched word,
    ranked as `_ranked` ranks them (the same sum, in the same order), at most PER_FIELD + 1
    (PostgreSQL; ADR 0034). Parameters: `_by_names_params`, then the scored words.

    Each word is matched against CaseRecordName, every name the council's records hold,
    once each (its trigram index; the council written so that its btree is not used, as in
    `_of_council`), which gives the exact names close to the word. The records holding
    those names are then read from the two covering indexes (council, last or first name,
    other name, id) without the table, and the words' sets intersected. Matching the records'
    own names instead read every record close to a word in every council: a common surname
    was ~6,400 records at a million requests, 15 ms."""
    names = connection.ops.quote_name(CaseRecordName._meta.db_table)
    table = connection.ops.quote_name(CaseRecord._meta.db_table)
    words = ", ".join(f"ARRAY(SELECT name FROM {names} WHERE council_id + 0 = %s "
                      f"AND name %%> %s) AS w{n}" for n in range(matched))
    holding = " INTERSECT ".join(
        "(" + " UNION ".join(f"SELECT id, first_name, last_name FROM {table} WHERE council_id "
                             f"= %s AND {column} = ANY((SELECT w{n} FROM words)::text[])"
                             for column in ("last_name", "first_name")) + ")"
        for n in range(matched))
    score = "".join(" + GREATEST(word_similarity(%s, first_name), word_similarity(%s, last_name))"
                    for _ in range(scored))
    return (f"WITH words AS MATERIALIZED (SELECT {words}) SELECT id FROM ({holding}) AS found "
            f"ORDER BY 0::double precision{score} DESC, last_name, first_name, id "
            f"LIMIT {PER_FIELD + 1}")


def _by_names_params(council_id: int, names) -> list:
    return [*[v for word in names for v in (council_id, word)],
            *[council_id] * (2 * len(names))]


@dataclass(frozen=True)
class Records:
    ids: tuple[int, ...]  # best match first, at most PER_FIELD
    cut: bool  # more matched: the page asks for a first name or a date of birth


def record_matches(council_id: int, query: Query) -> Records:
    """The council's case records matching the query, best first, at most PER_FIELD of
    them, read in one query (no count of every match)."""
    names, scored = _name_words(query.words), list(query.words[:5])
    if _postgres() and names and not query.reference and not query.date_of_birth:
        # Names alone (what most searches are): through the names the council's records hold.
        params = [*_by_names_params(council_id, names), *[w for w in scored for _ in (1, 2)]]
        ids = [pk for (pk,) in sql_memo.run(_by_names_sql(len(names), len(scored)), params,
                                            prepare=True)]
    else:
        ids = list(_ranked_records(council_id, query).values_list("pk", flat=True)
                   [:PER_FIELD + 1])
    return Records(tuple(ids[:PER_FIELD]), len(ids) > PER_FIELD)


def case_records(user, query: Query, records: Records | None = None) -> QuerySet[CaseRecord]:
    """Children's case records of the person's own council, best match first (at most
    PER_FIELD); none for someone access.py does not let search them."""
    if not access.may_search_case_records(user):
        return CaseRecord.objects.none()
    records = records or record_matches(user.council_id, query)
    return _in_given_order(CaseRecord.objects.select_related("last_team", "allocated_team"),
                           records.ids)


def _in_given_order(rows: QuerySet, ids: tuple[int, ...]) -> QuerySet:
    """The rows with these ids, in this order: the ranking query sorted them already, and
    ranking again would score every match again."""
    if not ids:
        return rows.none()
    if _postgres():
        position = Func(Value(list(ids), output_field=ArrayField(IntegerField())), F("pk"),
                        function="array_position", output_field=IntegerField())
    else:
        position = Case(*[When(pk=pk, then=Value(n)) for n, pk in enumerate(ids)],
                        output_field=IntegerField())
    return rows.filter(among("pk", ids)).annotate(rank=position).order_by("rank")


def asked(requests: QuerySet[InformationRequest], text: str, words) -> QuerySet:
    """Requests whose "what is asked for" has the query's words (full-text on PostgreSQL,
    on the stored column of migration 0020, which the model does not declare)."""
    if _postgres():
        table = connection.ops.quote_name(InformationRequest._meta.db_table)
        return requests.filter(RawSQL(
            f"{table}.\"sought_search\" @@ websearch_to_tsquery('english'::regconfig, %s)",
            [text], output_field=BooleanField()))
    return requests.filter(reduce(and_, [Q(information_sought__icontains=w) for w in words]))


def _newest_visible_sql(newest: tuple[str, list], visible_where: tuple[str, list],
                        field: int) -> tuple[str, list]:
    """The newest PER_FIELD + 1 of ``newest`` (the SQL of the council's requests matching one
    field, newest first) that the person may see, as SQL for the UNION (PostgreSQL only).

    The council's matches, newest first, are a subquery; who may see them is applied outside
    it, as the very WHERE clause of `access.visible_requests` (``visible_where``; the
    subquery carries the table's name and columns). Written this way PostgreSQL plans the
    match alone for the LIMIT and probes the grants only of the matches it reads, newest
    first, until it has enough: for what was asked, a common word walks the btree carrying
    the column and stops at the newest matches, a rare one reads the GIN index; for a
    requester or the children, their requests are sorted and probed until enough are found.
    With the grants' EXISTS in the same scan PostgreSQL charges them to every row and probes
    the grants of every match in the council (380 ms for a social worker at a million
    requests, for a common word)."""
    inner, inner_params = newest
    where, where_params = visible_where
    table = connection.ops.quote_name(InformationRequest._meta.db_table)
    return (f"SELECT {table}.\"id\", {table}.\"received_at\", %s FROM ({inner}) {table} "
            f"WHERE {where} LIMIT {PER_FIELD + 1}",
            [field, *inner_params, *where_params])


def _visible_where(user) -> tuple[str, list]:
    """The WHERE clause of `access.visible_requests` for this person, compiled once per
    person (sql_memo) for all the fields of every search (EmptyResultSet when they may see
    nothing)."""
    def where() -> tuple[str, tuple] | None:
        visible = access.visible_requests(user)
        compiler = visible.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.compile(visible.query.where)
        except EmptyResultSet:
            return None
        return sql, tuple(params)

    found = sql_memo.value(("search.visible_where", sql_memo.person_key(user)), where)
    if found is None:
        raise EmptyResultSet
    return found[0], list(found[1])


# ---- requests --------------------------------------------------------------------------------


class FieldSet(NamedTuple):
    """One field's matches: ``build(*values)`` is the queryset. Its SQL is compiled once per
    ``key`` and shape (sql_memo) where the values reach it as they are; ``key`` None where
    they do not (a reference becomes a LIKE pattern)."""
    key: Hashable | None
    build: Callable[..., QuerySet[InformationRequest]]
    values: tuple


def _request_sets(base: Callable[[int], QuerySet[InformationRequest]], council_id: int,
                  query: Query, records: Records) -> list[FieldSet]:
    """The requests of ``base(council_id)`` matching the query, one set per field, each served
    by its own index: the children's (through their case records), the reference's, the
    requester's and the words of what was asked. ``base``: the requests the person may see
    (SQLite), or the council's, with who may see them applied to each set's newest
    (PostgreSQL, `_union`)."""
    # The children: the best PER_FIELD matching records (a common surname matches thousands).
    sets = [FieldSet("search.children", lambda council, ids: base(council).filter(
        pk__in=RequestSubject.objects.filter(among("case_record", ids)).values("request_id")),
        (council_id, list(records.ids)))] if records.ids else []
    if query.date_of_birth is None:
        if query.reference:
            sets.append(FieldSet(None, lambda council: base(council).filter(
                request_reference_q(query.reference)), (council_id,)))
        if query.words:
            sets.append(FieldSet(("search.requester", len(query.words)),
                                 lambda council, *words: base(council).filter(
                requester__in=_of_council(Requester, council).filter(
                    every_word_in(("name", "organisation"), words)).values("pk")),
                (council_id, *query.words)))
            sets.append(FieldSet("search.asked", lambda council, text: asked(
                base(council), text, query.words), (council_id, query.text)))
    return sets


# What `_newest_visible_sql` reads of a field's matches: the id and date it returns, and the
# columns `access.visible_requests`' WHERE clause compares (the council, who logged it; its
# grants are probed by the id).
_NEWEST_COLUMNS = ("id", "received_at", "council_id", "created_by_id")


def _newest_sql(found: FieldSet) -> tuple[str, list]:
    """The SQL of a field's matches, newest first."""
    def build(*values):
        # Only the columns the UNION and who-may-see-it read (`_newest_visible_sql`): the
        # matches are sorted before the LIMIT, and whole rows made that sort ~25 times wider.
        return (found.build(*values).order_by("-received_at", "-pk")
                .values(*_NEWEST_COLUMNS))

    if found.key is None:
        sql, params = build(*found.values).query.sql_with_params()
        return sql, list(params)
    _, sql, params = sql_memo.compiled(found.key, build, *found.values)
    if not sql:
        raise EmptyResultSet
    return sql, list(params)


@dataclass(frozen=True)
class Matches:
    ids: tuple[int, ...]  # newest first
    # A field matched more than PER_FIELD requests: only its newest are here, and nothing
    # older than the oldest of those (so the list has no gaps); the page says so.
    cut: bool


def _newest(rows: QuerySet[InformationRequest], field: int) -> QuerySet:
    return (rows.order_by("-received_at", "-pk").annotate(field=Value(field))
            .values_list("pk", "received_at", "field")[:PER_FIELD + 1])


def request_matches(user, query: Query, records: Records | None = None) -> Matches:
    """The ids of the requests this person may see that match the query, newest first: at
    most PER_FIELD a field, in one query on PostgreSQL, so the work is bounded however many
    requests a common name or word matches."""
    if not user.council_id:
        return Matches((), False)
    records = records or record_matches(user.council_id, query)
    if _postgres():
        rows = _union(user, _request_sets(
            lambda council: InformationRequest.objects.filter(council_id=council),
            user.council_id, query, records))
    else:  # SQLite cannot LIMIT inside a UNION: a query a field (the demo is small)
        visible = access.visible_requests(user)
        rows = [row for n, found in enumerate(_request_sets(
            lambda council: visible, user.council_id, query, records))
            for row in _newest(found.build(*found.values), n)]
    by_field: dict[int, list] = {}
    for pk, received, field in rows:
        by_field.setdefault(field, []).append((received, pk))
    cut_at = None
    for found in by_field.values():
        if len(found) > PER_FIELD:
            oldest_kept = sorted(found, reverse=True)[PER_FIELD - 1]
            cut_at = oldest_kept if cut_at is None else max(cut_at, oldest_kept)
    newest = sorted({item for found in by_field.values() for item in found}, reverse=True)
    if cut_at is not None:
        newest = [item for item in newest if item >= cut_at]
    return Matches(tuple(pk for _, pk in newest), cut_at is not None)


def _union(user, sets: list[FieldSet]) -> list[tuple]:
    """Every field's newest visible matches in one UNION ALL (PostgreSQL)."""
    try:
        visible_where = _visible_where(user)
    except EmptyResultSet:  # may see nothing
        return []
    pieces = []
    for field, found in enumerate(sets):
        with contextlib.suppress(EmptyResultSet):  # a field that can match nothing
            pieces.append(_newest_visible_sql(_newest_sql(found), visible_where, field))
    if not pieces:
        return []
    sql = " UNION ALL ".join(f"({piece})" for piece, _ in pieces)
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _, params in pieces for param in params])
        return cursor.fetchall()


def requests(user, query: Query, matches: Matches | None = None
             ) -> QuerySet[InformationRequest]:
    """The requests this person may see that match the query, newest first."""
    matches = matches or request_matches(user, query)
    return (InformationRequest.objects.filter(among("pk", matches.ids))
            .select_related("requester", "routed_team", "routed_to", "allocated_worker")
            .prefetch_related("subjects").order_by("-received_at", "pk"))


@dataclass(frozen=True)
class Found:
    """Everything one search finds for one person: the ids, best first, and whether a field
    had more than PER_FIELD. A page reads only the rows of its own ids."""
    request_ids: tuple[int, ...]  # newest first, each one the person may see
    requests_cut: bool
    record_ids: tuple[int, ...]  # closest first; none for who may not list the records
    records_cut: bool


def find(user, query: Query) -> Found:
    """The search page's answer. The children's records are ranked once: they are also the
    children whose requests are found (even for someone who may not list the records)."""
    ranked = record_matches(user.council_id, query) if user.council_id else Records((), False)
    matches = request_matches(user, query, ranked)
    records_shown = access.may_search_case_records(user)
    return Found(
        request_ids=matches.ids, requests_cut=matches.cut,
        record_ids=ranked.ids if records_shown else (),
        records_cut=ranked.cut and records_shown,
    )


@dataclass(frozen=True, slots=True)
class RecordRow:
    """A found child's case record as the results list shows it (read as plain values)."""
    name: str
    date_of_birth: date | None
    reference: str
    locality: str
    is_open: bool
    allocated_team: str | None
    last_team: str | None


def records_in_order(ids) -> list[RecordRow]:
    """The case records with these ids, in this order (a page of found records)."""
    ids = list(ids)
    if not ids:
        return []
    found = {pk: RecordRow(f"{first} {last}", born, reference, locality or "", is_open,
                           allocated, last_team)
             for pk, first, last, born, reference, locality, is_open, allocated, last_team
             in sql_memo.rows("search.records_in_order", lambda ids: CaseRecord.objects.filter(
                 among("pk", ids)).values_list(
                 "pk", "first_name", "last_name", "date_of_birth", "reference", "locality",
                 "is_open", "allocated_team__name", "last_team__name"), ids, prepare=True)}
    return [found[pk] for pk in ids if pk in found]
