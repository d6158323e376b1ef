"""Sign-in events in the audit trail (issue 11): success, failure, sign-out and lock-out.

Django's auth signals and django-axes' lock-out signal are the one place these are written;
the login and logout views themselves stay Django's.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from requests_app.oidc import BACKEND as OIDC_BACKEND
from requests_app.services.history import audit


def _username(credentials: dict | None) -> str:
    return str((credentials or {}).get("username", ""))[:150]


def _known(username: str):
    """The account a username names, if any: its council is the chain the event joins."""
    return get_user_model().objects.filter(username=username).first() if username else None


def _method(request) -> str:
    """How they signed in: through the council's identity provider or with a password."""
    session = getattr(request, "session", None) or {}
    return "oidc" if session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND else "password"


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def _signed_in(sender, request, user, **kwargs):
    audit(user, "auth.sign_in", user,
          detail={"username": user.get_username(), "method": _method(request)},
          http_request=request)


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit(user, "auth.sign_out", user, detail={"username": user.get_username()},
              http_request=request)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    username = _username(credentials)
    user = _known(username)
    # The password is never recorded; Django has already masked it in `credentials`.
    if (credentials or {}).get("reauth"):
        # "Confirm it is you" with a wrong password (views/signin.py confirm).
        audit(user, "auth.reauth_failed", user,
              detail={"username": username, "method": "password", "reason": "wrong_password"},
              http_request=request)
        return
    audit(None, "auth.sign_in_failed", user, detail={"username": username},
          http_request=request)


@receiver(user_locked_out, dispatch_uid="audit_lock_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit(None, "auth.locked_out", _known(username), detail={"username": username or ""},
          http_request=request)
