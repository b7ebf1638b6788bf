"""Exactly once: SIGKILL a real `python -m projections run` mid catch-up, restart it, compare."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from uuid import uuid4

from pool.application import PoolApplication
from pool.domain.access import DataAccess
from projections.bootstrap import ReadModelsImpl
from projections.registry import NAMES, PROJECTION_CLASSES
from projections.runtime import rebuild, status
from tests.conftest import STAFF
from tests.integration.test_projections_helpers import history, snapshot

ROOT = Path(__file__).resolve().parents[2]


def backlog(app: PoolApplication, events: int = 5000) -> int:
    """A varied history, then many audited reads saved 500 per transaction (quick to create)."""
    history(app)
    actor = STAFF.as_event_data()
    while (app.recorder.max_notification_id() or 0) < events:
        app.save(*[DataAccess(actor=actor, subject_type="family", subject_id=uuid4(), via="bulk", fields=["names"])
                   for _ in range(500)])
    history(app)  # more family, referral and placement events after the bulk: counters matter
    return app.recorder.max_notification_id()


def start_worker(url: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "projections", "run", "--database-url", url, "--batch-size", "10",
                             *extra],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def positions(url: str, rm: ReadModelsImpl | None = None) -> dict[str, int]:
    if rm is not None:  # cheap: one query per tracking table (and the events a view ignores after it)
        head = next(iter(rm.views.values())).head()
        return {name: view.applied_through(view.position(), head, PROJECTION_CLASSES[name].topics)
                for name, view in rm.views.items()}
    return {r["name"]: r["position"] for r in status(url)}


def test_sigkill_mid_catch_up_then_restart_applies_every_event_exactly_once(app: PoolApplication,
                                                                            database_url: str) -> None:
    head = backlog(app)
    assert head >= 5000
    probe = ReadModelsImpl(database_url)
    worker = start_worker(database_url)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any(p > 0 for p in positions(database_url, probe).values()):
                break
            assert worker.poll() is None, worker.stderr.read().decode()
            time.sleep(0.002)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
        probe.close()
    at_kill = positions(database_url)
    assert min(at_kill.values()) < head, f"the worker finished before the kill: {at_kill}"

    # --wait: PostgreSQL may notice the killed session (and free its advisory locks) a moment later.
    worker = start_worker(database_url, "--wait")
    probe = ReadModelsImpl(database_url)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and min(positions(database_url, probe).values()) < head:
            assert worker.poll() is None, worker.stderr.read().decode()
            time.sleep(0.05)
        assert positions(database_url, probe) == {n: head for n in NAMES}
    finally:
        probe.close()
        worker.send_signal(signal.SIGTERM)
        worker.wait(20)

    rm = ReadModelsImpl(database_url)
    try:
        audit = rm.views["audit"]
        assert audit.count("SELECT COUNT(*) AS n FROM {s}audit_log") == head
        assert audit.count("SELECT COUNT(DISTINCT event_id) AS n FROM {s}audit_log") == head
        assert audit.count("SELECT MIN(position) AS n FROM {s}audit_log") == 1
        assert audit.count("SELECT MAX(position) AS n FROM {s}audit_log") == head
        live = {name: snapshot(view) for name, view in rm.views.items() if name != "audit"}
    finally:
        rm.close()
    for name in live:
        rebuild(database_url, name)
    rm = ReadModelsImpl(database_url)
    try:
        for name, rows in live.items():
            assert snapshot(rm.views[name]) == rows, name
    finally:
        rm.close()
