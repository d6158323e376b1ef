"""Reports for managers and information governance (issue 12, item 4).

Each report is a function of the filters (the reader's council, the dates received and
optionally a team) that returns tables of figures. Every figure is counted by the database
(GROUP BY with filtered counts), never by loading requests into Python, so a report costs a
few aggregate queries whatever the number of requests. The page draws a chart from each table
and shows the table beside it: the table is the accessible source, the chart decoration.

Who may read them is the council policy's answer (`CouncilPolicy.report_readers`, asked by
`access.may_read_reports`); what they count is always the reader's own council.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from requests_app.models import InformationRequest, Team


@dataclass(frozen=True)
class Filters:
    """What a report counts: requests of one council received in a date range (both days
    included), optionally only those with one team now (the team the policy routed them to,
    or a manager sent them to)."""

    council_id: int
    received_from: date
    received_to: date
    team: Team | None = None

    def _bounds(self) -> tuple[datetime, datetime]:
        # Whole local days: received_at is indexed with the council (council, -received_at).
        start = timezone.make_aware(datetime.combine(self.received_from, time.min))
        end = timezone.make_aware(datetime.combine(self.received_to + timedelta(days=1),
                                                   time.min))
        return start, end

    def requests(self) -> QuerySet[InformationRequest]:
        start, end = self._bounds()
        found = InformationRequest.objects.filter(
            council_id=self.council_id, received_at__gte=start, received_at__lt=end
        )
        if self.team is not None:
            found = found.filter(routed_team=self.team)
        return found

    def prefix(self, path: str) -> dict:
        """The same filter on a model that points at the request through ``path``."""
        start, end = self._bounds()
        found = {f"{path}__council_id": self.council_id, f"{path}__received_at__gte": start,
                 f"{path}__received_at__lt": end}
        if self.team is not None:
            found[f"{path}__routed_team"] = self.team
        return found

    def describe(self) -> dict:
        """The filters as written in the audit trail."""
        return {"received_from": self.received_from.isoformat(),
                "received_to": self.received_to.isoformat(),
                "team": self.team.pk if self.team else None,
                "team_name": self.team.name if self.team else None}


@dataclass
class Table:
    """One table of figures. The first column labels the rows; ``charted`` are the columns
    the chart draws (stacked when ``stacked``)."""

    key: str
    caption: str
    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)
    charted: tuple[int, ...] = (1,)
    stacked: bool = False
    unit: str = "requests"
    empty: str = "Nothing to count for these filters."

    @property
    def data_id(self) -> str:
        """The id of the json_script element holding the chart's figures."""
        return f"chart-data-{self.key}"

    def chart(self) -> dict:
        """What static/app/reports.js draws, read from a json_script element."""
        return {
            "labels": [str(row[0]) for row in self.rows],
            "series": [{"label": self.columns[i], "data": [row[i] for row in self.rows]}
                       for i in self.charted],
            "stacked": self.stacked,
            "unit": self.unit,
        }


@dataclass
class Listing:
    """Rows too many for a chart (one per refusal or referral): paginated on the page, all of
    them in the CSV."""

    caption: str
    columns: tuple[str, ...]
    queryset: QuerySet
    row: Callable[[object], Sequence]

    def rows(self, items: Iterable) -> list[Sequence]:
        return [self.row(item) for item in items]


@dataclass
class Report:
    slug: str
    title: str
    summary: str
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    listing: Listing | None = None

    def csv_rows(self) -> Iterable[Sequence]:
        """Every figure of every table, then every cell of the listing, one per line ("tidy"
        data: a spreadsheet's pivot table rebuilds any view of it)."""
        for table in self.tables:
            for row in table.rows:
                for column, value in zip(table.columns[1:], row[1:], strict=True):
                    yield [table.caption, row[0], column, value]
        if self.listing is not None:
            listing = self.listing
            for item in listing.queryset.iterator(chunk_size=2000):
                row = listing.row(item)
                for column, value in zip(listing.columns[1:], row[1:], strict=True):
                    yield [listing.caption, row[0], column, value]


CSV_HEADER = ("Table", "Row", "Measure", "Value")


@dataclass(frozen=True)
class ReportSpec:
    slug: str
    title: str
    description: str
    build: Callable[[Filters], Report]


def registry() -> dict[str, ReportSpec]:
    from requests_app.reports import queries

    return {spec.slug: spec for spec in queries.REPORTS}
