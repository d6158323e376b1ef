"""Request guards every page shares (issue 11): NUL bytes refused, an idle session ended,
and pages for signed-in people never stored by the browser or a proxy."""

from __future__ import annotations

import time
from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import LazyObject

NUL = "\x00"
LAST_SEEN = "last_seen"


def _has_nul(request) -> bool:
    # PostgreSQL cannot store NUL in text, so a NUL reaching a query or a save is a 500.
    if NUL in request.path or NUL in unquote(request.META.get("QUERY_STRING", "")):
        return True
    if request.method != "POST":
        return False
    content_type = request.content_type or ""
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return False
    return any(NUL in key or any(NUL in value for value in values)
               for key, values in request.POST.lists())


class RefuseNulBytesMiddleware:
    """Answer 400, with the GOV.UK problem page, when the path, query or form holds a NUL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            body = render_to_string("400.html", {"reason": "It contained a character "
                                                 "(NUL) that cannot be used."}, request)
            return HttpResponseBadRequest(body)
        return self.get_response(request)


class ResolvedUserMiddleware:
    """`request.user` as the person themselves, not Django's lazy stand-in for them. Every
    attribute read through the stand-in raises and catches an AttributeError first, and a page
    reads the person a few hundred times (access checks, the policy's actor, the header). Goes
    right after AuthenticationMiddleware; the person (or AnonymousUser) is read as it would be
    anyway, by LoginRequiredMiddleware next. `login()` and `logout()` set `request.user`
    themselves, as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if isinstance(user, LazyObject):
            user.is_authenticated  # noqa: B018 - reads the person from the session
            request.user = user._wrapped
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Sign out someone who has done nothing for SESSION_IDLE_SECONDS, on top of the absolute
    SESSION_COOKIE_AGE. Goes after AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - int(last) > settings.SESSION_IDLE_SECONDS:
                logout(request)
                minutes = max(1, settings.SESSION_IDLE_SECONDS // 60)
                messages.info(request, f"You were signed out because you had not done anything "
                              f"for {minutes} minutes. Sign in again to continue.")
                return redirect_to_login(request.get_full_path())
            # Written at most once a minute: saving the session on every page would be an
            # UPDATE per request for a timeout measured in minutes.
            if last is None or now - int(last) >= 60:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Every page served to a signed-in person may show a child's records: `no-store`, so
    neither the browser's cache nor a proxy keeps a copy. Static files never get here
    (WhiteNoise answers them earlier)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
