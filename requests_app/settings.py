"""Settings for Access to Records: one module, read from the environment.

Defaults give a newcomer a working demo on SQLite; production sets DEBUG off, which makes
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL mandatory (see README "Configuration").
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from requests_app.env import env_bool, env_int, env_list, env_secret, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret(
    "SECRET_KEY",
    required=not DEBUG,
    fallback="dev-only-not-secret-7c1f0a3e9b2d4c6a8e0f1b3d5c7a9e1f3b5d7c9a1e3f5b7d",
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated) when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Where people reach the app: notification emails carry absolute links built from it.
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Trigram and full-text lookups for search (ADR 0019); harmless on the SQLite demo.
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "guardian",
    "django_tasks_db",
    "axes",
    "requests_app",
]

MIDDLEWARE = [
    "requests_app.middleware.RefuseNulBytesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "requests_app.middleware.ResolvedUserMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "requests_app.middleware.IdleTimeoutMiddleware",
    "requests_app.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Issue 11 item 1: every read of personal data is audited here, after the view, so no
    # view can forget it (requests_app/audit_reads.py).
    "requests_app.audit_reads.ReadAuditMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "requests_app.urls"
WSGI_APPLICATION = "requests_app.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "requests_app.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
# The app connects with DATABASE_URL as a role that owns nothing and cannot alter history;
# `manage.py migrate` and `manage.py grant_app_role` connect as the schema's owner with
# MIGRATE_DATABASE_URL when it is set (requests_app/db_roles.py, ADR 0015).
MIGRATE_DATABASE_URL = env_str("MIGRATE_DATABASE_URL", "")
if MIGRATE_DATABASE_URL:
    _owner = dj_database_url.parse(MIGRATE_DATABASE_URL)
    if (_owner["ENGINE"], _owner["NAME"]) != (DATABASES["default"]["ENGINE"],
                                               DATABASES["default"]["NAME"]):
        raise ImproperlyConfigured(
            "MIGRATE_DATABASE_URL must name the same PostgreSQL database as DATABASE_URL "
            "(only the role, and its password, differ)."
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded demo database is shared by the web server and the background worker
    # (django-tasks-db polls it). SQLite allows one writer at a time; with its defaults a
    # transaction that read first and then wants to write fails at once with "database is
    # locked" instead of waiting (ADR 0019). So: every transaction asks for the write lock when
    # it begins (IMMEDIATE), a writer waits up to SQLITE_BUSY_TIMEOUT seconds for another to
    # finish, and the write-ahead log lets readers carry on while someone writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
    # The covering indexes' INCLUDE columns are for PostgreSQL's index-only reads (ADRs 0034,
    # 0035); SQLite builds the same indexes on their keys alone, which the demo needs no more.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Search (ADR 0019): a name typed with one letter doubled or dropped ("Lilly" for "Lily")
    # scores 0.57 in pg_trgm's word similarity; its default cut-off, 0.6, would miss it.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    # JIT off for the app's connections (issue 12): at a million requests a common word's
    # search plan passes jit_above_cost and spends ~19 ms compiling in a page a person waits
    # for; no page or report measured here ran faster with it (bench/, ADR 0026).
    _pg_options["options"] = " ".join(filter(None, [
        _pg_options.get("options", ""), "-c pg_trgm.word_similarity_threshold=0.5",
        "" if env_bool("DATABASE_JIT", False) else "-c jit=off"]))
# The hot pages' kept queries are prepared once per connection and then only executed
# (requests_app/sql_memo.py, ADR 0031): planning the request page's query cost more than
# running it. Prepared statements live in a database session: turn this off behind a pooler
# that hands out connections per transaction (PgBouncer's transaction mode).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "requests_app.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username+address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Passwords, unless LOCAL_PASSWORDS is off (requests_app/oidc.py).
    "requests_app.oidc.LocalPasswordBackend",
    # The council's identity provider (OpenID Connect); only its callback view calls it.
    "requests_app.oidc.CouncilOIDCBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Nobody anonymous may hold an object permission on a child's records.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False
GUARDIAN_MONKEY_PATCH_GROUP = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Sign-in with the council's identity provider (OpenID Connect, README "Signing in with your
# council's identity provider"): one provider per council, keyed by council slug, each with
# its own issuer, client id and secret. OIDC_PROVIDERS lists the councils that have one; each
# is read from OIDC_<SLUG>_ISSUER, _CLIENT_ID, _CLIENT_SECRET and optionally _LABEL (the
# button says "Sign in with <label>") and _SIGN_ALGO (RS256). Endpoints come from the
# issuer's discovery document.
OIDC_PROVIDERS = {
    slug: {
        "issuer": env_str(f"OIDC_{slug.upper()}_ISSUER"),
        "client_id": env_str(f"OIDC_{slug.upper()}_CLIENT_ID"),
        "client_secret": env_secret(f"OIDC_{slug.upper()}_CLIENT_SECRET", required=True,
                                    min_length=16),
        "label": env_str(f"OIDC_{slug.upper()}_LABEL", ""),
        "sign_algo": env_str(f"OIDC_{slug.upper()}_SIGN_ALGO", "RS256"),
    }
    for slug in env_list("OIDC_PROVIDERS")
}
for _slug, _provider in OIDC_PROVIDERS.items():
    if not DEBUG and not _provider["issuer"].startswith("https://"):
        raise ImproperlyConfigured(f"OIDC_{_slug.upper()}_ISSUER must be an https:// URL.")
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10, minimum=1)
# Off: the sign-in page has no password form and password sign-in is refused to council
# staff; only a platform administrator (no council) keeps a password, for /admin/.
LOCAL_PASSWORDS = env_bool("LOCAL_PASSWORDS", True)
# Undoing a redaction, recording consent and sending need a sign-in this recent (seconds);
# older ones are asked to confirm it is them first (requests_app/reauth.py).
REAUTH_SECONDS = env_int("REAUTH_SECONDS", 5 * 60, minimum=30)
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Repeated failed sign-ins (django-axes): AXES_FAILURE_LIMIT failures for one username from
# one address lock that pair out for AXES_LOCKOUT_MINUTES; a successful sign-in resets the
# count. Sign-in events are audited in requests_app/auth_events.py.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files: our own in static/, GOV.UK and MOJ Frontend straight from node_modules (never
# committed: `npm ci` installs them from package-lock.json).
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("moj", BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj"),
    # Chart.js draws the reports' charts (the tables beside them are the accessible source).
    ("chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]

# Uploaded documents live under MEDIA_ROOT, which no URL serves: every download goes through a
# view that checks access and writes an audit event. The pack engine and page images read
# files by local path (pypdfium2/pikepdf), so the storage is a local or mounted disk
# (docs/decisions/0009-documents-redaction-packs.md).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Serve static files from where they live (static/, node_modules) instead of STATIC_ROOT: the
# demo does this with DEBUG off, so it needs no collectstatic (WhiteNoise's finders mode).
WHITENOISE_USE_FINDERS = env_bool("STATIC_FROM_SOURCE", DEBUG)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Notifications. The demo (DEBUG on) prints them to the console; production sends by SMTP with
# the EMAIL_* values below.
_email_backend = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": (
            {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25, minimum=1),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
            }
            if _email_backend.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "access-to-records@localhost")

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
# Signed out after this long without a request (requests_app/middleware.py), however young
# the session is.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Off only for the demo, which serves plain HTTP on 127.0.0.1 (scripts/demo).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SERVICE_NAME = "Access to Records"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # The PDF libraries narrate every page they lay out at INFO ("Step 5 - Creating layout");
    # only their warnings are worth a line in the log.
    "loggers": {
        name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "pikepdf")
    },
}
