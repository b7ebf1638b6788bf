"""/api/ready and /metrics: lag over the threshold, a failing projection, and who may ask."""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from projections.cli import projections_cli
from pool.sealing import MasterKey
from tests.conftest import SYSTEM, postgres_conninfo
from tests.integration.ops_support import metric

LOCAL = ("127.0.0.1", 40000)


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMILJEPOOL_MASTER_KEY", MasterKey.generate_base64())


def client(database_url: str, run_projections: bool, address: tuple[str, int] = LOCAL) -> TestClient:
    return TestClient(create_app(database_url, run_projections=run_projections), client=address)


def test_only_monitoring_addresses_see_health_ready_and_metrics(fresh_sqlite_url: str, key: None,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    paths = ("/api/health", "/api/ready", "/metrics")
    with client(fresh_sqlite_url, True, ("10.1.2.3", 40000)) as outsider:
        assert [outsider.get(p).status_code for p in paths] == [404, 404, 404]
    with client(fresh_sqlite_url, True, ("::1", 40000)) as local:
        assert [local.get(p).status_code for p in paths] == [200, 200, 200]
    monkeypatch.setenv("FAMILJEPOOL_MONITORING_ALLOW", "10.0.0.0/8")
    with client(fresh_sqlite_url, True, ("10.1.2.3", 40000)) as monitor:
        assert monitor.get("/metrics").status_code == 200
        assert monitor.get("/metrics").headers["content-type"].startswith("text/plain")
    with client(fresh_sqlite_url, True) as local:
        assert local.get("/api/health").status_code == 404  # loopback is no longer on the list


def test_ready_fails_when_the_projections_lag(database_url: str, key: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMILJEPOOL_READY_MAX_LAG", "1")
    with client(database_url, run_projections=False) as api:  # worker mode, and no worker runs
        assert api.get("/api/ready").json()["status"] == "ready"
        pool = api.app.state.pool  # type: ignore[attr-defined]
        pool.put_member(SYSTEM, "0184", name="Solna", joined_on="2020-01-01")
        assert api.get("/api/ready").status_code == 200  # one event behind: within the threshold
        pool.put_member(SYSTEM, "0191", name="Sigtuna", joined_on="2020-01-01")
        r = api.get("/api/ready")
        assert r.status_code == 503 and r.json()["status"] == "lagging", r.text
        # A view that ignores member events is not behind (its runner would step over them without a tracking row).
        assert {p["lag"] for p in r.json()["projections"]} == {0, 2}
        text = api.get("/metrics").text
        assert metric(text, "familjepool_projection_lag_events", projection="steering") == 2
        assert metric(text, "familjepool_event_store_head") == 2


def wait_until(predicate, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.fixture
def rename_table(database_url: str) -> Iterator:  # type: ignore[type-arg]
    def rename(old: str, new: str) -> None:
        if database_url.startswith("sqlite"):
            import sqlite3

            with sqlite3.connect(database_url[len("sqlite:///"):]) as conn:
                conn.execute(f"ALTER TABLE {old} RENAME TO {new}")
        else:
            schema = database_url.split("schema=")[1]
            with psycopg.connect(postgres_conninfo(), autocommit=True) as conn:
                conn.execute(f'ALTER TABLE "{schema}".{old} RENAME TO {new}')
    yield rename


def test_ready_fails_while_a_projection_fails_and_recovers(database_url: str, key: None, rename_table) -> None:  # type: ignore[no-untyped-def]
    with client(database_url, run_projections=True) as api:
        pool = api.app.state.pool  # type: ignore[attr-defined]
        pool.put_member(SYSTEM, "0184", name="Solna", joined_on="2020-01-01")
        wait_until(lambda: api.get("/api/ready").status_code == 200)
        rename_table("st_members", "st_members_away")  # the steering view can no longer apply a member
        pool.put_member(SYSTEM, "0191", name="Sigtuna", joined_on="2020-01-01")
        wait_until(lambda: api.get("/api/ready").json()["status"] == "failed")
        body = api.get("/api/ready").json()
        assert [p["name"] for p in body["projections"] if p["failed"]] == ["steering"]
        assert metric(api.get("/metrics").text, "familjepool_projection_failed", projection="steering") == 1
        rename_table("st_members_away", "st_members")
        # PostgreSQL reports the missing table as a programming error: the runner halted at the event and the
        # operator's retry resumes it. SQLite reports an operational error, which the runner retries by itself
        # (then `retry` answers "not halted", exit 1).
        result = CliRunner().invoke(projections_cli, ["retry", "steering", "--database-url", database_url])
        assert result.exit_code == (1 if database_url.startswith("sqlite") else 0), result.output
        wait_until(lambda: api.get("/api/ready").status_code == 200)
        assert metric(api.get("/metrics").text, "familjepool_projection_failed", projection="steering") == 0


def test_metrics_count_the_notification_outbox_by_state(database_url: str, key: None) -> None:
    """Read from the outbox table at scrape time: the notifier may run in another process."""
    with client(database_url, run_projections=True) as api:
        read_models = api.app.state.read_models  # type: ignore[attr-defined]
        view = read_models.notifications_view
        with view.datastore.transaction(commit=True) as c:  # the notifier's rows in three states
            for i, state in enumerate(["pending", "retry", "failed", "failed", "sent"]):
                c.execute(view.sql("INSERT INTO {s}notification_outbox VALUES (?, ?, 'digest', '', ?, ?, 0, ?, '', NULL)"),
                          [f"o{i}", "u1", "2026-01-01T00:00:00", state, "2999-01-01T00:00:00"])  # not due
        text = api.get("/metrics").text
        counts = {s: metric(text, "familjepool_notifications_outbox", state=s)
                  for s in ("pending", "retry", "failed", "sent", "skipped")}
        assert counts == {"pending": 1, "retry": 1, "failed": 2, "sent": 1, "skipped": 0}, counts
