"""A real OpenID Connect provider for the sign-in tests: panva's `oidc-provider` from npm
(tests/oidc/provider.mjs), started with `node` on a free 127.0.0.1 port for this folder's
tests and stopped after them. Two councils use it, each with its own client id and secret,
as two councils would each use their own provider."""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from requests_app import oidc

HERE = Path(__file__).resolve().parent
CLIENTS = {
    "nottinghamshire": ("notts-records", "notts-secret-for-tests-only"),
    "camden": ("camden-records", "camden-secret-for-tests-only"),
}
START_SECONDS = 90  # node and an RSA key on a busy two-core machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_issuer(live_server):
    """The provider's issuer URL; its clients send people back to the live server."""
    port = _free_port()
    callback = f"{live_server.url}/accounts/oidc/callback/"
    clients = [{"client_id": cid, "client_secret": secret, "redirect_uris": [callback]}
               for cid, secret in CLIENTS.values()]
    process = subprocess.Popen(
        ["node", str(HERE / "provider.mjs")], cwd=HERE.parents[1],
        env={**os.environ, "OIDC_PORT": str(port), "OIDC_CLIENTS": json.dumps(clients)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout],
                     daemon=True).start()
    seen = []
    try:
        while True:
            line = lines.get(timeout=START_SECONDS)
            seen.append(line)
            if "listening on" in line:
                break
    except queue.Empty:
        process.kill()
        pytest.fail("oidc-provider did not start:\n" + "".join(seen))
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def council_providers(settings, oidc_issuer):
    """Nottinghamshire and Camden sign in through their providers (per-council settings)."""
    settings.OIDC_PROVIDERS = {
        slug: {"issuer": oidc_issuer, "client_id": cid, "client_secret": secret,
               "label": f"{slug.title()} test account", "sign_algo": "RS256"}
        for slug, (cid, secret) in CLIENTS.items()
    }
    oidc._discovered.clear()
    # The live server is plain http; a browser treats localhost as secure and sends Secure
    # cookies to it, the requests library does not.
    settings.SESSION_COOKIE_SECURE = False
    return settings.OIDC_PROVIDERS
