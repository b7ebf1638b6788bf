"""Two real API processes (uvicorn) on one database: logout and lockout hold across processes and restarts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from pool.bootstrap import bootstrap, close
from pool.sealing import MasterKey
from tests.conftest import SYSTEM
from tests.factories import MEMBERS

PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def api_process(env: dict[str, str], **extra: str) -> Iterator[httpx.Client]:
    """`familjepool serve` in a subprocess; yields a client once /api/health answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", "from api.cli import main; main()", "serve", "--port", str(port), "--no-projections"],
        cwd=ROOT, env={**env, **extra}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if client.get("/api/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the API process did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
        yield client
    finally:
        client.close()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


@pytest.fixture
def server_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    master = MasterKey.generate_base64()
    app = bootstrap(database_url, MasterKey.from_base64(master))
    try:
        for code, name in MEMBERS.items():
            app.put_member(SYSTEM, code, name=name, joined_on="2020-01-01")
        app.add_user(SYSTEM, "sara.solna", role="municipality", municipality="0184", password=PASSWORD)
        app.add_user(SYSTEM, "pia.staff", role="pool_staff", password=PASSWORD)
    finally:
        close(app)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMILJEPOOL_")}
    return {**env, "FAMILJEPOOL_DATABASE_URL": database_url, "FAMILJEPOOL_MASTER_KEY": master,
            "FAMILJEPOOL_MASTER_KEY_FILE": str(tmp_path / "unused.key")}


def sign_in(client: httpx.Client, username: str, password: str, **headers: str) -> httpx.Response:
    return client.post("/api/auth/token", data={"username": username, "password": password}, headers=headers)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_logout_and_lockout_hold_across_processes_and_restarts(server_env: dict[str, str]) -> None:
    with api_process(server_env) as one, api_process(server_env) as two:
        token = sign_in(one, "sara.solna", PASSWORD).json()["access_token"]
        assert two.get("/api/auth/me", headers=bearer(token)).status_code == 200
        assert one.post("/api/auth/logout", headers=bearer(token)).status_code == 204
        assert two.get("/api/auth/me", headers=bearer(token)).status_code == 401  # ended in the other process

        # Failures count per account across both processes, whatever address the client claims.
        for i in range(5):
            process = (one, two)[i % 2]
            assert sign_in(process, "pia.staff", "wrong guess", **{"X-Forwarded-For": f"10.1.1.{i}"}).status_code == 401
        r = sign_in(one, "pia.staff", PASSWORD)
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 800
        assert sign_in(two, "pia.staff", PASSWORD, **{"X-Forwarded-For": "10.9.9.9"}).status_code == 429
        kept = sign_in(two, "sara.solna", PASSWORD).json()["access_token"]
        # No proxy is trusted by default: a client cannot claim https (nor another address).
        assert "strict-transport-security" not in two.get("/api/health", headers={"X-Forwarded-Proto": "https"}).headers

    with api_process(server_env) as restarted:  # both processes gone: a new one remembers
        assert sign_in(restarted, "pia.staff", PASSWORD).status_code == 429
        assert restarted.get("/api/auth/me", headers=bearer(token)).status_code == 401
        assert restarted.get("/api/auth/me", headers=bearer(kept)).status_code == 200


def test_a_trusted_proxy_may_say_https(server_env: dict[str, str]) -> None:
    with api_process(server_env, FAMILJEPOOL_TRUSTED_PROXIES="127.0.0.1") as behind_proxy:
        r = behind_proxy.get("/api/health", headers={"X-Forwarded-Proto": "https"})
        assert r.headers["strict-transport-security"].startswith("max-age=")
