"""The indexed prefilter with the score's SQL mirror ranks exactly like the pure module over a full scan."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from benchmarks.suggestions import NEEDS, fill
from projections.bootstrap import ReadModelsImpl


def test_prefilter_ranks_like_a_full_scan(database_url: str) -> None:
    rm = ReadModelsImpl(database_url)
    try:
        fill(rm, 400, seed=11)
        today = date.today()
        needs = [*NEEDS.values(),
                 replace(NEEDS["teen familjehem, ar"], languages=("ar", "so", "fi"), municipality="1280"),
                 replace(NEEDS["small child jourhem"], expected_start=today + timedelta(days=400), children=3)]
        for need in needs:
            for limit in (5, 20, None):
                fast = rm.suggestions(need, limit, today)
                assert fast == rm.suggestions_full_scan(need, limit, today), (need, limit)
            assert fast, need  # the data gives every shape some families
    finally:
        rm.close()
