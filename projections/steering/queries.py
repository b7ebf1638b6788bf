"""Queries over the steering view: members, users, budgets, the cost allocation and the IVO report."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any

from pool.allocation import Allocation, MemberInput, allocate
from pool.errors import NotFoundError, RuleViolationError
from pool.values import OUT_OF_HOME_KINDS
from projections.contract import Page
from projections.core.view import View
from projections.steering.dates import month_cutoff, months_before, quarter_end  # noqa: F401 - used here and re-exported
from projections.steering.demand import demand_and_supply
from projections.steering.non_executed import non_executed_report


def membership_days(joined_on: str, left_on: str | None, year: int) -> int:
    first = max(date.fromisoformat(joined_on), date(year, 1, 1))
    last = min(date.fromisoformat(left_on), date(year, 12, 31)) if left_on else date(year, 12, 31)
    return max((last - first).days + 1, 0)


class SteeringQueries:
    """Mixed into ReadModelsImpl; every answer is a few indexed queries over the steering tables."""

    views: dict[str, View]

    @property
    def _steering(self) -> View:
        return self.views["steering"]

    def members(self) -> list[dict[str, Any]]:
        v = self._steering
        rows = v.query("SELECT * FROM {s}st_members ORDER BY kommunkod")
        population: dict[str, dict[int, dict[str, Any]]] = {}
        for r in v.query("SELECT * FROM {s}st_population ORDER BY year"):
            population.setdefault(r["member_id"], {})[int(r["year"])] = {"children": r["children"],
                                                                          "source": r["source"]}
        placed: dict[str, dict[int, dict[str, Any]]] = {}
        for r in v.query("SELECT * FROM {s}st_placed_children ORDER BY year"):
            placed.setdefault(r["member_id"], {})[int(r["year"])] = {"children": r["children"], "source": r["source"]}
        return [{"municipality": r["kommunkod"], "name": r["name"], "joined_on": r["joined_on"],
                 "left_on": r["left_on"], "child_population": population.get(r["member_id"], {}),
                 "placed_children": placed.get(r["member_id"], {})} for r in rows]

    def users(self, limit: int = 50, offset: int = 0) -> Page:
        v = self._steering
        total = v.count("SELECT COUNT(*) AS n FROM {s}st_users")
        rows = v.query("SELECT username, role, municipality, disabled, added_at FROM {s}st_users "
                       "ORDER BY username LIMIT ? OFFSET ?", [limit, offset])
        return Page(items=[{**r, "disabled": bool(r["disabled"])} for r in rows], total=total)

    def budgets(self) -> list[dict[str, Any]]:
        rows = self._steering.query("SELECT year, amount_sek FROM {s}st_budgets ORDER BY year")
        return [{"year": int(r["year"]), "amount_sek": Decimal(r["amount_sek"])} for r in rows]

    # The cost allocation -----------------------------------------------------------------------------

    def placed_on(self, reference: date, municipalities: list[str]) -> dict[str, list[str]]:
        """Ids of out-of-home placements active on `reference` of children under 18 then, per member."""
        if not municipalities:
            return {}
        kinds = sorted(k.value for k in OUT_OF_HOME_KINDS)
        ref = reference.isoformat()
        # An end date is the last day in the placement, so a placement ending on the reference date counts.
        rows = self._steering.query(
            f"SELECT placement_id, municipality FROM {{s}}st_placements WHERE kind IN ({','.join('?' * len(kinds))}) "
            "AND start_date <= ? AND (end_date IS NULL OR end_date >= ?) AND child_birth_month > ? "
            f"AND municipality IN ({','.join('?' * len(municipalities))}) ORDER BY municipality, placement_id",
            [*kinds, ref, ref, month_cutoff(reference, 18), *municipalities])
        result: dict[str, list[str]] = {}
        for r in rows:
            result.setdefault(r["municipality"], []).append(r["placement_id"])
        return result

    def allocation(self, year: int) -> Allocation:
        v = self._steering
        budget = v.query("SELECT amount_sek FROM {s}st_budgets WHERE year = ?", [year])
        if not budget:
            raise NotFoundError("budget.not_set", year=year)
        members = v.query("SELECT * FROM {s}st_members WHERE joined_on <= ? AND (left_on IS NULL OR left_on >= ?) "
                          "ORDER BY kommunkod", [f"{year}-12-31", f"{year}-01-01"])
        if not members:
            raise RuleViolationError("allocation.no_members_in_year", year=year)
        ids = [m["member_id"] for m in members]
        marks = ",".join("?" * len(ids))
        population = {r["member_id"]: r["children"] for r in v.query(
            f"SELECT member_id, children FROM {{s}}st_population WHERE year = ? AND member_id IN ({marks})",
            [year - 1, *ids])}
        reported = {r["member_id"]: r["children"] for r in v.query(
            f"SELECT member_id, children FROM {{s}}st_placed_children WHERE year = ? AND member_id IN ({marks})",
            [year - 1, *ids])}
        reference = date(year - 1, 11, 1)
        # The pool's own placements on the reference date: shown beside the member's figure, never used for it.
        pool_placed = self.placed_on(reference, [m["kommunkod"] for m in members])
        inputs = [MemberInput(
            municipality=m["kommunkod"], name=m["name"], children=population.get(m["member_id"]),
            placed_children=reported.get(m["member_id"]), pool_placement_ids=tuple(pool_placed.get(m["kommunkod"], [])),
            membership_days=membership_days(m["joined_on"], m["left_on"], year)) for m in members]
        return allocate(year, Decimal(budget[0]["amount_sek"]), inputs)

    # The non-executed decisions report ---------------------------------------------------------------

    def non_executed(self, year: int, quarter: int, municipality: str | None) -> dict[str, Any]:
        return non_executed_report(self._steering, year, quarter, municipality)

    def demand_and_supply(self, months: int = 24, municipality: str | None = None,
                          today: date | None = None) -> dict[str, Any]:
        return demand_and_supply(self._steering, today or date.today(), months, municipality)
