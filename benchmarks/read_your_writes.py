"""Read-your-writes across processes: from a write's answer on API process A to the write in a list on B.

    .venv/bin/python benchmarks/read_your_writes.py [--samples 200] [--backend postgres|sqlite|both]
                                                    [--layouts embedded,worker]

Two layouts on the same database, each with two uvicorn processes:
  * embedded: A runs the projections in-process, B does not (FAMILJEPOOL_RUN_PROJECTIONS=0);
  * worker: neither API process runs them; `familjepool projections run` is a third process.
One client, sequentially: POST /api/referrals on A; as soon as A answers, GET /api/referrals?limit=1 on B
until its `total` counts the new referral. The delay is answer-to-visible; the floor printed beside it is
B's own list latency (visibility cannot be faster than one list request). The last line gives the p99
against the goal of 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.backends import CHOICES, on_each_backend  # noqa: E402
from benchmarks.serving import ROOT, app_env, prepare_users, uvicorn_server  # noqa: E402
from pool.bootstrap import bootstrap, close  # noqa: E402
from pool.sealing import MasterKey  # noqa: E402
from tests.factories import MEMBERS, referral_data  # noqa: E402

GOAL_MS = 50.0


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] * 1000 if len(values) > 1 else values[0] * 1000


def measure(a: str, b: str, token: str, samples: int, written: int) -> tuple[list[float], list[float], list[float], int]:
    headers = {"Authorization": f"Bearer {token}"}
    delays, floors, writes = [], [], []
    with httpx.Client(base_url=a, headers=headers, timeout=30) as wa, \
            httpx.Client(base_url=b, headers=headers, timeout=30) as rb:
        for i in range(samples + 3):  # the first three warm both processes up and are not counted
            sent = time.perf_counter()
            r = wa.post("/api/referrals", json=referral_data())
            answered = time.perf_counter()
            assert r.status_code == 201, r.text
            written += 1
            while True:
                t = time.perf_counter()
                total = rb.get("/api/referrals", params={"limit": 1}).json()["total"]
                if total >= written:
                    break
                if t - answered > 10:
                    raise RuntimeError("the write did not become visible on B within 10 s")
            if i >= 3:
                delays.append(time.perf_counter() - answered)
                floors.append(time.perf_counter() - t)
                writes.append(answered - sent)
    return delays, floors, writes, written


def bench(label: str, url: str, samples: int, layouts: list[str], results: list[str]) -> None:
    key = MasterKey.generate_base64()
    app = bootstrap(url, MasterKey.from_base64(key))
    try:
        token = prepare_users(app, MEMBERS)["municipality"]
    finally:
        close(app)
    print(f"\n{label}: {samples} sequential writes on A, each then listed on B", flush=True)
    written = 0
    for layout in layouts:
        with ExitStack() as stack:
            worker = None
            if layout == "worker":
                worker = subprocess.Popen([str(Path(sys.executable).with_name("familjepool")), "projections", "run",
                                           "--database-url", url], cwd=ROOT,
                                          env={**os.environ, "FAMILJEPOOL_MASTER_KEY": key}, stderr=subprocess.DEVNULL)
                stack.callback(lambda: (worker.terminate(), worker.wait(timeout=30)))
            a = stack.enter_context(uvicorn_server("api.app:create_app", app_env(url, key, layout == "embedded")))
            b = stack.enter_context(uvicorn_server("api.app:create_app", app_env(url, key, False)))
            delays, floors, writes, written = measure(a, b, token, samples, written)
        p99 = pct(delays, 99)
        print(f"  {layout:<9} answer-to-visible p50 {pct(delays, 50):6.1f} ms  p99 {p99:6.1f} ms  max "
              f"{max(delays) * 1000:6.1f} ms   (floor: one list on B p50 {pct(floors, 50):5.1f} ms;"
              f" the write on A itself p50 {pct(writes, 50):5.1f} ms)", flush=True)
        results.append(f"{label} {layout} p99 {p99:.1f} ms = {p99 / GOAL_MS:.0%} of the 50 ms goal")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--backend", choices=CHOICES, default="postgres")
    parser.add_argument("--layouts", default="embedded,worker")
    args = parser.parse_args()
    results: list[str] = []
    on_each_backend(args.backend, lambda label, url: bench(label, url, args.samples, args.layouts.split(","), results))
    print(f"\nratio (p99 / goal): {'; '.join(results)}")


if __name__ == "__main__":
    main()
