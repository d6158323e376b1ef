"""Sign-in with the council's identity provider (OpenID Connect), and the password switch.

Each council has its own provider (`settings.OIDC_PROVIDERS`, keyed by council slug: issuer,
client id and secret). `views/signin.py` starts the authorization code flow (state, nonce and
PKCE kept in the session with the council it was started for) and handles the callback;
`CouncilOIDCBackend` — mozilla-django-oidc's backend, configured per council at the moment
of the callback instead of from global settings — exchanges the code, checks the ID token
(signature, nonce, issuer, audience) and matches the person to an existing, active member of
staff of THAT council by email. It never creates anyone and never looks in another council.
ADR 0017 says why.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.checks import Error, register
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import (
    absolutify,
    add_state_and_verifier_and_nonce_to_session,
    generate_code_challenge,
    import_from_settings,
)

from requests_app.auth_backend import StaffBackend

BACKEND = "requests_app.oidc.CouncilOIDCBackend"
SCOPES = "openid email profile"
# A re-authentication must have happened after the flow started; clocks differ a little.
CLOCK_SKEW_SECONDS = 30
DISCOVERY_TTL_SECONDS = 3600


@dataclass(frozen=True)
class Provider:
    council_slug: str
    issuer: str
    client_id: str
    client_secret: str
    label: str = ""
    sign_algo: str = "RS256"


def providers() -> dict[str, Provider]:
    return {slug: Provider(council_slug=slug, **{k: v for k, v in conf.items()
                                                if k in Provider.__dataclass_fields__})
            for slug, conf in getattr(settings, "OIDC_PROVIDERS", {}).items()}


def provider_for(council_slug: str | None) -> Provider | None:
    return providers().get(council_slug or "")


def password_allowed(user) -> bool:
    """Passwords are for the demo; with LOCAL_PASSWORDS off only a platform administrator
    (no council: nobody's identity provider can vouch for them) keeps one."""
    return settings.LOCAL_PASSWORDS or (user.council_id is None and user.is_superuser)


class LocalPasswordBackend(StaffBackend):
    """Django's password backend, switched off for council staff by LOCAL_PASSWORDS. The
    signed-in person is loaded with their council and roles in one query (StaffBackend)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username, password, **kwargs)
        return user if user is not None and password_allowed(user) else None

    def get_user(self, user_id):
        # A password session ends at its next request once passwords are switched off.
        user = super().get_user(user_id)
        return user if user is not None and password_allowed(user) else None


# ---- discovery and the start of the flow ------------------------------------------------

_discovered: dict[str, tuple[float, dict]] = {}


def discovery(provider: Provider) -> dict:
    """The provider's discovery document, fetched once an hour per issuer."""
    cached = _discovered.get(provider.issuer)
    if cached and time.monotonic() - cached[0] < DISCOVERY_TTL_SECONDS:
        return cached[1]
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    if document.get("issuer") != provider.issuer:
        raise Refused("provider_error", detail="the discovery document names another issuer")
    _discovered[provider.issuer] = (time.monotonic(), document)
    return document


def authorization_url(request, provider: Provider, *, next_url: str = "",
                      reauth: bool = False) -> str:
    """Where to send the browser to sign in (or, with `reauth`, to enter their password at
    the provider again: prompt=login, max_age=0). The state, nonce and PKCE verifier are kept
    in the session with the council and the page to return to."""
    endpoint = discovery(provider)["authorization_endpoint"]
    state = get_random_string(32)
    verifier = get_random_string(64)
    params = {
        "response_type": "code",
        "scope": SCOPES,
        "client_id": provider.client_id,
        "redirect_uri": absolutify(request, reverse("oidc_callback")),
        "state": state,
        "nonce": get_random_string(32),
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
    }
    if reauth:
        params.update(prompt="login", max_age="0")
        if request.user.email:
            params["login_hint"] = request.user.email
    add_state_and_verifier_and_nonce_to_session(request, state, params, verifier)
    request.session["oidc_states"][state].update(
        council=provider.council_slug, next=next_url, reauth=reauth, started=int(time.time()))
    request.session.modified = True
    return f"{endpoint}?{urlencode(params)}"


# ---- the callback's backend ----------------------------------------------------------------


class Refused(Exception):
    """Why a sign-in through the provider was not accepted (a code the page explains)."""

    def __init__(self, code: str, *, email: str = "", detail: str = ""):
        super().__init__(code)
        self.code, self.email, self.detail = code, email, detail


# mozilla-django-oidc reads these through get_settings(); ours are fixed, not global settings.
_FIXED = {
    "OIDC_RP_SCOPES": SCOPES,
    "OIDC_CREATE_USER": False,
    "OIDC_USE_NONCE": True,
    "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc_callback",
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_ALLOW_UNSECURED_JWT": False,
    "OIDC_TOKEN_USE_BASIC_AUTH": False,
}


class CouncilOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code-flow backend for one council's provider at a time.

    Called only by the callback view, with the council the flow was started for; raises
    `Refused` with a reason instead of returning None, so the page and the audit event can
    say why. Password sign-ins never reach it (its signature takes no username).
    """

    def __init__(self, *args, **kwargs):
        # The library reads a single provider from settings here; ours is chosen per council
        # in authenticate().
        self.UserModel = get_user_model()
        self.provider: Provider | None = None
        self.id_claims: dict = {}

    def get_settings(self, attr, *args):
        if attr in _FIXED:
            return _FIXED[attr]
        if attr == "OIDC_TIMEOUT":
            return settings.OIDC_TIMEOUT
        return import_from_settings(attr, *args)

    def authenticate(self, request, oidc_council=None, nonce=None, code_verifier=None,
                     auth_after=None):
        if request is None or oidc_council is None:
            return None
        provider = provider_for(oidc_council)
        if provider is None:
            raise Refused("no_provider")
        self.provider = provider
        try:
            endpoints = discovery(provider)
            self.OIDC_OP_TOKEN_ENDPOINT = endpoints["token_endpoint"]
            self.OIDC_OP_USER_ENDPOINT = endpoints["userinfo_endpoint"]
            self.OIDC_OP_JWKS_ENDPOINT = endpoints.get("jwks_uri")
            self.OIDC_RP_CLIENT_ID = provider.client_id
            self.OIDC_RP_CLIENT_SECRET = provider.client_secret
            self.OIDC_RP_SIGN_ALGO = provider.sign_algo
            self.OIDC_RP_IDP_SIGN_KEY = None
            user = super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except Refused:
            raise
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError, KeyError,
                ValueError) as error:
            raise Refused("provider_error", detail=type(error).__name__) from error
        if user is None:
            raise Refused("provider_error", detail="no ID token")
        if auth_after is not None and int(self.id_claims.get("auth_time") or 0) < (
                auth_after - CLOCK_SKEW_SECONDS):
            # Asked to enter their password again (prompt=login, max_age=0) and the
            # provider reused an older sign-in instead.
            raise Refused("not_reauthenticated", email=user.email)
        return user

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # The library leaves issuer and audience to us.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != self.provider.issuer or self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another issuer or client.")
        if kwargs.get("nonce") is not None:
            self.id_claims = payload
        return payload

    def filter_users_by_claims(self, claims):
        """Active staff of this provider's council with the email the provider vouches for:
        never anyone from another council, never a platform administrator."""
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(
            council__slug=self.provider.council_slug, email__iexact=email, is_active=True)

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        email = str(claims.get("email") or "")[:254]
        if claims.get("sub") != payload.get("sub"):
            raise Refused("provider_error", email=email, detail="userinfo for another subject")
        if not email:
            raise Refused("no_email")
        if claims.get("email_verified") is False:
            raise Refused("unverified_email", email=email)
        users = list(self.filter_users_by_claims(claims)[:2])
        if not users:
            raise Refused("unknown", email=email)
        if len(users) > 1:
            raise Refused("ambiguous", email=email)
        return users[0]

    def create_user(self, claims):  # pragma: no cover - OIDC_CREATE_USER is off
        raise Refused("unknown", email=str(claims.get("email") or ""))

    def get_user(self, user_id):
        # The library's get_user would keep a deactivated person's session alive; StaffBackend
        # also loads their council and roles in the same query.
        return StaffBackend.get_user(self, user_id)


@register()
def _providers_name_councils(app_configs, **kwargs):
    from requests_app.models import Council

    known = set(Council.Slug.values)
    return [Error(f"OIDC_PROVIDERS names '{slug}', which is not a council slug.",
                  hint=f"Use one of: {', '.join(sorted(known))}.", id="requests_app.E017")
            for slug in getattr(settings, "OIDC_PROVIDERS", {}) if slug not in known]
