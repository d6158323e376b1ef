"""The search page: requests and children's case records from one box (ADR 0019)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from requests_app import access, queues, search
from requests_app.audit_reads import describe

PER_PAGE = 20


def _links(request, page, param: str) -> tuple[str, str]:
    """Previous and next page of one group, keeping the query and the other group's page."""

    def to(number):
        params = request.GET.copy()
        params[param] = number
        return "?" + params.urlencode()

    return (to(page.previous_page_number()) if page.has_previous() else "",
            to(page.next_page_number()) if page.has_next() else "")


def _page(ids: tuple[int, ...], number, read):
    """A page of the found ids, with its rows read (`read`: ids in order → rows in order):
    only the page's own rows are read, whatever the number found."""
    page = Paginator(ids, PER_PAGE).get_page(number)
    page.object_list = read(page.object_list)
    return page


@require_GET
def search_page(request):
    text = request.GET.get("q")
    context = {"q": " ".join((text or "").split()),
               "may_search_records": access.may_search_case_records(request.user)}
    if text is None:  # arrived from a link: just the box
        return render(request, "search/results.html", context)
    try:
        query = search.parse(text)
    except search.SearchProblem as problem:
        context["problem"] = str(problem)
        return render(request, "search/results.html", context)
    result = search.find(request.user, query)
    found = _page(result.request_ids, request.GET.get("rpage"), queues.rows_in_order)
    records = _page(result.record_ids, request.GET.get("cpage"), search.records_in_order)
    describe(request, q=query.text, requests_found=found.paginator.count,
             records_found=records.paginator.count)
    context.update(query=query, requests_page=found, requests_cut=result.requests_cut,
                   per_field=search.PER_FIELD, records_page=records,
                   records_cut=result.records_cut,
                   requests_links=_links(request, found, "rpage"),
                   records_links=_links(request, records, "cpage"))
    return render(request, "search/results.html", context)
