"""Signing in: the password form (while LOCAL_PASSWORDS is on), the council's identity
provider (OpenID Connect, requests_app/oidc.py) and "Confirm it is you" (requests_app/reauth.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

import requests
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from requests_app import oidc, reauth
from requests_app.models import Council
from requests_app.services.history import audit


def _safe_next(request, value: str | None = None) -> str:
    value = value if value is not None else (request.GET.get("next") or
                                             request.POST.get("next") or "")
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return ""


def sign_in_buttons(next_url: str = "") -> list[dict]:
    """One "Sign in with …" link per council that has a provider (GET links: the redirect
    to the provider is then no form submission, which the CSP's form-action would stop)."""
    configured = oidc.providers()
    councils = Council.objects.filter(slug__in=configured).order_by("name")
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return [{"label": configured[c.slug].label or c.name, "council": c.name,
             "url": reverse("oidc_start", kwargs={"council": c.slug}) + query}
            for c in councils]


class SignInView(LoginView):
    """Django's LoginView, with the providers' buttons; with LOCAL_PASSWORDS off it has no
    password form and refuses a posted one (the backend refuses it too)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["providers"] = sign_in_buttons(_safe_next(self.request))
        context["local_passwords"] = settings.LOCAL_PASSWORDS
        return context

    def post(self, request, *args, **kwargs):
        if settings.LOCAL_PASSWORDS:
            return super().post(request, *args, **kwargs)
        audit(None, "auth.sign_in_failed", None, detail={
            "username": str(request.POST.get("username", ""))[:150], "method": "password",
            "reason": "local_passwords_off"}, http_request=request)
        # An unbound form: a bound one would check the password while the page is drawn.
        context = self.get_context_data(form=self.get_form_class()(request),
                                        password_refused=True)
        return self.render_to_response(context, status=403)


# ---- OpenID Connect -------------------------------------------------------------------------

UNREACHABLE = (requests.RequestException, oidc.Refused, KeyError, ValueError)

REFUSALS = {
    "unknown": "{provider} signed you in as {email}, but that address does not match anyone "
               "on the staff list of {council}. Ask your manager or your council's IT "
               "service desk to add you, with this email address.",
    "ambiguous": "More than one member of staff at {council} has the email address {email}, "
                 "so we cannot tell which one you are. Ask your council's IT service desk to "
                 "correct the staff list.",
    "no_email": "{provider} did not give us your email address, which is how we find you on "
                "the staff list of {council}. Ask your council's IT service desk.",
    "unverified_email": "{provider} says your email address ({email}) is not verified.",
    "provider_error": "We could not complete signing in with {provider}. Try again; if it "
                      "keeps happening, tell your council's IT service desk.",
    "provider_said_no": "{provider} did not sign you in (it said: {error}).",
    "no_flow": "This sign-in link has expired or has already been used. Start again from the "
               "sign-in page.",
    "no_provider": "{council} does not sign in through an identity provider here.",
    "not_you": "You confirmed with another account ({email}) than the one you are signed in "
               "with. Nothing was done.",
    "not_reauthenticated": "{provider} did not ask for your password again, so we could not "
                           "confirm it is you. Nothing was done.",
}


@login_not_required
@require_GET
def oidc_start(request, council: str):
    provider = oidc.provider_for(council)
    if provider is None:
        raise Http404("This council does not sign in through an identity provider.")
    try:
        url = oidc.authorization_url(request, provider, next_url=_safe_next(request))
    except UNREACHABLE:  # a provider that cannot be reached is a page, not a 500
        return _refused(request, council, oidc.Refused("provider_error"), status=503)
    return redirect(url)


@login_not_required
@require_GET
def oidc_callback(request):
    flows = request.session.get("oidc_states") or {}
    flow = flows.pop(request.GET.get("state", ""), None)
    if flow is not None:
        request.session.modified = True  # a state is used once
    if not flow or "council" not in flow:
        return _refused(request, None, oidc.Refused("no_flow"))
    council, is_reauth = flow["council"], bool(flow.get("reauth"))
    if request.GET.get("error") or not request.GET.get("code"):
        return _refused(request, council, oidc.Refused(
            "provider_said_no", detail=str(request.GET.get("error", "no code"))[:100]),
            reauth=is_reauth)
    backend = oidc.CouncilOIDCBackend()
    try:
        user = backend.authenticate(
            request, oidc_council=council, nonce=flow.get("nonce"),
            code_verifier=flow.get("code_verifier"),
            auth_after=flow.get("started") if is_reauth else None)
    except oidc.Refused as refused:
        return _refused(request, council, refused, reauth=is_reauth)
    next_url = _safe_next(request, flow.get("next") or "")
    if is_reauth:
        if not request.user.is_authenticated or user.pk != request.user.pk:
            return _refused(request, council, oidc.Refused("not_you", email=user.email),
                            reauth=True)
        reauth.confirmed(request, "oidc")
        messages.success(request, "You have confirmed it is you.")
        return redirect(next_url or "home")
    login(request, user, backend=oidc.BACKEND)
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


def _refused(request, council_slug, refused: oidc.Refused, *, reauth: bool = False,
             status: int = 403):
    """The refusal page, and the audit event (in that council's chain) that says why."""
    council = Council.objects.filter(slug=council_slug).first() if council_slug else None
    provider = oidc.provider_for(council_slug)
    detail = {"method": "oidc", "council": council_slug or "", "reason": refused.code,
              "email": refused.email}
    if refused.detail:
        detail["detail"] = refused.detail
    signed_in = request.user.is_authenticated
    audit(request.user if signed_in else None,
          "auth.reauth_failed" if reauth else "auth.sign_in_failed",
          request.user if signed_in else None, detail=detail, http_request=request,
          council_id=council.pk if council else None)
    names = {"council": council.name if council else "your council",
             "provider": (provider.label if provider and provider.label else
                          "your council's identity provider"),
             "email": refused.email, "error": refused.detail}
    return render(request, "registration/oidc_refused.html", {
        "message": REFUSALS[refused.code].format(**names), "reauth": reauth,
    }, status=status)


# ---- Confirm it is you ---------------------------------------------------------------------


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput,
                               error_messages={"required": "Enter your password"})


@require_http_methods(["GET", "POST"])
def confirm(request):
    next_url = _safe_next(request) or reverse("home")
    provider = reauth.confirm_with_provider(request)
    form = ConfirmPasswordForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if provider is not None or not oidc.password_allowed(request.user):
            raise Http404("Confirm with your council's identity provider.")
        if form.is_valid():
            # Through authenticate(), so django-axes counts a wrong password and locks out.
            user = authenticate(request, username=request.user.get_username(),
                                password=form.cleaned_data["password"], reauth=True)
            if user is not None and user.pk == request.user.pk:
                reauth.confirmed(request, "password")
                messages.success(request, "You have confirmed it is you.")
                return redirect(next_url)
            form.add_error("password", "The password is not right")
        status = 422
    return render(request, "registration/confirm.html", {
        "form": form, "next": next_url, "why": reauth.why(request), "provider": provider,
        "minutes": max(1, settings.REAUTH_SECONDS // 60),
        "local_passwords_allowed": oidc.password_allowed(request.user),
        "provider_url": f"{reverse('confirm_with_provider')}?{urlencode({'next': next_url})}",
    }, status=status)


@require_GET
def confirm_with_provider(request):
    provider = reauth.confirm_with_provider(request)
    next_url = _safe_next(request) or reverse("home")
    if provider is None:  # they confirm with their password
        return redirect(f"{reverse('confirm_sign_in')}?{urlencode({'next': next_url})}")
    try:
        url = oidc.authorization_url(request, provider, next_url=next_url, reauth=True)
    except UNREACHABLE:  # a provider that cannot be reached is a page, not a 500
        return _refused(request, provider.council_slug, oidc.Refused("provider_error"),
                        reauth=True, status=503)
    return redirect(url)
