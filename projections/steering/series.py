"""Two statistics series: families and placements by home type, and each member's pool share per year."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from pool.domain.family_support import HomeType
from projections.core.view import View


def ratio(part: int, whole: int, places: str) -> str | None:
    """As projections/steering/statistics.py (which imports this module, so not from there)."""
    return str((Decimal(part) / Decimal(whole)).quantize(Decimal(places), ROUND_HALF_EVEN)) if whole else None


def home_types(v: View, start: str, end: str, at: date, municipality: str | None) -> list[dict[str, Any]]:
    """Network homes and recruited homes counted apart (seed 004): families approved in the period,
    approved and not closed on `at`, published on `at`; placements started in the period and active on `at`.

    Families by their home municipality, placements by the placing member, when one member is asked for."""
    day = at.isoformat()
    fwhere, fparams = "", []
    pwhere, pparams = "", []
    if municipality is not None:
        fwhere, fparams = " AND f.home_municipality = ?", [municipality]
        pwhere, pparams = " AND p.municipality = ?", [municipality]
    counts: dict[str, dict[str, int]] = {t.value: {} for t in HomeType}

    def add(key: str, sql: str, params: list[Any]) -> None:
        for r in v.query(sql, params):
            counts.setdefault(r["home_type"], {})[key] = int(r["n"])

    add("approved_in_period", "SELECT f.home_type, COUNT(*) AS n FROM {s}st_families f WHERE f.approved_on >= ? "
        f"AND f.approved_on <= ?{fwhere} GROUP BY f.home_type", [start, end, *fparams])
    add("approved", "SELECT f.home_type, COUNT(*) AS n FROM {s}st_families f WHERE f.approved_on <= ? "
        f"AND (f.closed_on IS NULL OR f.closed_on > ?){fwhere} GROUP BY f.home_type", [day, day, *fparams])
    add("published", "SELECT f.home_type, COUNT(DISTINCT f.family_id) AS n FROM {s}st_published w "
        "JOIN {s}st_families f ON f.family_id = w.family_id WHERE w.from_day <= ? AND (w.to_day IS NULL OR "
        f"w.to_day > ?){fwhere} GROUP BY f.home_type", [day, day, *fparams])
    add("placements_started", "SELECT f.home_type, COUNT(*) AS n FROM {s}st_placements p JOIN {s}st_families f "
        f"ON f.family_id = p.family_id WHERE p.start_date >= ? AND p.start_date <= ?{pwhere} GROUP BY f.home_type",
        [start, end, *pparams])
    add("placements_active", "SELECT f.home_type, COUNT(*) AS n FROM {s}st_placements p JOIN {s}st_families f "
        "ON f.family_id = p.family_id WHERE p.start_date <= ? AND (p.end_date IS NULL OR p.end_date > ?)"
        f"{pwhere} GROUP BY f.home_type", [day, day, *pparams])
    keys = ("approved_in_period", "approved", "published", "placements_started", "placements_active")
    return [{"home_type": t, **{k: c.get(k, 0) for k in keys}} for t, c in counts.items()]


def pool_share_by_year(v: View, placed_on: Callable[[date, list[str]], dict[str, list[str]]], last_year: int,
                       municipality: str | None) -> list[dict[str, Any]]:
    """Per member and year with a recorded placed-children figure (up to `last_year`): the share of its
    placed children that came through the pool. The figure is the member's count on 1 November; the pool's
    count is its out-of-home placements active that day, as in the cost allocation (pool/allocation.py)."""
    where, params = "pc.year <= ?", [last_year]
    if municipality is not None:
        where += " AND m.kommunkod = ?"
        params.append(municipality)
    rows = v.query("SELECT m.kommunkod, m.name, pc.year, pc.children FROM {s}st_placed_children pc "
                   f"JOIN {{s}}st_members m ON m.member_id = pc.member_id WHERE {where} ORDER BY m.kommunkod, pc.year",
                   params)
    by_year: dict[int, list[str]] = {}
    for r in rows:
        by_year.setdefault(int(r["year"]), []).append(r["kommunkod"])
    pool = {year: placed_on(date(year, 11, 1), codes) for year, codes in by_year.items()}
    out = []
    for r in rows:
        year, placed = int(r["year"]), int(r["children"])
        through_pool = len(pool[year].get(r["kommunkod"], []))
        out.append({"municipality": r["kommunkod"], "name": r["name"], "year": year, "placed_children": placed,
                    "pool_placements": through_pool, "pool_share": ratio(through_pool, placed, "0.0001")})
    return out
