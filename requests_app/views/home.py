"""My work: what waits for me, my team, my decision; overdue; due this week."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from requests_app import queues
from requests_app.models import RequestType
from requests_app.workflow import RequestState

PER_PAGE = 25


class WindowPage(list):
    """One page of rows, read as PER_PAGE + 1 rows to know whether a next page exists, so
    that nothing counts the whole list (a person's history can be a council's worth)."""

    def __init__(self, window: list, number: int, total: int | None):
        super().__init__(window[:PER_PAGE])
        self.number = number
        self.total = total  # known for the counted tabs without filters, else None
        self.has_next = len(window) > PER_PAGE
        self.has_previous = number > 1
        self.has_other_pages = self.has_next or self.has_previous
        self.next_page_number = number + 1
        self.previous_page_number = number - 1
        self.start_index = (number - 1) * PER_PAGE + 1
        self.end_index = self.start_index + len(self) - 1
        self.num_pages = (max(1, -(-total // PER_PAGE)) if total is not None else None)


def _page_number(raw) -> int:
    try:
        return max(1, min(int(raw), 10_000))
    except (TypeError, ValueError):
        return 1


def chosen_filters(user, params) -> dict[str, str]:
    """The tab, filters and sort asked for, each one we know or its default."""
    default = queues.default_tab(user)
    current = params.get("view", default)
    if current not in queues.TABS:
        current = default
    state = params.get("state", "")
    state = state if state in RequestState.values else ""
    rtype = params.get("type", "")
    rtype = rtype if rtype in RequestType.values else ""
    sort = params.get("sort", "due")
    sort = sort if sort in queues.SORTS else "due"
    return {"view": current, "state": state, "type": rtype, "sort": sort}


def listing(user, params, today=None):
    """The home page's list with its filters applied: (rows, the filters as chosen). The
    page (`home`, a page of it) and its CSV export both read it, so the file is the list
    shown."""
    filters = chosen_filters(user, params)
    rows = queues.tab_rows(user, filters["view"], state=filters["state"],
                           rtype=filters["type"], sort=filters["sort"], today=today)
    return rows, filters


def home(request):
    user, today = request.user, timezone.localdate()
    filters = chosen_filters(user, request.GET)
    counts = queues.tab_counts(user, today)
    current = filters["view"]
    total = counts[current] if not (filters["state"] or filters["type"]) else None
    number = _page_number(request.GET.get("page"))
    # One row more than a page, to know whether a next page exists without counting.
    window = queues.page_of_rows(user, current, state=filters["state"], rtype=filters["type"],
                                 sort=filters["sort"], today=today,
                                 start=(number - 1) * PER_PAGE, stop=number * PER_PAGE + 1)
    page = WindowPage(window, number, total)
    return render(request, "requests/home.html", {
        "page_obj": page,
        "tabs": [(key, label, counts[key]) for key, label in queues.TABS.items()],
        "current": current, "today": today, "state": filters["state"],
        "rtype": filters["type"], "sort": filters["sort"], "filters": filters,
        "states": RequestState.choices, "types": RequestType.choices,
        "sorts": [(k, v[1]) for k, v in queues.SORTS.items()],
    })


def ping(request):
    """A signed-in page that shows nothing about anyone: the benchmark's yardstick for what
    the framework alone costs (session, sign-in check, middleware), bench/load.py."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
