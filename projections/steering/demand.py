"""Behov och tillgång: demand against supply and the pipeline, month by month, by kind and age band.

Demand on a day: referrals decided by then and neither placed nor ended by then (per member).
Supply on a day: families published that day with a free place (placements active that day fewer
than their maximum). Pipeline on a day: applicants not yet approved, rejected or withdrawn. Each
family counts in every kind it offers and every age band its accepted range overlaps, so the
rows are not additive. Four range scans of the steering view, then arithmetic per month end.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date
from typing import Any

from pool.values import Kind
from projections.core.view import View
from projections.steering.dates import month_cutoff

AGE_BANDS = (("0-6", 0, 6), ("7-12", 7, 12), ("13-17", 13, 17))


def month_ends(today: date, months: int) -> list[date]:
    """The last day of each of the `months` months up to this one; this month's is today."""
    out = []
    y, m = today.year, today.month
    for _ in range(months):
        last = date(y, m, calendar.monthrange(y, m)[1])
        out.append(min(last, today))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def _active(start: str | None, end: str | None, day: str, end_inclusive: bool = False) -> bool:
    if start is None or start > day:
        return False
    return end is None or (end >= day if end_inclusive else end > day)


def _bands(age_min: int, age_max: int) -> list[str]:
    return [name for name, lo, hi in AGE_BANDS if age_min <= hi and age_max >= lo]


def _child_band(birth_month: str, on: date) -> str | None:
    if birth_month > month_cutoff(on, 7):
        return "0-6"
    if birth_month > month_cutoff(on, 13):
        return "7-12"
    if birth_month > month_cutoff(on, 18):
        return "13-17"
    return None  # 18 or older on that day: no longer a child's referral


def demand_and_supply(view: View, today: date, months: int = 24,
                      municipality: str | None = None) -> dict[str, Any]:
    ends = month_ends(today, months)
    first, last = ends[0].isoformat(), ends[-1].isoformat()
    families = {r["family_id"]: r for r in view.query(
        "SELECT family_id, kinds, child_age_min, child_age_max, max_children, applied_on, approved_on, closed_on "
        "FROM {s}st_families WHERE applied_on <= ? AND (closed_on IS NULL OR closed_on > ?)", [last, first])}
    stretches = view.query("SELECT family_id, from_day, to_day FROM {s}st_published "
                           "WHERE from_day <= ? AND (to_day IS NULL OR to_day > ?)", [last, first])
    placed = defaultdict(list)
    for r in view.query("SELECT family_id, start_date, end_date FROM {s}st_placements "
                        "WHERE start_date <= ? AND (end_date IS NULL OR end_date >= ?)", [last, first]):
        placed[r["family_id"]].append((r["start_date"], r["end_date"]))
    scope, params = ("AND municipality = ? ", [municipality]) if municipality else ("", [])
    referrals = view.query(
        "SELECT municipality, kind, child_birth_month, decision_date, first_placement_on, ended_on "
        "FROM {s}st_referrals WHERE decision_date <= ? AND (first_placement_on IS NULL OR first_placement_on > ?) "
        "AND (ended_on IS NULL OR ended_on > ?) " + scope, [last, first, first, *params])
    result = []
    for on in ends:
        day = on.isoformat()
        supply: dict[tuple[str, str], int] = defaultdict(int)
        for s in stretches:
            f = families.get(s["family_id"])
            if f is None or not _active(s["from_day"], s["to_day"], day):
                continue
            busy = sum(_active(a, b, day, end_inclusive=True) for a, b in placed[s["family_id"]])
            if busy < int(f["max_children"]):
                _count(supply, f)
        pipeline: dict[tuple[str, str], int] = defaultdict(int)
        for f in families.values():
            if _active(f["applied_on"], f["closed_on"], day) and not (f["approved_on"] and f["approved_on"] <= day):
                _count(pipeline, f)
        demand: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for r in referrals:
            placed_on = min(x for x in (r["first_placement_on"], r["ended_on"]) if x) if (
                r["first_placement_on"] or r["ended_on"]) else None
            band = _child_band(r["child_birth_month"], on)
            if band and _active(r["decision_date"], placed_on, day):
                demand[(r["kind"], band)][r["municipality"]] += 1
        rows = [{"kind": k.value, "age_band": b, "demand": sum(demand[(k.value, b)].values()),
                 "demand_by_member": dict(sorted(demand[(k.value, b)].items())),
                 "supply": supply[(k.value, b)], "pipeline": pipeline[(k.value, b)]}
                for k in Kind for b, _, _ in AGE_BANDS]
        result.append({"month": day[:7], "on": on, "rows": rows})
    latest = result[-1]["rows"]
    gaps = sorted((r for r in latest if r["demand"] > r["supply"]), key=lambda r: (r["supply"] - r["demand"],
                                                                                  r["kind"], r["age_band"]))
    return {"months": result, "gaps": gaps, "municipality": municipality}


def _count(into: dict[tuple[str, str], int], family: dict[str, Any]) -> None:
    for kind in Kind:
        if f"|{kind.value}|" in family["kinds"]:
            for band in _bands(int(family["child_age_min"]), int(family["child_age_max"])):
                into[(kind.value, band)] += 1
