"""The HTTP command path (POST /api/referrals) against the bare library's save and a plain CRUD app.

    .venv/bin/python benchmarks/write_path.py [--seconds 5] [--clients 1,8,32] [--backend both|sqlite|postgres]

Per backend, in the same run and on the same database server:
  * familjepool: a real uvicorn process (projections embedded, so each answer waits for the read
    side as in production), clients are threads of this process with their own httpx keep-alive client;
  * library: an eventsourcing Application saving a trivial aggregate, same thread counts, no HTTP;
  * crud: benchmarks/crud_app.py (FastAPI + psycopg / sqlite3 INSERT) in its own uvicorn process.
Prints req/s, p50, p99 per row and, last, familjepool's rate as a share of the CRUD app's at 8 clients
(goal: at least 50 %).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eventsourcing.application import Application  # noqa: E402
from eventsourcing.domain import Aggregate  # noqa: E402

from benchmarks.backends import CHOICES, on_each_backend  # noqa: E402
from benchmarks.serving import app_env, http_worker, prepare_users, ratio, run_load, uvicorn_server  # noqa: E402
from pool.bootstrap import bootstrap, close  # noqa: E402
from pool.sealing import MasterKey  # noqa: E402
from pool.settings import parse_database_url  # noqa: E402
from tests.factories import MEMBERS, referral_data  # noqa: E402


class Note(Aggregate):
    """The trivial aggregate of the library baseline."""

    def __init__(self, text: str):
        self.text = text


class Bare(Application):
    name = "bare"


def library_worker(url: str):
    app = Bare(env=parse_database_url(url).env)

    def make():
        def work() -> bool:
            app.save(Note("x"))
            return True
        return work
    return app, make


def bench(label: str, url: str, clients: list[int], seconds: float, ratios: list[str]) -> None:
    print(f"\n{label}: POST /api/referrals for {seconds:g} s per row", flush=True)
    key = MasterKey.generate_base64()
    app = bootstrap(url, MasterKey.from_base64(key))
    try:
        tokens = prepare_users(app, MEMBERS)
    finally:
        close(app)
    rates: dict[tuple[str, int], float] = {}
    body = referral_data()
    with uvicorn_server("api.app:create_app", app_env(url, key)) as base:
        for n in clients:
            r = run_load(n, seconds, http_worker(base, "POST", "/api/referrals", tokens["municipality"],
                                                 lambda: body, expect=201))
            rates["familjepool", n] = r.rate
            print(r.line(f"familjepool HTTP, {n:>2} clients"), flush=True)
    bare, make = library_worker(url)
    try:
        for n in clients:
            r = run_load(n, seconds, make)
            rates["library", n] = r.rate
            print(r.line(f"library save (no HTTP), {n:>2} threads"), flush=True)
    finally:
        bare.close()
    with uvicorn_server("benchmarks.crud_app:create_app", {"BENCH_CRUD_DATABASE_URL": url}) as base:
        for n in clients:
            r = run_load(n, seconds, http_worker(base, "POST", "/api/referrals", None, lambda: body, expect=201))
            rates["crud", n] = r.rate
            print(r.line(f"CRUD app HTTP, {n:>2} clients"), flush=True)
    for n in clients:
        print(f"  {n:>2} clients: familjepool/CRUD {ratio(rates['familjepool', n], rates['crud', n]):>7}"
              f"   familjepool/library {ratio(rates['familjepool', n], rates['library', n]):>7}")
    goal_n = 8 if 8 in clients else clients[-1]
    ratios.append(f"{label} {goal_n} clients familjepool/CRUD {ratio(rates['familjepool', goal_n], rates['crud', goal_n])}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--backend", choices=CHOICES, default="both")
    args = parser.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    ratios: list[str] = []
    on_each_backend(args.backend, lambda label, url: bench(label, url, clients, args.seconds, ratios))
    print(f"\nratio (goal >= 50 %): {'; '.join(ratios)}")


if __name__ == "__main__":
    main()
