"""The catalogue over HTTP (two API processes) against the same SQL run directly, per filter.

    .venv/bin/python benchmarks/catalogue.py [--families 20000] [--clients 1,10,50] [--seconds 5]
                                             [--backend postgres|sqlite|both]

Loads N published families through the application's commands in batches (benchmarks/history.py,
12 events each; the time is printed), rebuilds the catalogue with `familjepool projections rebuild
catalogue`, then starts two uvicorn processes in read-only worker mode (FAMILJEPOOL_RUN_PROJECTIONS=0)
and lets the clients alternate between them. The baseline runs, in this process with a pool of as many
connections as the two API processes hold (2 x 10), exactly the statements the read model ran for the
same request in its steady state (captured from the view on the filter's second request: the first one
also counts the matching rows and reads the training courses, which the read model then keeps with the
page's cards until the view moves, so the steady state is the page alone; projections/catalogue/queries.py),
one request = those statements. The HTTP side also reads the session and the page's keys (not in the baseline).
Prints, per filter, whether PostgreSQL's plans (the count and the page) use an index (EXPLAIN), then the rates;
the last line gives HTTP / raw at 10 clients (goal: at least 40 %) on the first page and the worst filter.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import threading
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.backends import CHOICES, on_each_backend  # noqa: E402
from benchmarks.history import BatchingApp, generate  # noqa: E402
from benchmarks.serving import app_env, http_worker, prepare_users, ratio, run_load, uvicorn_server  # noqa: E402
from pool.bootstrap import bootstrap, close  # noqa: E402
from pool.sealing import MasterKey, Sealer  # noqa: E402
from pool.settings import parse_database_url  # noqa: E402
from projections.bootstrap import ReadModelsImpl  # noqa: E402
from projections.contract import CatalogueFilter  # noqa: E402
from tests.factories import MEMBERS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FILTERS = {"first page": {}, "kind": {"kind": "jourhem"}, "child_age": {"child_age": 9},
           "siblings": {"siblings": True}, "language": {"language": "ar"}, "area": {"area": "0184"},
           "available": {"available": True}}


def load(url: str, key: str, families: int) -> dict[str, str]:
    app = bootstrap(url, MasterKey.from_base64(key))
    try:
        tokens = prepare_users(app, MEMBERS)
    finally:
        close(app)
    storage = parse_database_url(url)
    batching = BatchingApp(env=storage.env, sealer=Sealer(storage.keystore(), MasterKey.from_base64(key)))
    started = time.perf_counter()
    try:
        generate(batching, families, list(MEMBERS), with_history=False, batch=100)
        events = batching.recorder.max_notification_id()
    finally:
        batching.sealer.keystore.close()
        batching.close()
    made = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("familjepool")), "projections", "rebuild", "catalogue",
                    "--database-url", url], check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                   env={**os.environ, "FAMILJEPOOL_MASTER_KEY": key})
    print(f"  {families:,} published families = {events:,} events through the commands in {made:.0f} s "
          f"({families / made:,.0f} families/s); catalogue rebuilt in {time.perf_counter() - started:.1f} s",
          flush=True)
    return tokens


def captured_sql(url: str) -> dict[str, list[tuple[str, list]]]:
    """The statements the read model runs for each filter's first page, in the backend's own dialect."""
    rm = ReadModelsImpl(url)
    view = rm.views["catalogue"]
    original = view.query
    recorded: list[tuple[str, list]] = []

    def recording(sql, params=()):
        recorded.append((view.sql(sql), list(params)))
        return original(sql, params)

    view.query = recording  # type: ignore[method-assign]
    out = {}
    try:
        for name, args in FILTERS.items():
            recorded.clear()
            rm.catalogue(CatalogueFilter(**args), limit=50, offset=0)
            out[f"{name} (first)"] = list(recorded)  # with the count, for EXPLAIN
            recorded.clear()
            rm.catalogue(CatalogueFilter(**args), limit=50, offset=0)
            out[name] = list(recorded)  # what every further request runs
    finally:
        rm.close()
    return out


def explain(url: str, statements: dict[str, list[tuple[str, list]]]) -> None:
    import psycopg

    conninfo, schema = url.split("?")[0], url.split("schema=")[1]
    with psycopg.connect(conninfo, options=f"-c search_path={schema}") as conn:
        for name, stmts in statements.items():
            if not name.endswith(" (first)"):
                continue
            name = name.removesuffix(" (first)")
            plans, filter_indexes = [], set()
            stmts = [s for s in stmts if "COUNT(*)" in s[0]] + [s for s in stmts if "ORDER BY k.seq" in s[0]]
            for sql, params in stmts[:2]:  # count and page
                plan = [r[0] for r in conn.execute("EXPLAIN " + sql, params).fetchall()]
                scans = [line.strip().split("  (")[0].lstrip("-> ") for line in plan
                         if "Scan" in line and (" on catalogue " in line + " " or "catalogue_" in line)]
                filter_indexes |= {m for m in re.findall(r"(?:using|Scan on) (catalogue_\w+_(?:idx|pkey))", "\n".join(plan))
                                   if m not in ("catalogue_pkey", "catalogue_tracking_pkey")}  # not the page's walk
                plans.append("; ".join(scans) or "?")
            indexed = f"index {', '.join(sorted(filter_indexes))}" if filter_indexes else "NO filter index"
            plans = ["not run (the page was not full)", *plans][-2:]
            print(f"  EXPLAIN {name:<11} {indexed:<28} count: {plans[0]} | page: {plans[1]}")


class SQLitePool:
    """One sqlite3 connection per thread, with psycopg_pool's connection() shape."""

    def __init__(self, path: str):
        self.path, self.local, self.all = path, threading.local(), []

    @contextmanager
    def connection(self):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            self.all.append(conn)
        yield conn

    def close(self) -> None:
        for conn in self.all:
            conn.close()


def raw_worker(pool, stmts):
    def make():
        def work() -> bool:
            with pool.connection() as conn:
                for sql, params in stmts:
                    conn.execute(sql, params).fetchall()
            return True
        return work
    return make


def bench(label: str, url: str, families: int, clients: list[int], seconds: float, results: list[str]) -> None:
    print(f"\n{label}:", flush=True)
    key = MasterKey.generate_base64()
    tokens = load(url, key, families)
    statements = captured_sql(url)
    if url.startswith("postgresql"):
        explain(url, statements)
    http: dict[tuple[str, int], float] = {}
    raw: dict[tuple[str, int], float] = {}
    env = app_env(url, key, run_projections=False)
    with uvicorn_server("api.app:create_app", env) as a, uvicorn_server("api.app:create_app", env) as b:
        bases = [a, b]
        for name, args in FILTERS.items():
            query = "&".join(f"{k}={str(v).lower()}" for k, v in args.items())
            path = "/api/catalogue?limit=50" + (f"&{query}" if query else "")
            for n in clients:
                turn = iter(range(10**9))
                r = run_load(n, seconds, lambda: http_worker(bases[next(turn) % 2], "GET", path,
                                                             tokens["municipality"])())
                http[name, n] = r.rate
                print(r.line(f"HTTP {name}, {n} clients"), flush=True)
    if url.startswith("postgresql"):
        from psycopg_pool import ConnectionPool

        conninfo, schema = url.split("?")[0], url.split("schema=")[1]
        pool = ConnectionPool(conninfo, min_size=4, max_size=20, kwargs={"options": f"-c search_path={schema}"})
    else:
        pool = SQLitePool(url[len("sqlite:///"):])
    try:
        for name in FILTERS:
            for n in clients:
                r = run_load(n, seconds, raw_worker(pool, statements[name]))
                raw[name, n] = r.rate
                print(r.line(f"raw SQL {name}, {n} clients"), flush=True)
    finally:
        pool.close()
    for name in FILTERS:
        print(f"  {name:<11} HTTP/raw " + "  ".join(f"{n} clients {ratio(http[name, n], raw[name, n]):>6}"
                                                    for n in clients))
    n = 10 if 10 in clients else clients[-1]
    worst = min(FILTERS, key=lambda f: http[f, n] / raw[f, n] if raw[f, n] else 1)
    results.append(f"{label} {n} clients HTTP/raw first page {ratio(http['first page', n], raw['first page', n])}, "
                   f"worst filter {worst} {ratio(http[worst, n], raw[worst, n])}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=20000)
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--backend", choices=CHOICES, default="postgres")
    args = parser.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    results: list[str] = []
    on_each_backend(args.backend, lambda label, url: bench(label, url, args.families, clients, args.seconds, results))
    print(f"\nratio (goal >= 40 % on PostgreSQL): {'; '.join(results)}")


if __name__ == "__main__":
    main()
