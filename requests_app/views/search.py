"""The search page: requests and children's case records from one box (ADR 0019)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from requests_app import access, search
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


def _page(rows, count: int, number):
    """A page of results whose number is already known (the ids were read to find them), so
    the paginator need not count them again."""
    paginator = Paginator(rows, PER_PAGE)
    paginator.count = count
    return paginator.get_page(number)


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
    found = _page(result.requests, result.request_count, request.GET.get("rpage"))
    records = _page(result.records, result.record_count, request.GET.get("cpage"))
    describe(request, q=query.text, requests_found=found.paginator.count,
             records_found=records.paginator.count)
    context.update(query=query, requests_page=found, requests_cut=result.requests_cut,
                   per_field=search.PER_FIELD, records_page=records,
                   records_cut=result.records_cut,
                   requests_links=_links(request, found, "rpage"),
                   records_links=_links(request, records, "cpage"))
    return render(request, "search/results.html", context)
