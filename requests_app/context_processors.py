from functools import partial

from django.conf import settings

from requests_app import access


def _no_count() -> int:
    return 0


def service(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    # A callable: the template counts only where it shows the count (one indexed query).
    if signed_in:
        from requests_app.services.notify import unread_count

        unread = partial(unread_count, user)
    else:
        unread = _no_count
    return {
        "service_name": settings.SERVICE_NAME,
        "may_log_requests": bool(user and access.may_log_requests(user)),
        "may_read_audit": bool(user and access.may_read_audit(user)),
        "may_read_register": bool(user and access.may_read_register(user)),
        "unread_notifications": unread,
        "may_read_reports": bool(user and access.may_read_reports(user)),
    }
