"""Re-authentication before the actions that cannot be taken back (issue 11 item 5).

Undoing a redaction, recording a document author's consent and sending information out of
the council need a sign-in at most `REAUTH_SECONDS` old. `requires_recent_sign_in` guards
those views: an older sign-in's POST is not run; the person is sent to "Confirm it is you"
(their password again, or their council's identity provider with prompt=login) and then back
to the page they were on, with what they had typed put back into the form. Every sign-in and
every confirmation records `authenticated_at` in the session.
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from requests_app import oidc
from requests_app.services.history import audit

AUTHENTICATED_AT = "authenticated_at"
WHY = "reauth_why"
DRAFT = "reauth_draft"
# A draft is what the person typed; kept only until they are back on the page.
_DRAFT_LIMIT = 20_000


@receiver(user_logged_in, dispatch_uid="reauth_authenticated_at")
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[AUTHENTICATED_AT] = int(time.time())


def signed_in_recently(request) -> bool:
    at = request.session.get(AUTHENTICATED_AT)
    return at is not None and time.time() - int(at) <= settings.REAUTH_SECONDS


def confirm_with_provider(request) -> oidc.Provider | None:
    """The council's provider, for someone who signed in with it (or who has no password
    any more); None means they confirm with their password."""
    user = request.user
    provider = oidc.provider_for(getattr(user.council, "slug", None))
    if provider is None:
        return None
    if request.session.get(BACKEND_SESSION_KEY) == oidc.BACKEND or not oidc.password_allowed(
            user):
        return provider
    return None


def why(request) -> str:
    return request.session.get(WHY, "")


def confirmed(request, method: str) -> None:
    """They proved it is them again: the clock restarts, and the trail says so."""
    request.session[AUTHENTICATED_AT] = int(time.time())
    audit(request.user, "auth.reauthenticated", request.user,
          detail={"username": request.user.get_username(), "method": method,
                  "for": why(request)}, http_request=request)


def restore_draft(request, form) -> None:
    """Put back what the person had typed before they were asked to confirm (once)."""
    draft = getattr(request, "_reauth_draft", None)
    if draft:
        form.initial.update({name: values if len(values) > 1 else values[0]
                             for name, values in draft.items() if name in form.fields})


def requires_recent_sign_in(reason, *, back=None):
    """Decorate a view whose POST needs a recent sign-in.

    `reason` finishes "Before you …" on the confirmation page ("undo a redaction"); it may be
    a function of the view's arguments returning "" when this POST needs no confirmation.
    `back` says where to return afterwards (a function of the view's arguments, see
    `back_to`); by default the page itself, whose GET shows the same form.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                purpose = reason(request, *args, **kwargs) if callable(reason) else reason
                if purpose and not signed_in_recently(request):
                    url = back(request, **kwargs) if back else request.get_full_path()
                    return _ask(request, purpose, url)
            elif request.method == "GET":
                _take_draft(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def back_to(url_name: str, *kwarg_names: str):
    """For a POST-only view: after confirming, go back to `url_name` (with these of the
    view's kwargs), e.g. the document page whose Undo button posts to the undo URL."""

    def resolve(request, **kwargs):
        return reverse(url_name, kwargs={name: kwargs[name] for name in kwarg_names})

    return resolve


def _ask(request, purpose: str, back: str):
    fields = {name: values for name, values in request.POST.lists()
              if name != "csrfmiddlewaretoken"}
    if fields and sum(len(v) for values in fields.values() for v in values) <= _DRAFT_LIMIT:
        request.session[DRAFT] = {"path": back, "fields": fields}
    request.session[WHY] = purpose
    return redirect(f"{reverse('confirm_sign_in')}?{urlencode({'next': back})}")


def _take_draft(request):
    draft = request.session.get(DRAFT)
    if draft and draft.get("path") == request.get_full_path():
        del request.session[DRAFT]
        request._reauth_draft = draft["fields"]
