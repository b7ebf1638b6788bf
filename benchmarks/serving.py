"""HTTP benchmark helpers: a real uvicorn process, users with tokens, and a thread-pool load generator."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def uvicorn_server(target: str, env: dict[str, str], factory: bool = True) -> Iterator[str]:
    """Run `uvicorn target` in its own process (one worker, no access log); yield its base URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port),
           "--no-access-log", "--log-level", "warning"] + (["--factory"] if factory else [])
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a loaded machine starts slowly
        while True:
            try:
                if httpx.get(base + "/openapi.json" if not factory else base + "/api/health", timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server {target} did not start (exit code {proc.poll()})")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def app_env(url: str, master_key: str, run_projections: bool = True) -> dict[str, str]:
    return {"FAMILJEPOOL_DATABASE_URL": url, "FAMILJEPOOL_MASTER_KEY": master_key,
            "FAMILJEPOOL_RUN_PROJECTIONS": "1" if run_projections else "0"}


def prepare_users(app, members: dict[str, str]) -> dict[str, str]:
    """Members and one user per role; returns {role: bearer token} (server-side sessions in the same database)."""
    from api.auth import SessionService
    from pool.actors import Actor

    system = Actor.system("bench")
    for code, name in members.items():
        app.put_member(system, code, name=name, joined_on="2020-01-01")
    first = next(iter(members))
    service = SessionService(app)
    tokens = {}
    for role, municipality in (("pool_staff", None), ("municipality", first)):
        username = f"bench.{role}"
        app.add_user(system, username, role=role, municipality=municipality, password="bench password 1")
        tokens[role] = service.issue(app.authenticate(username, "bench password 1"))
    return tokens


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1] * 1000

    def line(self, label: str) -> str:
        return (f"  {label:<44}{self.rate:>9,.0f} req/s  p50 {self.pct(50):7.1f} ms  p99 {self.pct(99):7.1f} ms"
                + (f"  ERRORS {self.errors}" if self.errors else ""))


def run_load(clients: int, seconds: float, make_worker: Callable[[], Callable[[], bool]], warmup: int = 2) -> Result:
    """`clients` threads each call their own worker (True: success) until `seconds` have passed."""
    latencies: list[float] = []
    counts = {"ok": 0, "err": 0}
    lock = threading.Lock()
    workers = [make_worker() for _ in range(clients)]
    warmed, go = threading.Barrier(clients + 1), threading.Barrier(clients + 1)
    stop_at = [0.0]

    def loop(work: Callable[[], bool]) -> None:
        mine: list[float] = []
        errs = 0
        for _ in range(warmup):  # connection, first-request and cache costs stay out of the figures
            work()
        warmed.wait()
        go.wait()
        while (t := time.perf_counter()) < stop_at[0]:
            ok = work()
            mine.append(time.perf_counter() - t)
            errs += 0 if ok else 1
        with lock:
            latencies.extend(mine)
            counts["ok"] += len(mine) - errs
            counts["err"] += errs

    threads = [threading.Thread(target=loop, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    warmed.wait()
    started = time.perf_counter()
    stop_at[0] = started + seconds
    go.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return Result(counts["ok"], counts["err"], elapsed, latencies)


def http_worker(base: str, method: str, path: str, token: str | None = None,
                json_body: Callable[[], object] | None = None, expect: int = 200) -> Callable[[], Callable[[], bool]]:
    """A factory of workers, each with its own keep-alive httpx client."""

    def make() -> Callable[[], bool]:
        client = httpx.Client(base_url=base, timeout=30,
                              headers={"Authorization": f"Bearer {token}"} if token else {})

        def work() -> bool:
            r = client.request(method, path, json=json_body() if json_body else None)
            return r.status_code == expect

        return work

    return make


def ratio(x: float, baseline: float) -> str:
    return f"{x / baseline:.1%}" if baseline else "n/a"
