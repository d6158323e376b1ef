"""Settings read the environment through typed helpers that refuse nonsense (STYLE 10)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from requests_app.env import env_bool, env_int, env_list, env_secret, env_str

REPO_ROOT = Path(__file__).resolve().parents[1]
A_GOOD_SECRET = "k3Jx9Qv2Lm8Rt5Wz1Np7Bc4Hy6Ds0Fg-Ua3Ve9Xo2Ti8Ml5Qr1Sw7Kd4Zn6Pb0Cj"  # 64 chars


@pytest.mark.parametrize("raw", ["maybe", "2", "ture", "yes please"])
def test_env_bool_refuses_a_value_that_is_not_yes_or_no(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("Yes", True), ("on", True), ("1", True),
     ("false", False), ("NO", False), ("off", False), ("0", False), (" true ", True)],
)
def test_env_bool_accepts_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)

    assert env_bool("FLAG", not expected) is expected


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)

    assert env_bool("FLAG", True) is True
    assert env_bool("FLAG", False) is False


@pytest.mark.parametrize("raw", ["ten", "1.5", "", "10s"])
def test_env_int_refuses_a_value_that_is_not_a_whole_number(monkeypatch, raw):
    monkeypatch.setenv("PORT", raw)

    with pytest.raises(ImproperlyConfigured, match="PORT"):
        env_int("PORT", 25)


def test_env_int_refuses_a_number_below_the_minimum(monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_AGE", "10")

    with pytest.raises(ImproperlyConfigured, match="at least 60"):
        env_int("SESSION_COOKIE_AGE", 3600, minimum=60)


def test_env_int_accepts_a_whole_number_at_or_above_the_minimum(monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_AGE", " 60 ")

    assert env_int("SESSION_COOKIE_AGE", 3600, minimum=60) == 60


def test_env_int_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("PORT", raising=False)

    assert env_int("PORT", 25, minimum=1) == 25


def test_env_str_without_a_default_must_be_set(monkeypatch):
    monkeypatch.delenv("DATABASE_URL_FOR_TEST", raising=False)

    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL_FOR_TEST"):
        env_str("DATABASE_URL_FOR_TEST")


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " records.example.gov.uk, ,localhost,")

    assert env_list("ALLOWED_HOSTS") == ["records.example.gov.uk", "localhost"]


def test_a_required_secret_must_be_set(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env_secret("SECRET_KEY", required=True)


@pytest.mark.parametrize(
    "weak",
    ["short-secret", "x" * 49,
     "django-insecure-" + "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6"],
    ids=["short", "49_characters", "django_insecure"],
)
def test_a_required_secret_that_is_weak_is_refused(monkeypatch, weak):
    monkeypatch.setenv("SECRET_KEY", weak)

    with pytest.raises(ImproperlyConfigured, match="too weak"):
        env_secret("SECRET_KEY", required=True)


def test_a_required_secret_that_is_long_and_random_is_accepted(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", A_GOOD_SECRET)

    assert env_secret("SECRET_KEY", required=True) == A_GOOD_SECRET


def test_an_optional_secret_falls_back_when_unset(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    assert env_secret("SECRET_KEY", required=False, fallback="dev-only") == "dev-only"


# --- the settings module as a whole, imported in a fresh interpreter ------------------------

def _environment(**overrides):
    """The current environment minus anything that would soften production settings."""
    env = {
        key: value for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "STATIC_MANIFEST",
                       "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_PRELOAD",
                       "CSRF_TRUSTED_ORIGINS", "EMAIL_BACKEND",
                       # set by the browser tests' conftest for Playwright's event loop
                       "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "requests_app.settings"
    env.update(overrides)
    return env


def _run(args, env):
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=REPO_ROOT, capture_output=True, text=True,
        timeout=120,
    )


def test_settings_refuse_to_load_without_a_secret_key_when_debug_is_off():
    result = _run(
        ["-c", "import django; django.setup()"],
        _environment(DEBUG="false", ALLOWED_HOSTS="records.example.gov.uk"),
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_settings_refuse_to_load_without_allowed_hosts_when_debug_is_off():
    result = _run(
        ["-c", "import django; django.setup()"],
        _environment(DEBUG="false", SECRET_KEY=A_GOOD_SECRET),
    )

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_settings_refuse_a_debug_value_that_is_not_yes_or_no():
    result = _run(["-c", "import django; django.setup()"], _environment(DEBUG="maybe"))

    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _environment(
            DEBUG="false",
            SECRET_KEY=A_GOOD_SECRET,
            ALLOWED_HOSTS="records.example.gov.uk",
            DATABASE_URL=os.environ.get(
                "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/access_to_records"
            ),
        ),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
