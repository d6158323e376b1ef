from django.core.paginator import Paginator
from django.shortcuts import render

from requests_app import access


def home(request):
    requests = (
        access.visible_requests(request.user)
        .select_related("requester")
        .prefetch_related("subjects")
        .order_by("-received_at")
    )
    page = Paginator(requests, 25).get_page(request.GET.get("page"))
    return render(request, "requests/home.html", {"page_obj": page})
