"""Suggestions for one referral over N published families: the indexed prefilter against a full scan.

    .venv/bin/python benchmarks/suggestions.py [--families 20000] [--calls 200] [--backend both|sqlite|postgres]

Fills the catalogue view's tables (catalogue, codes, kinds, match, promises) with N
published families drawn like benchmarks/history.py draws them (kinds, home municipality among the
members, age ranges, 1-3 places, some taken, languages), straight in SQL: this measures the read,
and loading 20 000 families through the commands takes a quarter of an hour per backend on this
machine (docs/performance.md). Then, per referral of a few shapes, `ReadModelsImpl.suggestions`
(prefilter by kind, age and places in SQL, ranking in Python) and `suggestions_full_scan` (every
published family read and ranked in Python) are called alternately `--calls` times each; both must
return the same list. Prints p50/p99 per shape and, on PostgreSQL, the plan of the prefilter; the
last line gives the worst p99 per backend and its share of the full scan's (goal: p99 under 50 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.backends import CHOICES, on_each_backend  # noqa: E402
from pool.matching import Need  # noqa: E402
from projections.bootstrap import ReadModelsImpl  # noqa: E402
from projections.core.encoding import bars, dumps  # noqa: E402
from tests.factories import MEMBERS  # noqa: E402

KINDS = ["familjehem", "jourhem", "kontaktfamilj"]
LANGUAGES = ["sv", "ar", "so", "fi", "fa", "ti", "en", "pl"]
TODAY = date.today()
NEEDS = {  # a few shapes of referral: common, narrow (siblings and a language), rare kind
    "teen familjehem, ar": Need("familjehem", "0184", f"{TODAY.year - 14}-03", TODAY, 1, ("ar",)),
    "siblings 7-12, so": Need("familjehem", "0191", f"{TODAY.year - 9}-06", TODAY + timedelta(days=60), 2, ("so",)),
    "small child jourhem": Need("jourhem", "0163", f"{TODAY.year - 3}-01", TODAY, 1, ()),
}


def fill(rm: ReadModelsImpl, families: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    view = rm.views["catalogue"]
    members = list(MEMBERS)
    catalogue, codes, kinds, match, promises, spoken = [], [], [], [], [], []
    for i in range(families):
        fid = f"00000000-0000-4000-8000-{i:012d}"
        low = rng.randrange(0, 12)
        high = rng.randrange(low, 18)
        places = rng.randrange(1, 4)
        offered = sorted(rng.sample(KINDS, rng.randrange(1, 3)))
        published = TODAY - timedelta(days=rng.randrange(0, 900))
        catalogue.append([fid, bars(offered), rng.choice(members), dumps(["40-49"]), dumps(["7-12"]), TODAY.year,
                          low, high, places, rng.random() < 0.5,
                          bars(languages := sorted(rng.sample(LANGUAGES, rng.randrange(1, 3)))),
                          rng.randrange(0, places + 1),
                          "Aktiv familj med hund, nära skog och sjö.", published.isoformat()])
        codes.append([fid, i + 1])
        kinds += [[k, fid, low, high] for k in offered]
        spoken += [[code, fid] for code in languages]
        ended = (published + timedelta(days=rng.randrange(0, 300))).isoformat() if rng.random() < 0.3 else None
        promised = 1 if rng.random() < 0.05 else 0
        promises += [[f"10000000-0000-4000-8000-{i:012d}", fid]] * promised
        match.append([fid, i + 1, ended, promised, *(int(rng.random() < 0.2) for _ in range(3))])
    rows = {"catalogue": catalogue, "catalogue_codes": codes, "catalogue_kinds": kinds,
            "catalogue_match": match, "catalogue_promises": promises, "catalogue_languages": spoken}
    with view.datastore.transaction(commit=True) as c:  # type: ignore[attr-defined]
        for table, values in rows.items():
            if values:
                marks = ",".join("?" * len(values[0]))
                c.executemany(view.sql(f"INSERT INTO {{s}}{table} VALUES ({marks})"), values)
        if rm.storage.backend == "postgres":
            for table in rows:
                c.execute(view.sql(f"ANALYZE {{s}}{table}"))


def timed(call) -> tuple[float, float, object]:
    """Wall-clock and this process's CPU milliseconds of one call (CPU: what an idle core would take,
    for SQLite in-process; for PostgreSQL only the client's share)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = call()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000, result


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def explain(rm: ReadModelsImpl, need: Need) -> None:
    sql, params = rm.suggestions_sql(need, 20, TODAY)
    rows = rm.views["catalogue"].query("EXPLAIN " + sql, params)
    plan = [str(next(iter(r.values()))) for r in rows]
    scans = [line.strip().lstrip("-> ").split("  (")[0] for line in plan if "Scan" in line]
    print(f"  EXPLAIN prefilter: {'; '.join(scans)}")


def bench(label: str, url: str, families: int, calls: int, results: list[str]) -> None:
    print(f"\n{label}:", flush=True)
    rm = ReadModelsImpl(url)
    try:
        started = time.perf_counter()
        fill(rm, families)
        print(f"  {families:,} published families written to the catalogue view in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        if rm.storage.backend == "postgres":
            explain(rm, NEEDS["teen familjehem, ar"])
        worst = (0.0, 0.0, "")
        for name, need in NEEDS.items():
            fast: list[float] = []
            fast_cpu: list[float] = []
            full: list[float] = []
            found = 0
            for _ in range(calls):
                ms, cpu, ranked = timed(lambda: rm.suggestions(need, 20))
                fast.append(ms)
                fast_cpu.append(cpu)
                ms, cpu, scanned = timed(lambda: rm.suggestions_full_scan(need, 20))
                full.append(ms)
                if ranked != scanned:
                    raise SystemExit(f"ERRORS: the prefilter and the full scan disagree for {name}")
                found = len(ranked)  # type: ignore[arg-type]
            print(f"  {name:<22} {found:>2} suggestions  prefilter p50 {p(fast, .5):6.1f} ms  p99 {p(fast, .99):6.1f} ms"
                  f" (CPU p50 {p(fast_cpu, .5):5.1f} ms)  |  full scan p50 {p(full, .5):6.1f} ms  p99 {p(full, .99):6.1f} ms"
                  f"  [load average {os.getloadavg()[0]:.1f}]", flush=True)
            if p(fast, .99) >= worst[0]:
                worst = (p(fast, .99), p(full, .99), name)
        share = 100 * worst[0] / worst[1] if worst[1] else 0.0
        results.append(f"{label} worst p99 {worst[0]:.1f} ms ({worst[2]}) = {share:.0f} % of the full scan's "
                       f"{worst[1]:.1f} ms")
    finally:
        rm.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=20000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--backend", choices=CHOICES, default="both")
    args = parser.parse_args()
    results: list[str] = []
    on_each_backend(args.backend, lambda label, url: bench(label, url, args.families, args.calls, results))
    print(f"\nratio (goal: p99 under 50 ms, prefilter / full scan): {'; '.join(results)}")


if __name__ == "__main__":
    main()
