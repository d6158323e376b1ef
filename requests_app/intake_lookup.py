"""Finding the child's case record and the requester while logging a request (issue 12 item 1,
issue 13 item 1).

Both searches are bounded (at most ``LIMIT`` rows), scoped to one council, and written so
PostgreSQL can answer them from an index whatever the council's size:

- names are matched by prefix, ``UPPER(column) LIKE 'KEN%'`` (Django's ``__istartswith``),
  which the functional ``text_pattern_ops`` indexes of migration 0017 serve; never
  ``icontains`` (``LIKE '%ken%'`` reads every row);
- a date of birth is compared as a date (``date_of_birth = '2015-03-12'``, the
  ``(council, date_of_birth)`` index), never through ``EXTRACT`` of its parts;
- a record reference is matched whole, ignoring case (the ``UPPER(reference)`` index);
- a requester's name or organisation may be found by any word in it (``DC Priya Shah`` by
  "Shah"): ``UPPER(name) LIKE '%SHAH%'`` is served by a trigram (``gin_trgm_ops``) index.

Every word typed must match something (a first or last name, a date of birth or the
reference), so "Lily Kendrick" finds Lily Kendrick and not every Lily.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from requests_app.models import CaseRecord, Requester

LIMIT = 20
_MAX_WORDS = 4  # a name, a date of birth and a reference at most; more is noise


def _as_date(word: str) -> date | None:
    """A date of birth typed as dd/mm/yyyy (or with dashes or dots), else None."""
    for separator in "/-.":
        parts = word.split(separator)
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
            try:
                return date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                return None
    return None


def _words(query: str) -> list[str]:
    return query.replace(",", " ").split()[:_MAX_WORDS]


def case_records(council_id: int, query: str, *, exclude=()) -> list[CaseRecord]:
    """The council's case records matching every word of ``query``, at most LIMIT, by name;
    the records already chosen (``exclude``) are left out."""
    words = _words(query)
    if not words:
        return []
    match = Q()
    for word in words:
        born = _as_date(word)
        if born is not None:
            match &= Q(date_of_birth=born)
        else:
            match &= (Q(last_name__istartswith=word) | Q(first_name__istartswith=word)
                      | Q(reference__iexact=word))
    found = CaseRecord.objects.filter(match, council_id=council_id).exclude(pk__in=list(exclude))
    born = next((d for d in map(_as_date, words) if d is not None), None)
    lead = max(words, key=len)
    drivers = ([Q(date_of_birth=born)] if born is not None else
               [Q(last_name__istartswith=lead), Q(first_name__istartswith=lead),
                Q(reference__iexact=lead)])
    return _bounded(found, drivers, key=lambda r: (r.last_name, r.first_name, r.pk))


def requesters(council_id: int, query: str) -> list[Requester]:
    """The council's known requesters whose name or organisation holds each word typed
    ("Kerr", "Jo Kerr", "Derbyshire"), at most LIMIT. Words of three letters or more are found
    anywhere in the name (trigram indexes); shorter ones only at its start (prefix indexes),
    as a trigram index cannot narrow a search for one or two letters."""
    words = _words(query)
    if not words:
        return []
    match = Q()
    for word in words:
        if len(word) >= 3:
            match &= Q(name__icontains=word) | Q(organisation__icontains=word)
        else:
            match &= Q(name__istartswith=word) | Q(organisation__istartswith=word)
    found = Requester.objects.filter(match, council_id=council_id)
    lead = max(words, key=len)
    lookup = "icontains" if len(lead) >= 3 else "istartswith"
    drivers = [Q(**{f"name__{lookup}": lead}), Q(**{f"organisation__{lookup}": lead})]
    return _bounded(found, drivers, key=lambda r: (r.name, r.organisation, r.pk))


def _bounded(found, drivers, *, key) -> list:
    """At most LIMIT rows of ``found``, asked one indexed condition at a time and merged.

    One query with ``(a OR b OR c) ... ORDER BY name LIMIT 20`` lets PostgreSQL walk the
    council's rows in name order until 20 match (its estimate for a LIMIT assumes matches are
    spread evenly), which reads most of a large council. Each driver alone, unordered, with
    LIMIT, is a range scan of its own index that stops after 20 rows."""
    rows = {}
    for driver in drivers:
        for row in found.filter(driver).order_by()[:LIMIT]:
            rows[row.pk] = row
    return sorted(rows.values(), key=key)[:LIMIT]


def chosen_records(council_id: int, ids) -> list[CaseRecord]:
    """The records already chosen, in the order they were added, from this council only."""
    wanted = [int(i) for i in ids if str(i).isdigit()][:LIMIT]
    by_id = CaseRecord.objects.filter(council_id=council_id, pk__in=wanted).in_bulk()
    return [by_id[i] for i in dict.fromkeys(wanted) if i in by_id]
