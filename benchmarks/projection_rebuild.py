"""Rebuild rate of every projection against the raw read rate of the event table.

    .venv/bin/python benchmarks/projection_rebuild.py [--events 20000] [--backend both|sqlite|postgres]

Creates N events in a fresh SQLite file and/or a fresh PostgreSQL schema (a mix of families,
referrals, interests, placements and audited reads), then measures:
  * baseline: select_notifications pages of 1000 (raw read, no decoding);
  * each projection: rebuild() = drop + replay from 0 with batched view transactions.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.backends import CHOICES, on_each_backend  # noqa: E402
from pool.bootstrap import bootstrap, close  # noqa: E402
from pool.domain.access import DataAccess  # noqa: E402
from pool.sealing import MasterKey  # noqa: E402
from projections.registry import NAMES  # noqa: E402
from projections.core.storage import open_reader  # noqa: E402
from projections.runtime import rebuild  # noqa: E402
from tests.conftest import SOLNA, STAFF  # noqa: E402
from tests.factories import add_members, published_family, referral_data  # noqa: E402

def populate(url: str, events: int) -> int:
    app = bootstrap(url, MasterKey.from_base64(MasterKey.generate_base64()))
    try:
        add_members(app)
        actor = STAFF.as_event_data()
        while (app.recorder.max_notification_id() or 0) < events:
            family = published_family(app, preferences={"child_age_min": 0, "child_age_max": 17, "max_children": 3})
            referral = app.register_referral(SOLNA, **referral_data(decision_date="2024-12-01")).id
            app.express_interest(SOLNA, family, referral_id=referral)
            placement = app.start_placement(STAFF, family_id=family, municipality="0184", kind="familjehem",
                                            start_date="2025-01-01", planned_end_date="2026-01-01",
                                            child_birth_month="2015-01", referral_id=referral).id
            app.end_placement(STAFF, placement, end_date="2025-06-01", reason="planned")
            app.save(*[DataAccess(actor=actor, subject_type="family", subject_id=family, via="bench", fields=["names"])
                       for _ in range(150)])
        return app.recorder.max_notification_id()
    finally:
        close(app)


def raw_read_rate(url: str) -> float:
    from projections.core.storage import as_storage

    reader = open_reader(as_storage(url))
    try:
        started, position, count = time.perf_counter(), 0, 0
        while True:
            page = reader.recorder.select_notifications(position, 1000, inclusive_of_start=False)
            if not page:
                break
            position, count = page[-1].id, count + len(page)
        return count / (time.perf_counter() - started)
    finally:
        reader.close()


def bench(label: str, url: str, events: int) -> None:
    t = time.perf_counter()
    head = populate(url, events)
    print(f"\n{label}: {head} events created in {time.perf_counter() - t:.1f} s")
    baseline = raw_read_rate(url)
    print(f"  {'baseline select_notifications':<32}{baseline:>12,.0f} events/s")
    for name in NAMES:
        started = time.perf_counter()
        applied = rebuild(url, name, batch_size=1000)
        rate = applied / (time.perf_counter() - started)
        print(f"  {'rebuild ' + name:<32}{rate:>12,.0f} events/s   {rate / baseline:6.1%} of baseline")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--backend", choices=CHOICES, default="both")
    args = parser.parse_args()
    on_each_backend(args.backend, lambda label, url: bench(label, url, args.events))


if __name__ == "__main__":
    main()
