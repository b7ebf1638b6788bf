"""Adopting a year's cost allocation, and reading an adopted version back exactly as it was adopted."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from pool.actors import Actor, Role
from pool.allocation import Allocation, MemberInput, allocate
from pool.base import BaseApplication, Saved
from pool.domain.adoption import AdoptedAllocation
from pool.errors import NotFoundError
from pool.reference import check_year
from pool.values import check_text


@dataclass(frozen=True)
class AdoptedVersion:
    """One adopted version: the allocation as adopted, who adopted it, when and why."""

    year: int
    version: int
    versions: int  # how many versions the year has
    adopted_on: date
    adopted_by: str | None
    reason: str | None
    allocation: Allocation
    sources: dict[str, dict[str, str]]  # kommunkod -> {"population": …, "placed_children": …}


def adoption_record(allocation: Allocation, sources: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Every input and result of the allocation as plain JSON (what the Adopted event stores)."""
    return {
        "budget_sek": f"{allocation.budget_sek:.2f}", "reference_date": allocation.reference_date.isoformat(),
        "total_sek": f"{allocation.total_sek:.2f}",
        "members": [{
            "municipality": m.municipality, "name": m.name, "children": m.children,
            "placed_children": m.placed_children, "pool_placement_ids": list(m.pool_placement_ids),
            "membership_days": m.membership_days, "amount_sek": f"{m.amount_sek:.2f}",
            "children_part_sek": f"{m.children_part_sek:.2f}", "placements_part_sek": f"{m.placements_part_sek:.2f}",
            "population_source": (sources.get(m.municipality) or {}).get("population", ""),
            "placed_children_source": (sources.get(m.municipality) or {}).get("placed_children", ""),
        } for m in allocation.members],
    }


def allocation_from_record(year: int, record: dict[str, Any]) -> Allocation:
    """The adopted allocation: recomputed from its recorded inputs, with the recorded amounts.

    The formula is pure, so this gives the same figures; the recorded amounts still win, so that a
    later change of the code can never change what was adopted.
    """
    rows = record["members"]
    computed = allocate(year, Decimal(record["budget_sek"]), [MemberInput(
        municipality=r["municipality"], name=r["name"], children=r["children"], placed_children=r["placed_children"],
        pool_placement_ids=tuple(r["pool_placement_ids"]), membership_days=r["membership_days"]) for r in rows])
    by_code = {r["municipality"]: r for r in rows}
    members = tuple(replace(m, amount_sek=Decimal(by_code[m.municipality]["amount_sek"]),
                            children_part_sek=Decimal(by_code[m.municipality]["children_part_sek"]),
                            placements_part_sek=Decimal(by_code[m.municipality]["placements_part_sek"]))
                    for m in computed.members)
    return replace(computed, members=members, total_sek=Decimal(record["total_sek"]))


class AdoptionCommands(BaseApplication):
    def adopt_allocation(self, actor: Actor, year: int, *, allocation: Allocation,
                         sources: dict[str, dict[str, str]], reason: str | None = None) -> Saved:
        """Adopt the allocation computed from today's inputs; a re-adoption is a new version and needs a reason."""
        actor.require(Role.STEERING)
        check_year(year)
        reason = check_text(reason, "reason", required=False, max_length=500) or None
        record = adoption_record(allocation, sources)
        adoption_id = AdoptedAllocation.create_id(year)
        if not self.exists(adoption_id):
            return self.commit(AdoptedAllocation(actor=actor.as_event_data(), year=year, adopted_on=date.today(),
                                                 record=record))
        adopted = self.load(AdoptedAllocation, adoption_id)
        adopted.readopt(actor.as_event_data(), date.today(), reason or "", record)
        return self.commit(adopted)

    def adopted_allocation(self, year: int, version: int | None = None) -> AdoptedVersion | None:
        """The latest adopted version (or version `version`); None when the year is not adopted."""
        adoption_id = AdoptedAllocation.create_id(year)
        if not self.exists(adoption_id):
            if version is not None:
                raise NotFoundError("allocation.version_not_found", year=year, version=version)
            return None
        adopted = self.load(AdoptedAllocation, adoption_id)
        count = len(adopted.versions)
        if version is not None and not 1 <= version <= count:
            raise NotFoundError("allocation.version_not_found", year=year, version=version)
        v = adopted.versions[(version or count) - 1]
        return AdoptedVersion(year=year, version=v["version"], versions=count, adopted_on=v["adopted_on"],
                              adopted_by=v["adopted_by"], reason=v["reason"],
                              allocation=allocation_from_record(year, v["record"]),
                              sources={r["municipality"]: {"population": r["population_source"],
                                                           "placed_children": r["placed_children_source"]}
                                       for r in v["record"]["members"]})


def allocation_changes(adopted: Allocation, current: Allocation) -> list[dict[str, Any]]:
    """Per member (either side): the adopted and today's inputs and amounts, and the difference in SEK."""
    old = {m.municipality: m for m in adopted.members}
    new = {m.municipality: m for m in current.members}
    rows = []
    for code in sorted(old.keys() | new.keys()):
        a, c = old.get(code), new.get(code)
        before = a.amount_sek if a else Decimal("0.00")
        after = c.amount_sek if c else Decimal("0.00")
        rows.append({
            "municipality": code, "name": (c or a).name,  # type: ignore[union-attr]
            "adopted_children": a.children if a else None, "current_children": c.children if c else None,
            "adopted_placed_children": a.placed_children if a else None,
            "current_placed_children": c.placed_children if c else None,
            "adopted_pool_placements": a.pool_placements if a else None,
            "current_pool_placements": c.pool_placements if c else None,
            "adopted_amount_sek": a.amount_sek if a else None, "current_amount_sek": c.amount_sek if c else None,
            "difference_sek": after - before,
            "changed": a is None or c is None or (a.children, a.placed_children, a.pool_placement_ids,
                                                   a.membership_days, a.amount_sek)
            != (c.children, c.placed_children, c.pool_placement_ids, c.membership_days, c.amount_sek),
        })
    return rows
