"""The audit viewer and its CSV export (issue 11 item 3), and a child's disclosure register
(item 4). Who may use them is the council policy's answer (access.py asks it); both are
audited by audit_reads when read, like every page that shows personal data."""

from django.shortcuts import render
from django.utils import timezone

from requests_app import access
from requests_app.audit_reads import describe
from requests_app.csv_export import csv_response
from requests_app.forms.audit import AuditFilterForm
from requests_app.services import audit_log, register

_CURSORS = ("before", "after")


def _form(request):
    data = request.GET if any(k not in _CURSORS for k in request.GET) else None
    return AuditFilterForm(data, council_id=request.user.council_id)


def _query_without_cursor(request) -> str:
    query = request.GET.copy()
    for key in _CURSORS:
        query.pop(key, None)
    return query.urlencode()


def audit_log_page(request):
    access.require_audit_reader(request.user)
    form = _form(request)
    page = None
    if form.is_bound and not form.is_valid():
        describe(request, filters_invalid=True)
    else:
        filters = form.filters() if form.is_bound else audit_log.Filters()
        describe(request, filters=filters.described())
        found = audit_log.events(request.user, filters)
        page = audit_log.page(request.user, found, before=request.GET.get("before"),
                              after=request.GET.get("after"))
        for event in page.rows:
            event.summary = audit_log.summary(event)
    return render(request, "audit/log.html", {
        "form": form, "page": page, "query": _query_without_cursor(request),
        "may_read_register": access.may_read_register(request.user),
    })


def audit_export(request):
    """The filtered events as a CSV. Audited by audit_reads as ``audit.exported`` with the
    filters and the number of rows, before a single row is sent."""
    access.require_audit_reader(request.user)
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/log.html", {
            "form": form, "page": None, "query": _query_without_cursor(request),
        }, status=400)
    filters = form.filters() if form.is_bound else audit_log.Filters()
    count, rows = audit_log.export(audit_log.events(request.user, filters))
    describe(request, filters=filters.described(), rows=count)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(f"audit-{request.user.council.slug}-{stamp}.csv",
                        audit_log.EXPORT_HEADER, rows)


def child_register(request, case_id: int):
    case = access.get_case_record_for_register(request.user, case_id)
    visible = set(access.visible_requests(request.user).filter(subjects=case)
                  .values_list("pk", flat=True))
    found = register.register_for(case, visible_ids=visible)
    describe(request, child=case.reference, requests=len(found.requests),
             sent=len(found.sent))
    return render(request, "children/register.html", {
        "register": found, "case": case, "printed_at": timezone.localtime(),
        "may_read_audit": access.may_read_audit(request.user),
    })
