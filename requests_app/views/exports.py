"""CSV exports of the lists people look at, with their filters applied (issue 12 item 3).

An export is a read of everything in it: `audit_reads` writes its one event (READS), and the
view adds what was exported, the filters and the number of rows before the file streams.
"""

from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_GET

from requests_app import exports, search
from requests_app.audit_reads import describe
from requests_app.csv_export import csv_response
from requests_app.views.home import listing


def _send(request, *, what: str, filters: dict, rows, header, make_rows, name: str):
    count = rows.count()
    describe(request, exported=what, filters=filters, rows=count)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return csv_response(f"{name}-{stamp}", header, make_rows(rows))


@require_GET
def export_home(request):
    rows, filters = listing(request.user, request.GET)
    rows = rows.select_related("requester", "routed_team", "routed_to",
                               "allocated_worker").prefetch_related("subjects")
    return _send(request, what="requests", filters={"list": "home", **filters}, rows=rows,
                 header=exports.REQUEST_HEADER, make_rows=exports.request_rows,
                 name=f"requests-{filters['view']}")


@require_GET
def export_search(request, group: str):
    try:
        query = search.parse(request.GET.get("q"))
    except search.SearchProblem as problem:
        raise Http404(str(problem)) from None
    filters = {"list": "search", "q": query.text}
    if group == "requests":
        return _send(request, what="requests", filters=filters,
                     rows=search.requests(request.user, query),
                     header=exports.REQUEST_HEADER, make_rows=exports.request_rows,
                     name="search-requests")
    if group == "records":
        return _send(request, what="case_records", filters=filters,
                     rows=search.case_records(request.user, query),
                     header=exports.RECORD_HEADER, make_rows=exports.record_rows,
                     name="search-case-records")
    raise Http404("No such list.")
