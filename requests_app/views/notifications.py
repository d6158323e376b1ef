"""The person's own notifications: the list, and opening one (marked read, then the request)."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from requests_app.services import notify


@require_GET
def notification_list(request):
    page = Paginator(notify.notifications_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page_obj": page})


@require_GET
def notification_open(request, pk: int):
    """Opening a notification marks it read and goes to its request (whose page checks, as
    always, that this person may still see it)."""
    notification = notify.open_notification(request.user, pk, http_request=request)
    return redirect("request_detail", reference=notification.request.reference)
