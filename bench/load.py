"""Load-test the main pages against a trivial signed-in view, in one run.

    uv run python bench/load.py --db bench_100000 [--seconds 10] [--connections 20]

Starts gunicorn (2 sync workers) on 127.0.0.1 against the database built by
bench/make_data.py, signs in as a few demo users, and for each page runs `--connections`
threads for `--seconds` (each request a new connection, as gunicorn's sync workers close it).
Each page is measured between two short runs of /ping/ and its ratio taken against their mean
(the machine's speed drifts within a run). Then counts each page's queries with one
instrumented request (Django's test client, in this process, on the same database). Prints:
page, requests/s, ratio to the trivial view, p50, p95, queries. Targets (issue 12, at 1M
requests, on an idle machine): every queue page and the request page >= 40 % of the trivial
view, p95 <= 30 ms, <= 8 queries (request page <= 15).

Prints figures only; it never asserts on time. Only ever listens on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "demo-access-2026"
HOST = "127.0.0.1"


class Session:
    def __init__(self, port, username):
        self.port, self.cookies = port, {}
        page = self.get("/accounts/login/")[1]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        status, _ = self.request("POST", "/accounts/login/", urlencode({
            "username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}),
            {"Content-Type": "application/x-www-form-urlencoded", "Referer":
             f"http://{HOST}:{port}/accounts/login/"})
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Could not sign in as {username} (HTTP {status})")

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body, {"Cookie": cookie, "Host": HOST, **(headers or {})})
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, data

    def get(self, path):
        return self.request("GET", path)


def hammer(sessions, paths, seconds, connections):
    """`connections` threads, each looping over (session, path) for `seconds`."""
    latencies, errors, stop = [], [0], time.monotonic() + seconds
    lock = threading.Lock()

    def run(i):
        mine, n = [], i
        while time.monotonic() < stop:
            session = sessions[n % len(sessions)]
            path = paths[n % len(paths)]
            n += connections
            started = time.perf_counter()
            try:
                status, _ = session.get(path)
            except OSError:
                status = 0
            elapsed = time.perf_counter() - started
            if status != 200:
                with lock:
                    errors[0] += 1
            mine.append(elapsed)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - began
    latencies.sort()
    p = (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
         ) if latencies else (lambda q: float("nan"))
    return {"rps": len(latencies) / wall, "p50": p(0.50), "p95": p(0.95), "n": len(latencies),
            "errors": errors[0]}


def count_queries(pages):
    """Queries of one instrumented request per page (Django's test client, this process)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from requests_app.models import User

    counts = {}
    for label, (username, paths) in pages.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        most = 0
        for path in paths:  # the most any of the page's paths runs
            client.get(path)  # warm per-process caches, as a running worker has them
            with CaptureQueriesContext(connection) as captured:
                status = client.get(path).status_code
            if status != 200:
                most = f"HTTP {status}"
                break
            most = max(most, len(captured.captured_queries))
        counts[label] = most
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--port", type=int, default=8177)
    parser.add_argument("--users", default="notts.scimt,notts.sw,notts.csm,devon.sw")
    parser.add_argument("--only", default="",
                        help="measure only the pages whose label contains this (and /ping/)")
    args = parser.parse_args()
    env = {"DATABASE_URL": f"postgres://postgres@{HOST}:5432/{args.db}", "DEBUG": "false",
           "ALLOWED_HOSTS": f"{HOST},testserver", "SECURE_SSL_REDIRECT": "false",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 60),
           "STATIC_MANIFEST": "false", "SESSION_COOKIE_SECURE": "false"}
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "requests_app.settings")
    import django

    django.setup()
    from requests_app.queues import TABS

    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "requests_app.wsgi", "-w", "2", "-b",
         f"{HOST}:{args.port}", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **env}, start_new_session=True)
    try:
        for _ in range(120):
            try:
                probe = http.client.HTTPConnection(HOST, args.port, timeout=1)
                probe.request("GET", "/accounts/login/")
                break
            except OSError:
                time.sleep(0.5)
        usernames = args.users.split(",")
        sessions = {u: Session(args.port, u) for u in usernames}
        # The request page: each person's own open work first (what they open all day: the
        # page then offers their next steps), then the oldest of what they may see (closed
        # history, nothing to offer), five of each where there are.
        refs = {}
        for u, s in sessions.items():
            found = []
            for tab in ("", "?view=all"):
                html = s.get(f"/{tab}")[1].decode()
                found += [r for r in re.findall(r'href="/requests/([^/"]*[0-9][^/"]*)/"', html)
                          if r not in found][:5]
            refs[u] = found
        search = sessions[usernames[0]].get("/search/?q=")[0] == 200
        everyone = list(sessions.values())
        pages = {"trivial (/ping/)": (everyone, ["/ping/"])}
        for tab in TABS:
            pages[f"home: {tab}"] = (everyone, [f"/?view={tab}"])
        pairs = [(s, f"/requests/{r}/") for u, s in sessions.items() for r in refs[u]]
        if search:
            # What people type: a reference, a child's full name, a common surname alone, a
            # date of birth, an organisation and words of what was asked (each session in
            # turn; each finds only what that person may see).
            pages["search (mixed queries)"] = (everyone, search_paths())
        pages = {label: page for label, page in pages.items()
                 if args.only in label or label.startswith("trivial")}
        # The machine's speed drifts by 15 % or more within a run (a shared virtual machine):
        # each page is measured between two short runs of /ping/ and compared with their
        # mean, so a slow or fast moment skews neither side of a ratio.
        measured = [(label, who, paths) for label, (who, paths) in pages.items()
                    if not label.startswith("trivial")]
        if args.only in "request page":
            measured.append(("request page", [_Pair(s, p) for s, p in pairs], ["."]))
        ping_time = max(2.0, args.seconds / 2)
        pings = [hammer(everyone, ["/ping/"], ping_time, args.connections)]
        results, yardstick = {}, {}
        for label, who, paths in measured:
            results[label] = hammer(who, paths, args.seconds, args.connections)
            pings.append(hammer(everyone, ["/ping/"], ping_time, args.connections))
            yardstick[label] = (pings[-2]["rps"] + pings[-1]["rps"]) / 2
            print(f"  measured {label}", file=sys.stderr, flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    first_user = usernames[0]
    query_pages = {label: (first_user, paths) for label, (_, paths) in pages.items()}
    owner = next(u for u in usernames if refs[u])
    if "request page" in results:
        query_pages["request page"] = (owner, [f"/requests/{r}/" for r in refs[owner][:3]])
    queries = count_queries(query_pages)
    ping = {"rps": sum(r["rps"] for r in pings) / len(pings),
            "p50": sorted(r["p50"] for r in pings)[len(pings) // 2],
            "p95": sorted(r["p95"] for r in pings)[len(pings) // 2], "errors": 0}
    print(f"\n{args.db}: {args.connections} connections, {args.seconds:g} s per page, "
          f"gunicorn 2 sync workers; /ping/ run {len(pings)} times, {ping_time:g} s each "
          f"(from {min(r['rps'] for r in pings):.1f} to {max(r['rps'] for r in pings):.1f} "
          "req/s), each page compared with the runs either side of it")
    print(f"{'page':24} {'req/s':>8} {'ratio':>7} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}"
          f" {'errors':>7}")
    queries["trivial (/ping/), mean"] = queries.pop("trivial (/ping/)", "")
    rows = [("trivial (/ping/), mean", ping, ping["rps"])]
    rows += [(label, r, yardstick[label]) for label, r in results.items()]
    for label, r, base in rows:
        print(f"{label:24} {r['rps']:8.1f} {r['rps'] / base:7.1%} {r['p50']:8.1f} "
              f"{r['p95']:8.1f} {queries.get(label, '')!s:>8}"
              f" {r['errors']:>7}")


def search_paths() -> list[str]:
    """Searches built from the data: one of each kind the search box answers."""
    from urllib.parse import quote

    from requests_app.models import CaseRecord, InformationRequest, Requester

    council = InformationRequest.objects.filter(council__slug="nottinghamshire")
    request = council.order_by("-pk").first()
    child = CaseRecord.objects.filter(council__slug="nottinghamshire").order_by("-pk").first()
    requester = Requester.objects.filter(council__slug="nottinghamshire").order_by("-pk").first()
    queries = [request.reference, f"{child.first_name} {child.last_name}", "Smith",
               child.date_of_birth.strftime("%d/%m/%Y"), requester.organisation,
               "safeguarding concerns"]
    return [f"/search/?q={quote(q)}" for q in queries]


class _Pair:
    """A request page read by the session that may open it (`hammer` calls get(path))."""

    def __init__(self, session, path):
        self.session, self.path = session, path

    def get(self, _path):
        return self.session.get(self.path)


if __name__ == "__main__":
    main()
