"""`scripts/demo` runs with DEBUG off, so a missing page or an error shows the app's own page,
never Django's debug page listing the URL patterns; and it still serves its static files
(issue 13, item 6). The demo's environment (scripts/demo-env) is loaded in a fresh Python,
as scripts/demo loads it."""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.client import RequestFactory
from django.views.defaults import server_error

client = Client(HTTP_HOST="127.0.0.1:8140")
missing = client.get("/no-such-page/")
css = client.get("/static/app/app.css")
error = server_error(RequestFactory().get("/"))
print(json.dumps({
    "debug": settings.DEBUG,
    "site_url": settings.SITE_URL,
    "missing_status": missing.status_code,
    "missing": missing.content.decode(),
    "css_status": css.status_code,
    "error_status": error.status_code,
    "error": error.content.decode(),
}))
"""


def run_with_the_demo_environment(tmp_path):
    script = (f'PORT=8140; source "{REPO}/scripts/demo-env"; '
              f'export DATABASE_URL="sqlite:///{tmp_path}/demo.sqlite3"; '
              f'exec "{sys.executable}" -c "$PROBE"')
    done = subprocess.run(
        ["bash", "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PROBE": PROBE, "HOME": str(tmp_path),
             "DJANGO_SETTINGS_MODULE": "requests_app.settings"},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_demo_runs_with_debug_off_and_shows_the_apps_own_error_pages(tmp_path):
    seen = run_with_the_demo_environment(tmp_path)

    assert seen["debug"] is False
    assert seen["missing_status"] == 404
    assert "<title>Page not found – Access to Records</title>" in seen["missing"]
    assert "URLconf" not in seen["missing"] and "Traceback" not in seen["missing"]
    assert seen["error_status"] == 500
    assert "Sorry, there is a problem with the service" in seen["error"]
    assert seen["css_status"] == 200  # static files are still served (WhiteNoise)
    assert seen["site_url"] == "http://127.0.0.1:8140"
