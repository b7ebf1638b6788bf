"""`familjepool serve --workers 2` on PostgreSQL: two API processes, one projection worker, real HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from pool.bootstrap import bootstrap, close
from pool.sealing import MasterKey
from tests.integration.ops_support import child_commands, familjepool, metric, ops_env, served

PASSWORD = "a long password"
PERSONNUMMER = "19121212-1212"


@pytest.mark.postgres
def test_two_api_processes_and_a_projection_worker(fresh_postgres_url: str, tmp_path: Path) -> None:
    env = ops_env(fresh_postgres_url)
    added = familjepool(env, "users", "add", "adam.admin", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    with served(env, tmp_path / "serve.log", "--workers", "2") as server:
        children = child_commands(server.process.pid)
        assert sum("projections run" in c for c in children) == 1, children
        assert sum("cli_notifications run" in c for c in children) == 1, children  # the notifier
        assert sum("multiprocessing" in c and "spawn_main" in c for c in children) == 2, children
        # The worker process holds every runner lock: the API processes run no projections.
        status = familjepool(env, "projections", "status")
        assert status.returncode == 0 and all(" running " in line for line in status.stdout.splitlines()[1:])

        client = httpx.Client(base_url=server.url, timeout=10)
        token = client.post("/api/auth/token", data={"username": "adam.admin", "password": PASSWORD}).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        assert client.get("/api/auth/me", headers=auth).status_code == 200
        assert client.post("/api/auth/token", data={"username": "adam.admin", "password": "not the password"}
                           ).status_code == 401
        client.get(f"/api/families/{PERSONNUMMER}", params={"q": PERSONNUMMER}, headers=auth)

        before = metric(client.get("/metrics").text, "familjepool_http_requests_total",
                        method="GET", route="/api/health", status="200")
        for _ in range(20):
            assert client.get("/api/health").json()["status"] == "ok"
        text = client.get("/metrics").text
        # Multiprocess mode: any process's scrape counts the requests both processes answered.
        assert metric(text, "familjepool_http_requests_total", method="GET", route="/api/health",
                      status="200") == before + 20
        assert metric(text, "familjepool_sign_in_failures_total", channel="api", reason="rejected") == 1
        assert metric(text, "familjepool_http_request_duration_seconds_count", method="GET",
                      route="/api/families/{family_id}") == 1
        assert 'familjepool_projection_lag_events{projection="steering"}' in text
        ready = client.get("/api/ready")
        assert ready.status_code == 200 and ready.json()["status"] == "ready", ready.text
        assert PERSONNUMMER not in text and "adam.admin" not in text

    app = bootstrap(fresh_postgres_url, MasterKey.from_base64(env["FAMILJEPOOL_MASTER_KEY"]))
    try:
        actor = app.authenticate("adam.admin", PASSWORD)
    finally:
        close(app)
    assert actor is not None
    log = server.log.read_text()
    assert "Traceback" not in log
    assert PERSONNUMMER not in log and "q=" not in log and PASSWORD not in log
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "familjepool.requests"]
    assert {"method", "route", "status", "duration_ms", "user_id", "time"} <= requests[0].keys()
    me_line = next(line for line in requests if line["route"] == "/api/auth/me")
    assert me_line["user_id"] == str(actor.user_id) and me_line["status"] == 200
    family_line = next(line for line in requests if line["route"] == "/api/families/{family_id}")
    assert family_line["user_id"] == str(actor.user_id)
    assert not any(line["logger"] == "uvicorn.access" for line in lines)
