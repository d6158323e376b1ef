from django.conf import settings

from requests_app import access


def service(request):
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "may_log_requests": bool(user and access.may_log_requests(user)),
        "may_read_reports": bool(user and access.may_read_reports(user)),
    }
