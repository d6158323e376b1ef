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
    matches = search.request_matches(request.user, query)
    found = Paginator(search.requests(request.user, query, matches), PER_PAGE).get_page(
        request.GET.get("rpage"))
    records = Paginator(search.case_records(request.user, query), PER_PAGE).get_page(
        request.GET.get("cpage"))
    describe(request, q=query.text, requests_found=found.paginator.count,
             records_found=records.paginator.count)
    context.update(query=query, requests_page=found, requests_cut=matches.cut,
                   per_field=search.PER_FIELD, records_page=records,
                   requests_links=_links(request, found, "rpage"),
                   records_links=_links(request, records, "cpage"))
    return render(request, "search/results.html", context)
