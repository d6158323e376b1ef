"""Reports for managers and information governance: an index, each report's page (charts with
their tables) and its CSV. The figures come from `requests_app.reports`; who may read them
from `access.may_read_reports` (the council policy's `report_readers`)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from requests_app import access
from requests_app.audit_reads import describe
from requests_app.csv_export import csv_response
from requests_app.forms.reports import ReportFilterForm
from requests_app.reports import CSV_HEADER, Filters, registry

LISTING_PAGE = 50


def _reader(request):
    if not access.may_read_reports(request.user):
        raise PermissionDenied(access.report_refusal(request.user))


def _spec(slug: str):
    spec = registry().get(slug)
    if spec is None:
        raise Http404("No report with that name.")
    return spec


def _filters(request):
    """The filter form and, when it is valid, the filters for the reader's own council."""
    user = request.user
    form = ReportFilterForm(request.GET, council=user.council)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    if not request.GET:  # first visit: show the default dates in the fields
        form = ReportFilterForm(council=user.council)
    return form, Filters(user.council_id, data["received_from"], data["received_to"],
                         data["team"])


def _query(request, drop=("page",)) -> str:
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


def index(request):
    _reader(request)
    return render(request, "reports/index.html", {"reports": registry().values()})


def report(request, slug: str):
    _reader(request)
    spec = _spec(slug)
    form, filters = _filters(request)
    built, page, rows = None, None, []
    if filters is not None:
        built = spec.build(filters)
        describe(request, report=slug, filters=filters.describe())
        if built.listing is not None:
            page = Paginator(built.listing.queryset, LISTING_PAGE).get_page(
                request.GET.get("page"))
            rows = built.listing.rows(page)
    return render(request, "reports/report.html", {
        "spec": spec, "form": form, "filters": filters, "report": built, "page_obj": page,
        "listing_rows": rows, "query": _query(request),
    }, status=200 if filters is not None else 422)


def report_csv(request, slug: str):
    _reader(request)
    spec = _spec(slug)
    form, filters = _filters(request)
    if filters is None:
        return render(request, "reports/report.html", {
            "spec": spec, "form": form, "filters": None, "report": None,
            "query": _query(request)}, status=422)
    built = spec.build(filters)
    lines = sum(len(t.rows) * (len(t.columns) - 1) for t in built.tables)
    if built.listing is not None:
        lines += built.listing.queryset.count() * (len(built.listing.columns) - 1)
    # Written by the read audit (audit_reads.READS: report.exported) with what went.
    describe(request, report=slug, filters=filters.describe(), rows=lines)
    name = f"{slug}-{filters.received_from:%Y%m%d}-{filters.received_to:%Y%m%d}"
    if filters.team is not None:
        name += f"-team-{filters.team.pk}"
    return csv_response(name, CSV_HEADER, built.csv_rows())
