"""Cost of the steering group's answers (allocation, statistics, IVO report) as the view grows.

    .venv/bin/python benchmarks/steering_queries.py [--rows 5000] [--backend both|sqlite|postgres]

Fills the steering view's tables with synthetic rows through the view's own statements (the
projection's write path without the events, so only the read cost is measured), at N and 4N
placements (with as many referrals and half as many families), then times each answer against a
baseline run on the same tables in the same run: one full scan of the placements table reading two columns (SUM of their lengths).
A ratio that stays flat from N to 4N means the answer grows like one scan, not worse.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.backends import CHOICES, on_each_backend  # noqa: E402
from projections.bootstrap import ReadModelsImpl  # noqa: E402
from projections.contract import StatisticsPeriod  # noqa: E402
from projections.core.storage import as_storage, open_reader  # noqa: E402
from projections.core.encoding import bars  # noqa: E402

MEMBERS = ["0114", "0139", "0163", "0183", "0184", "0191"]
KINDS = ["familjehem", "jourhem", "kontaktfamilj", "kontaktperson", "korttidsfamilj"]


def fill(rm: ReadModelsImpl, placements: int, rng: random.Random) -> None:
    view = rm.views["steering"]
    day0 = date(2022, 1, 1)

    def some_day(span: int = 1700) -> str:
        return (day0 + timedelta(days=rng.randrange(span))).isoformat()

    changes = [("member", [str(uuid.uuid4()), code, f"Kommun {code}", "2020-01-01"]) for code in MEMBERS]
    changes += [("budget", [str(uuid.uuid4()), year, "7300000.00"]) for year in range(2022, 2028)]
    if not view.count("SELECT COUNT(*) FROM {s}st_members"):
        view.execute_now(changes)
    ids = {r["kommunkod"]: r["member_id"] for r in view.query("SELECT * FROM {s}st_members")}
    view.execute_now([("population", [ids[c], y, rng.randrange(5000, 20000), "x"]) for c in MEMBERS
                      for y in range(2021, 2027)])  # an upsert: the second fill just replaces them
    view.execute_now([("placed_children", [ids[c], y, rng.randrange(50, 200), "x"]) for c in MEMBERS
                      for y in range(2021, 2027)])
    rows = []
    families = [str(uuid.uuid4()) for _ in range(placements // 2)]
    for f in families:
        rows.append(("family", [f, bars(sorted(rng.sample(KINDS, 2))), rng.choice(MEMBERS), some_day(), 0, 17, 3]))
        rows.append(("family_published", [some_day(), some_day(), f]))
    for _ in range(placements):
        r, p = str(uuid.uuid4()), str(uuid.uuid4())
        born = f"{rng.randrange(2008, 2024)}-{rng.randrange(1, 13):02d}"
        rows.append(("referral", [r, rng.choice(MEMBERS), rng.choice(KINDS), rng.choice(["SoL", "LVU"]), some_day(),
                                  born]))
        start = some_day()
        rows.append(("placement", [p, rng.choice(MEMBERS), rng.choice(families), rng.choice(KINDS), r, start, born]))
        rows.append(("referral_placed", [start, start, r]))
        if rng.random() < 0.5:
            rows.append(("placement_end", [some_day(), rng.choice(["planned", "breakdown"]), p]))
    view.execute_now(rows)


def timed(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def bench(label: str, url: str, placements: int) -> None:
    open_reader(as_storage(url)).close()
    rm = ReadModelsImpl(url)
    try:
        rng = random.Random(7)
        done = 0
        for size in (placements, placements * 4):
            fill(rm, size - done, rng)
            done = size
            view = rm.views["steering"]
            baseline = timed(lambda: view.count("SELECT SUM(LENGTH(start_date) + LENGTH(kind)) FROM {s}st_placements"))
            print(f"\n{label}, {size} placements/referrals: baseline full scan {baseline * 1000:.2f} ms")
            for name, fn in [("allocation(2026)", lambda: rm.allocation(2026)),
                             ("statistics(2025)", lambda: rm.statistics(StatisticsPeriod.year(2025))),
                             ("statistics(2025, 0184)", lambda: rm.statistics(StatisticsPeriod.year(2025), "0184")),
                             ("non_executed(2025, Q4)", lambda: rm.non_executed(2025, 4, None))]:
                t = timed(fn)
                print(f"  {name:<26}{t * 1000:>9.2f} ms   {t / baseline:6.1f} x baseline")
    finally:
        rm.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--backend", choices=CHOICES, default="both")
    args = parser.parse_args()
    on_each_backend(args.backend, lambda label, url: bench(label, url, args.rows))


if __name__ == "__main__":
    main()
