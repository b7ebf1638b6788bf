"""The steering group's statistics (docs/statistics.md): aggregates of the steering view, no personal data."""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from statistics import median
from typing import Any

from pool.allocation import AllocationError
from pool.errors import InvalidInputError, Note, PoolError
from pool.values import OUT_OF_HOME_KINDS, Kind
from projections.contract import StatisticsPeriod
from projections.core.view import View
from projections.steering.queries import month_cutoff
from projections.steering.series import home_types, pool_share_by_year

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
        at = min(period.end, today)  # "at the end of the period", or today for a period not yet over
        start, end = period.start.isoformat(), period.end.isoformat()
        return {
            "period": {"start": start, "end": end},
            "municipality": municipality,
            "as_of": at.isoformat(),
            "supply_demand": self._supply_demand(v, at, municipality),
            "waiting": self._waiting(v, at, municipality),
            "funnel": self._funnel(v, start, end, municipality),
            "time_to_placement": self._time_to_placement(v, start, end, municipality),
            "time_from_decision": self._time_from_decision(v, start, end, municipality),
            **self._placements(v, start, end, municipality, at),
            **self._shares(v, period, municipality),
            "home_types": home_types(v, start, end, at, municipality),
            "pool_share_by_year": pool_share_by_year(v, self.placed_on, period.end.year,  # type: ignore[attr-defined]
                                                     municipality),
        }

    @staticmethod
    def _supply_demand(v: View, at: date, municipality: str | None) -> list[dict[str, Any]]:
        """Supply and demand as they stood on `at`: published families with a free place that day
        against referrals decided by then and neither placed nor ended by then."""
        # Supply is the pool's (families serve every member); demand is the member's when one is asked for.
        day = at.isoformat()
        families = v.query(
            "SELECT f.kinds, f.child_age_min, f.child_age_max, f.max_children, "
            "(SELECT COUNT(*) FROM {s}st_placements p WHERE p.family_id = f.family_id AND p.start_date <= ? "
            "AND (p.end_date IS NULL OR p.end_date >= ?)) AS active "
            "FROM {s}st_published w JOIN {s}st_families f ON f.family_id = w.family_id "
            "WHERE w.from_day <= ? AND (w.to_day IS NULL OR w.to_day > ?)", [day, day, day, day])
        supply: dict[tuple[str, str], int] = {}
        for f in families:
            if int(f["active"]) >= int(f["max_children"]):
                continue
            for kind in Kind:
                if f"|{kind.value}|" not in f["kinds"]:
                    continue
                for name, lo, hi in AGE_BANDS:
                    if int(f["child_age_min"]) <= hi and int(f["child_age_max"]) >= lo:
                        supply[(kind.value, name)] = supply.get((kind.value, name), 0) + 1
        band = ("CASE WHEN child_birth_month > ? THEN '0-6' WHEN child_birth_month > ? THEN '7-12' "
                "WHEN child_birth_month > ? THEN '13-17' ELSE '18+' END")
        where = ("decision_date <= ? AND (first_placement_on IS NULL OR first_placement_on > ?) "
                 "AND (ended_on IS NULL OR ended_on > ?)")
        dparams: list[Any] = [month_cutoff(at, 7), month_cutoff(at, 13), month_cutoff(at, 18), day, day, day]
        if municipality is not None:
            where += " AND municipality = ?"
            dparams.append(municipality)
        demand: dict[tuple[str, str], dict[str, int]] = {}
        for r in v.query(f"SELECT municipality, kind, {band} AS band, COUNT(*) AS n FROM {{s}}st_referrals "
                         f"WHERE {where} GROUP BY 1, 2, 3", dparams):
            demand.setdefault((r["kind"], r["band"]), {})[r["municipality"]] = int(r["n"])
        rows = []
        for kind in Kind:
            for name, _, _ in AGE_BANDS:
                by_member = demand.get((kind.value, name), {})
                rows.append({"kind": kind.value, "age_band": name, "supply": supply.get((kind.value, name), 0),
                             "demand": sum(by_member.values()), "demand_by_member": dict(sorted(by_member.items()))})
        return rows

    @staticmethod
    def _waiting(v: View, at: date, municipality: str | None) -> list[dict[str, Any]]:
        """Applicants waiting on `at`, by the stage they were in that day, and for how long since applying."""
        day = at.isoformat()
        where, params = "applied_on <= ? AND (closed_on IS NULL OR closed_on > ?)", [day, day]
        if municipality is not None:
            where += " AND home_municipality = ?"
            params.append(municipality)
        days: dict[str, list[int]] = {s: [] for s in WAITING_STATUSES}
        for r in v.query("SELECT applied_on, investigated_on, approved_on, published_on, first_placement_on "
                         f"FROM {{s}}st_families WHERE {where}", params):
            if any(r[c] and r[c] <= day for c in ("published_on", "first_placement_on")):
                continue  # published or placed with by then: no longer waiting
            if r["approved_on"] and r["approved_on"] <= day:
                stage = "approved"
            elif r["investigated_on"] and r["investigated_on"] <= day:
                stage = "under_investigation"
            else:
                stage = "applied"
            days[stage].append(days_between(r["applied_on"], day))
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
    def _time_from_decision(v: View, start: str, end: str, municipality: str | None) -> list[dict[str, Any]]:
        """Days from a referral's decision to its first proposal, first brokering and first placement,
        for referrals that reached that step within the period."""
        out = []
        for step, column in (("proposal", "first_proposal_on"), ("brokering", "first_brokered_on"),
                             ("placement", "first_placement_on")):
            where, params = f"{column} >= ? AND {column} <= ?", [start, end]
            if municipality is not None:
                where += " AND municipality = ?"
                params.append(municipality)
            days = [max(days_between(r["decision_date"], r[column]), 0) for r in v.query(
                f"SELECT decision_date, {column} FROM {{s}}st_referrals WHERE {where}", params)]
            out.append({"step": step, "count": len(days), "median_days": median_days(days),
                        "p90_days": nearest_rank(days, 0.9)})
        return out

    @staticmethod
    def _placements(v: View, start: str, end: str, municipality: str | None, at: date) -> dict[str, Any]:
        # Grouped range scans on the start-date and end-date indexes. Active and overdue are on `at` (the
        # period's last day, or today): an overdue placement, past its planned end (as now recorded) and
        # not ended, still counts as active. Overdue is asked of the planned end here, never stored.
        counts: dict[str, dict[str, int]] = {}
        for r in v.query("SELECT municipality, COUNT(*) AS n FROM {s}st_placements "
                         "WHERE start_date >= ? AND start_date <= ? GROUP BY municipality", [start, end]):
            counts.setdefault(r["municipality"], {})["started"] = int(r["n"])
        for r in v.query("SELECT municipality, COUNT(*) AS n, SUM(CASE WHEN end_reason = 'breakdown' THEN 1 ELSE 0 "
                         "END) AS b FROM {s}st_placements WHERE end_date >= ? AND end_date <= ? "
                         "GROUP BY municipality", [start, end]):
            counts.setdefault(r["municipality"], {}).update(ended=int(r["n"]), breakdowns=int(r["b"] or 0))
        day = at.isoformat()
        for r in v.query("SELECT municipality, COUNT(*) AS n, SUM(CASE WHEN planned_end_date < ? THEN 1 ELSE 0 END) "
                         "AS o FROM {s}st_placements WHERE start_date <= ? AND (end_date IS NULL OR end_date > ?) "
                         "GROUP BY municipality", [day, day, day]):
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
        note, budget_share, amounts = None, {}, {}
        year = period.end.year
        in_year: dict[str, dict[str, int]] = {}
        for r in v.query("SELECT municipality, kind, COUNT(*) AS n FROM {s}st_placements WHERE start_date >= ? "
                         "AND start_date <= ? GROUP BY municipality, kind", [f"{year}-01-01", f"{year}-12-31"]):
            part = "placements" if r["kind"] in OUT_OF_HOME_KINDS else "contact_assignments"
            counts = in_year.setdefault(r["municipality"], {"placements": 0, "contact_assignments": 0})
            counts[part] += int(r["n"])
        try:
            allocation = self.allocation(year)  # type: ignore[attr-defined]
            budget_share = {m.municipality: str(m.share.quantize(Decimal("0.0001"))) for m in allocation.members}
            amounts = {m.municipality: m.amount_sek for m in allocation.members}
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
                "shares_note": note,
                "cost_per_placement": [_cost_row(c, names.get(c, c), year, amounts.get(c),
                                                 in_year.get(c, {"placements": 0, "contact_assignments": 0}))
                                       for c in codes]}


def _cost_row(code: str, name: str, year: int, amount: Decimal | None, counts: dict[str, int]) -> dict[str, Any]:
    """What a member paid for the year per out-of-home pool placement started in it; contact
    assignments (kontaktfamilj, kontaktperson, korttidsfamilj) are counted apart, not divided by."""
    placements = counts["placements"]
    per = (amount / placements).quantize(Decimal("0.01")) if amount is not None and placements else None
    return {"municipality": code, "name": name, "year": year, "amount_sek": None if amount is None else f"{amount:.2f}",
            "placements_started": placements, "contact_assignments_started": counts["contact_assignments"],
            "cost_per_placement_sek": None if per is None else f"{per:.2f}"}
