"""My work: what waits for me, my team, my decision; overdue; due this week."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from requests_app import access
from requests_app.models import RequestType
from requests_app.workflow import OPEN_STATES, RequestState

SORTS = {
    "due": ("due_date", "Due date (soonest first)"),
    "-received": ("-received_at", "Received (newest first)"),
    "received": ("received_at", "Received (oldest first)"),
    "reference": ("reference", "Reference"),
}


def _views(user, today):
    mine = Q(routed_to=user) | Q(allocated_worker=user)
    decisions = (Q(state=RequestState.AWAITING_DECISION, routed_to=user)
                 | Q(state=RequestState.HARD_COPIES_REQUESTED, hard_copy_requests__approver=user,
                     hard_copy_requests__decision__isnull=True))
    open_q = Q(state__in=OPEN_STATES)
    return {
        "mine": ("Waiting for me", open_q & mine),
        "team": ("For my team", open_q & ~mine),
        "decide": ("For my decision", decisions),
        "overdue": ("Overdue", open_q & Q(due_date__lt=today)),
        "week": ("Due this week", open_q & Q(due_date__gte=today,
                                            due_date__lte=today + timedelta(days=7))),
        "all": ("All I can see", Q()),
    }


def listing(user, params):
    """The home page's list with its filters applied: (rows, the filters as chosen, the tab
    definitions). The page and its CSV export both read it, so the file is the list shown.
    (When the queues move to requests_app/queues.py, this is the one place to switch.)"""
    today = timezone.localdate()
    views = _views(user, today)
    default = "team" if access.sees_whole_council(user) else "mine"
    current = params.get("view", default)
    if current not in views:
        current = default
    rows = access.visible_requests(user).filter(views[current][1])
    state = params.get("state", "")
    if state in RequestState.values:
        rows = rows.filter(state=state)
    else:
        state = ""
    rtype = params.get("type", "")
    if rtype in RequestType.values:
        rows = rows.filter(request_type=rtype)
    else:
        rtype = ""
    sort = params.get("sort", "due")
    if sort not in SORTS:
        sort = "due"
    rows = (rows.distinct().select_related("requester", "routed_team", "routed_to",
                                           "allocated_worker")
            .prefetch_related("subjects").order_by(SORTS[sort][0], "pk"))
    filters = {"view": current, "state": state, "type": rtype, "sort": sort}
    return rows, filters, views


def home(request):
    today = timezone.localdate()
    rows, filters, views = listing(request.user, request.GET)
    # One aggregate query for every tab's count, whatever the number of rows.
    from django.db.models import Count

    counts = access.visible_requests(request.user).aggregate(**{
        key: Count("pk", filter=q, distinct=True) for key, (_, q) in views.items()
    })
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "requests/home.html", {
        "page_obj": page, "tabs": [(k, label, counts[k]) for k, (label, _) in views.items()],
        "current": filters["view"], "today": today, "state": filters["state"],
        "rtype": filters["type"], "sort": filters["sort"], "filters": filters,
        "states": RequestState.choices, "types": RequestType.choices,
        "sorts": [(k, v[1]) for k, v in SORTS.items()],
    })
