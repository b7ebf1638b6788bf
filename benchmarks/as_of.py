"""Cost of `as_of` answers (history tables) against replaying the events until then, and against one scan.

    .venv/bin/python benchmarks/as_of.py [--families 2000] [--backend both|sqlite|postgres]

Creates a history through the application in a fresh SQLite file and/or PostgreSQL schema (families
published, referrals, interests, some families unpublished again), rebuilds the views (which writes
their row versions), picks the moment halfway through the events and times, per list:
  * as_of: the list as the system knew it then, from the history tables (best of 5), and today's for comparison;
  * replay: what answering without them takes: a view rebuilt from the events until then, then the list
    (projections.rebuild.replay_until; the answers must be equal, else ERRORS);
  * scan: one full scan of the list's main history table reading one column (SUM of its lengths).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.backends import CHOICES, on_each_backend  # noqa: E402
from pool.bootstrap import bootstrap, close  # noqa: E402
from pool.sealing import MasterKey  # noqa: E402
from projections.bootstrap import ReadModelsImpl  # noqa: E402
from projections.contract import CatalogueFilter, StatisticsPeriod  # noqa: E402
from projections.core.storage import as_storage, open_reader  # noqa: E402
from projections.rebuild import replay_until  # noqa: E402
from projections.runtime import rebuild  # noqa: E402
from tests.conftest import SOLNA, STAFF  # noqa: E402
from tests.factories import add_members, published_family, referral_data  # noqa: E402

LISTS: dict[str, tuple[str, str, Any]] = {  # name: (view, main table, query)
    "catalogue": ("catalogue", "catalogue", lambda rm: rm.catalogue(CatalogueFilter(), limit=50)),
    "register": ("register", "reg_families", lambda rm: rm.register(limit=50)),
    "interests(0184)": ("municipality", "mv_interests", lambda rm: rm.interests("0184", limit=50)),
    "statistics(2026)": ("steering", "st_families", lambda rm: rm.statistics(StatisticsPeriod.year(2026))),
}


def populate(url: str, families: int) -> None:
    app = bootstrap(url, MasterKey.from_base64(MasterKey.generate_base64()))
    try:
        add_members(app)
        for i in range(families):
            family = published_family(app, preferences={"child_age_min": 0, "child_age_max": 17, "max_children": 3})
            referral = app.register_referral(SOLNA, **referral_data(decision_date="2024-12-01")).id
            app.express_interest(SOLNA, family, referral_id=referral)
            if i % 3 == 0:
                app.unpublish_family(STAFF, family)
    finally:
        close(app)


def timed(fn: Any, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def bench(label: str, url: str, families: int, results: list[str]) -> None:
    started = time.perf_counter()
    populate(url, families)
    for name in ("catalogue", "register", "municipality", "steering"):
        rebuild(url, name)
    reader = open_reader(as_storage(url))
    head = reader.recorder.max_notification_id() or 0
    middle = reader.recorder.select_notifications(head // 2, 1)[0]
    moment = reader.mapper.to_domain_event(middle).timestamp
    reader.close()
    print(f"\n{label}: {head} events, {families} families ({time.perf_counter() - started:.1f} s); as_of = the "
          f"moment of event {middle.id}", flush=True)
    rm = ReadModelsImpl(url)
    worst = (0.0, 0.0, 1.0, "")
    try:
        past = rm.at(moment)
        for n, (list_name, (view_name, table, query)) in enumerate(LISTS.items()):
            fast = timed(lambda: query(past))
            today = timed(lambda: query(rm))
            scan = timed(lambda: rm.views[view_name].count(f"SELECT SUM(LENGTH(valid_from)) FROM {{s}}{table}_history"))
            t0 = time.perf_counter()
            rebuilt = object.__new__(ReadModelsImpl)
            rebuilt.__dict__.update(rm.__dict__)
            rebuilt.views = {**rm.views, view_name: replay_until(url, view_name, moment, rm._datastore,
                                                                  suffix=f"__bench{n}")}
            slow_answer = query(rebuilt)
            replay = time.perf_counter() - t0
            rebuilt.views[view_name].discard_rebuild()
            if query(past) != slow_answer:
                print(f"ERRORS: the as_of answer and the replay disagree for {list_name}")
            print(f"  {list_name:<18} as_of {fast * 1000:8.2f} ms (today's {today * 1000:7.2f} ms) | replay until then {replay * 1000:9.1f} ms | "
                  f"scan of {table}_history {scan * 1000:7.2f} ms", flush=True)
            if fast / replay >= worst[0] / (worst[1] or 1):
                worst = (fast, replay, scan, list_name)
    finally:
        rm.close()
    results.append(f"{label} slowest as_of {worst[0] * 1000:.1f} ms ({worst[3]}) = {100 * worst[0] / worst[1]:.2f} % "
                   f"of replaying until then, {100 * worst[0] / worst[2]:.0f} % of one history scan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=2000)
    parser.add_argument("--backend", choices=CHOICES, default="both")
    args = parser.parse_args()
    results: list[str] = []
    on_each_backend(args.backend, lambda label, url: bench(label, url, args.families, results))
    print(f"\nratio (as_of / replay until then, as_of / one scan): {'; '.join(results)}")


if __name__ == "__main__":
    main()
