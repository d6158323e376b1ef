"""The embedded default works under concurrency (issue 12 item 5, ADR 0019).

The demo runs on SQLite with the django-tasks-db worker beside the web server. Here, on a
temporary SQLite file and in separate processes, as in the demo: the real `db_worker` runs
jobs that write while several "web processes" save at once (reading then writing in one
transaction, as the services do) and enqueue more jobs. No save and no job may fail with
"database is locked".

The rest of the suite runs on PostgreSQL; this test only starts programs, so it needs no
database of its own.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 4
ROUNDS = 15


def _env(database: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(DATABASE_URL=f"sqlite:///{database}", DEBUG="1", STATIC_MANIFEST="0",
               DJANGO_SETTINGS_MODULE="requests_app.settings", PYTHONUNBUFFERED="1",
               LOG_LEVEL="WARNING")
    return env


def _run(*args, env, timeout=600):
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _tasks(database: Path) -> dict[str, int]:
    with sqlite3.connect(database, timeout=20) as db:
        return dict(db.execute("SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult "
                               "GROUP BY status").fetchall())


def test_concurrent_saves_beside_the_background_worker_never_find_the_database_locked(
        tmp_path):
    database = tmp_path / "demo.sqlite3"
    env = _env(database)
    _run("-m", "tests.sqlite_worker", "setup", env=env)
    worker_log = tmp_path / "worker.log"
    with worker_log.open("w") as log:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.05",
             "--no-startup-delay"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        barrier = tmp_path / "barrier"
        writers = [subprocess.Popen(
            [sys.executable, "-m", "tests.sqlite_worker", "write", str(n), str(ROUNDS)],
            cwd=ROOT, env={**env, "WRITERS_BARRIER": str(barrier)}, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
            for n in range(WRITERS)]
        # All writers started and connected: let them go at once, so they do meet.
        deadline = time.monotonic() + 600
        while (len(list(tmp_path.glob("barrier.ready*"))) < WRITERS
               and time.monotonic() < deadline and all(w.poll() is None for w in writers)):
            time.sleep(0.05)
        (tmp_path / "barrier.go").touch()
        outputs = [w.communicate(timeout=600)[0] for w in writers]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and set(_tasks(database)) - {"SUCCESSFUL",
                                                                       "FAILED"}:
            time.sleep(0.2)
        assert worker.poll() is None, "the worker stopped: " + worker_log.read_text()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)

    everything = "\n".join(outputs) + worker_log.read_text()
    assert "database is locked" not in everything, everything
    assert all(w.returncode == 0 for w in writers), everything
    assert _tasks(database) == {"SUCCESSFUL": WRITERS * ROUNDS}, everything
    with sqlite3.connect(database) as db:
        saved = db.execute("SELECT COUNT(*) FROM requests_app_informationrequest").fetchone()[0]
        by_worker = db.execute("SELECT COUNT(*) FROM requests_app_auditevent "
                               "WHERE action = 'test.worker_wrote'").fetchone()[0]
    assert saved == by_worker == WRITERS * ROUNDS
