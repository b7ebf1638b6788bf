"""The steering group's statistics (docs/statistics.md): aggregates of the steering view, no personal data."""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from statistics import median
from typing import Any

from pool.allocation import AllocationError
from pool.errors import InvalidInputError, Note, PoolError
from pool.values import Kind
from projections.contract import StatisticsPeriod
from projections.core.view import View
from projections.steering.queries import month_cutoff

AGE_BANDS = (("0-6", 0, 6), ("7-12", 7, 12), ("13-17", 13, 17))
WAITING_STATUSES = ("applied", "under_investigation", "approved")


def nearest_rank(values: list[int], p: float) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(p * len(ordered)) - 1, 0)]


def median_days(values: list[int]) -> int | None:
    return int(round(median(values))) if values else None


def ratio(part: int, whole: int, places: str = "0.01") -> str | None:
    if not whole:
        return None
    return str((Decimal(part) / Decimal(whole)).quantize(Decimal(places), ROUND_HALF_EVEN))


def days_between(a: str, b: str) -> int:
    return (date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days


class StatisticsQueries:
    """Mixed into ReadModelsImpl next to SteeringQueries (it uses `allocation`)."""

    views: dict[str, View]

    def statistics(self, period: StatisticsPeriod, municipality: str | None = None,
                   today: date | None = None) -> dict[str, Any]:
        if period.start > period.end:
            raise InvalidInputError("statistics.start_after_end", field="start")
        v = self.views["steering"]
        today = today or date.today()
        start, end = period.start.isoformat(), period.end.isoformat()
        return {
            "period": {"start": start, "end": end},
            "municipality": municipality,
            "supply_demand": self._supply_demand(v, today, municipality),
            "waiting": self._waiting(v, today, municipality),
            "funnel": self._funnel(v, start, end, municipality),
            "time_to_placement": self._time_to_placement(v, start, end, municipality),
            **self._placements(v, start, end, municipality, today),
            **self._shares(v, period, municipality),
        }

    @staticmethod
    def _supply_demand(v: View, today: date, municipality: str | None) -> list[dict[str, Any]]:
        # Supply is the pool's (families serve every member); demand is the member's when one is asked for.
        cells, params = [], []
        for kind in Kind:
            for _, lo, hi in AGE_BANDS:
                cells.append("SUM(CASE WHEN kinds LIKE ? AND child_age_min <= ? AND child_age_max >= ? "
                             "THEN 1 ELSE 0 END)")
                params += [f"%|{kind.value}|%", hi, lo]
        supply_row = v.query(f"SELECT {', '.join(f'{c} AS c{i}' for i, c in enumerate(cells))} FROM {{s}}st_families "
                             "WHERE status = 'published' AND active_placements < max_children", params)[0]
        band = ("CASE WHEN child_birth_month > ? THEN '0-6' WHEN child_birth_month > ? THEN '7-12' "
                "WHEN child_birth_month > ? THEN '13-17' ELSE '18+' END")
        where, dparams = "status IN ('open', 'matched')", [month_cutoff(today, 7), month_cutoff(today, 13),
                                                            month_cutoff(today, 18)]
        if municipality is not None:
            where += " AND municipality = ?"
            dparams.append(municipality)
        demand: dict[tuple[str, str], dict[str, int]] = {}
        for r in v.query(f"SELECT municipality, kind, {band} AS band, COUNT(*) AS n FROM {{s}}st_referrals "
                         f"WHERE {where} GROUP BY 1, 2, 3", dparams):
            demand.setdefault((r["kind"], r["band"]), {})[r["municipality"]] = int(r["n"])
        rows, i = [], 0
        for kind in Kind:
            for name, _, _ in AGE_BANDS:
                by_member = demand.get((kind.value, name), {})
                rows.append({"kind": kind.value, "age_band": name, "supply": int(supply_row[f"c{i}"] or 0),
                             "demand": sum(by_member.values()), "demand_by_member": dict(sorted(by_member.items()))})
                i += 1
        return rows

    @staticmethod
    def _waiting(v: View, today: date, municipality: str | None) -> list[dict[str, Any]]:
        where, params = f"status IN ({','.join('?' * len(WAITING_STATUSES))})", list(WAITING_STATUSES)
        if municipality is not None:
            where += " AND home_municipality = ?"
            params.append(municipality)
        days: dict[str, list[int]] = {s: [] for s in WAITING_STATUSES}
        for r in v.query(f"SELECT status, applied_on FROM {{s}}st_families WHERE {where}", params):
            days[r["status"]].append(days_between(r["applied_on"], today.isoformat()))
        return [{"status": s, "count": len(d), "median_days": median_days(d), "p90_days": nearest_rank(d, 0.9),
                 "oldest_days": max(d) if d else None} for s, d in days.items()]

    @staticmethod
    def _funnel(v: View, start: str, end: str, municipality: str | None) -> list[dict[str, Any]]:
        where, params = "applied_on >= ? AND applied_on <= ?", [start, end]
        if municipality is not None:
            where += " AND home_municipality = ?"
            params.append(municipality)
        cohort = v.query(f"SELECT applied_on, approved_on, published_on, first_placement_on FROM {{s}}st_families "
                         f"WHERE {where}", params)
        steps = [("applied", "applied_on"), ("approved", "approved_on"), ("published", "published_on"),
                 ("first_placement", "first_placement_on")]
        result, previous_count = [], None
        reached = cohort
        for i, (step, column) in enumerate(steps):
            # A chain: a step counts the families that reached it AND every step before it, so no
            # step exceeds the one before (a family placed without ever being published is not in
            # the last step). A date recorded before the previous step's counts as 0 days.
            reached = [r for r in reached if r[column]]
            gaps = [max(days_between(r[steps[i - 1][1]], r[column]), 0) for r in reached] if i else []
            result.append({"step": step, "count": len(reached),
                           "conversion": ratio(len(reached), previous_count) if i else None,
                           "median_days": median_days(gaps) if i else None})
            previous_count = len(reached)
        return result

    @staticmethod
    def _time_to_placement(v: View, start: str, end: str, municipality: str | None) -> dict[str, Any]:
        where, params = "p.start_date >= ? AND p.start_date <= ?", [start, end]
        if municipality is not None:
            where += " AND p.municipality = ?"
            params.append(municipality)
        days = [days_between(r["decision_date"], r["start_date"]) for r in v.query(
            "SELECT r.decision_date, p.start_date FROM {s}st_placements p "
            f"JOIN {{s}}st_referrals r ON r.referral_id = p.referral_id WHERE {where}", params)]
        return {"count": len(days), "median_days": median_days(days), "p90_days": nearest_rank(days, 0.9)}

    @staticmethod
    def _placements(v: View, start: str, end: str, municipality: str | None, today: date) -> dict[str, Any]:
        # Grouped range scans on the start-date, end-date and due indexes. Active and overdue are as of
        # today (an overdue placement, past its planned end and not ended, still counts as active).
        counts: dict[str, dict[str, int]] = {}
        for r in v.query("SELECT municipality, COUNT(*) AS n FROM {s}st_placements "
                         "WHERE start_date >= ? AND start_date <= ? GROUP BY municipality", [start, end]):
            counts.setdefault(r["municipality"], {})["started"] = int(r["n"])
        for r in v.query("SELECT municipality, COUNT(*) AS n, SUM(CASE WHEN end_reason = 'breakdown' THEN 1 ELSE 0 "
                         "END) AS b FROM {s}st_placements WHERE end_date >= ? AND end_date <= ? "
                         "GROUP BY municipality", [start, end]):
            counts.setdefault(r["municipality"], {}).update(ended=int(r["n"]), breakdowns=int(r["b"] or 0))
        for r in v.query("SELECT municipality, COUNT(*) AS n, SUM(CASE WHEN planned_end_date < ? THEN 1 ELSE 0 END) "
                         "AS o FROM {s}st_placements WHERE end_date IS NULL GROUP BY municipality",
                         [today.isoformat()]):
            counts.setdefault(r["municipality"], {}).update(active=int(r["n"]), overdue=int(r["o"] or 0))
        names = {r["kommunkod"]: r["name"] for r in v.query("SELECT kommunkod, name FROM {s}st_members")}
        codes = sorted(set(names) | set(counts))
        if municipality is not None:
            codes = [c for c in codes if c == municipality]
        keys = ("started", "ended", "breakdowns", "active", "overdue")
        items = [{"municipality": c, "name": names.get(c, c), **{k: counts.get(c, {}).get(k, 0) for k in keys}}
                 for c in codes]
        total = {k: sum(i[k] for i in items) for k in keys}
        return {"placements": items, "placements_total": total}

    def _shares(self, v: View, period: StatisticsPeriod, municipality: str | None) -> dict[str, Any]:
        started = {r["municipality"]: int(r["n"]) for r in v.query(
            "SELECT municipality, COUNT(*) AS n FROM {s}st_placements WHERE start_date >= ? AND start_date <= ? "
            "GROUP BY municipality", [period.start.isoformat(), period.end.isoformat()])}
        total = sum(started.values())
        note, budget_share = None, {}
        try:
            allocation = self.allocation(period.end.year)  # type: ignore[attr-defined]
            budget_share = {m.municipality: str(m.share.quantize(Decimal("0.0001"))) for m in allocation.members}
        except (AllocationError, PoolError) as e:
            # A note, worded at the edge in the reader's language; the refusal's own code says why.
            note = Note("statistics.shares_unavailable", {"year": period.end.year, "cause": e.code})
        names = {r["kommunkod"]: r["name"] for r in v.query("SELECT kommunkod, name FROM {s}st_members")}
        codes = sorted(set(names) | set(started))
        if municipality is not None:
            codes = [c for c in codes if c == municipality]
        return {"shares": [{"municipality": c, "name": names.get(c, c), "budget_share": budget_share.get(c),
                            "pool_placements": started.get(c, 0),
                            "placements_share": ratio(started.get(c, 0), total, "0.0001")} for c in codes],
                "shares_note": note}
