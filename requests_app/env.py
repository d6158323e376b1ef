"""Small typed readers for the environment.

Each one fails loudly (ImproperlyConfigured) on a value it cannot understand, so a typo in a
deployment's environment stops the app at start-up instead of silently choosing a default.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of true/false, yes/no, on/off or 1/0; it is {raw!r}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; it is {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; it is {value}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, *, required: bool, fallback: str = "", min_length: int = 50) -> str:
    """A secret: required in production, where a short or placeholder value is refused."""
    value = os.environ.get(name, "")
    if not value:
        if required:
            raise ImproperlyConfigured(
                f"Set the {name} environment variable (required when DEBUG is off)."
            )
        return fallback
    if required and (len(value) < min_length or value.startswith("django-insecure")):
        raise ImproperlyConfigured(
            f"{name} is too weak: use at least {min_length} random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
    return value


def env_url(name: str, default: str) -> str:
    """An http(s) address without a trailing slash, e.g. SITE_URL=https://records.example.gov.uk."""
    from urllib.parse import urlsplit

    raw = os.environ.get(name, default).strip()
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(
            f"{name} must be an http:// or https:// address such as https://records.example."
            f"gov.uk; it is {raw!r}."
        )
    if parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{name} must not have a query or fragment; it is {raw!r}.")
    return raw.rstrip("/")
