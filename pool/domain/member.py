"""The Member aggregate: a municipality in the pool agreement and its yearly reference figures."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from pool.errors import RuleViolationError


class Member(Aggregate):
    """Identified by kommunkod, so the id is derived from it and a member is registered once."""

    @staticmethod
    def create_id(kommunkod: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"/familjepool/members/{kommunkod}")

    @event("Joined")
    def __init__(self, actor: dict[str, Any], kommunkod: str, name: str, joined_on: date):
        self.kommunkod = kommunkod
        self.name = name
        self.joined_on = joined_on
        self.left_on: date | None = None
        self.child_population: dict[int, dict[str, Any]] = {}
        self.reported_placed_children: dict[int, int] = {}  # legacy overrides, no longer used
        self.placed_children: dict[int, dict[str, Any]] = {}

    def update(self, actor: dict, name: str, joined_on: date) -> bool:
        """Change name or joining date; return False when nothing changes (no event)."""
        if (name, joined_on) == (self.name, self.joined_on):
            return False
        if self.left_on and joined_on > self.left_on:
            raise RuleViolationError("member.joined_after_left", field="joined_on")
        self._update(actor=actor, name=name, joined_on=joined_on)
        return True

    @event("Updated")
    def _update(self, actor: dict, name: str, joined_on: date) -> None:
        self.name, self.joined_on = name, joined_on

    def leave(self, actor: dict, left_on: date) -> None:
        if self.left_on is not None:
            raise RuleViolationError("member.already_left", on=self.left_on)
        if left_on < self.joined_on:
            raise RuleViolationError("member.left_before_joined", field="left_on")
        self._leave(actor=actor, left_on=left_on)

    @event("Left")
    def _leave(self, actor: dict, left_on: date) -> None:
        self.left_on = left_on

    def is_member_during(self, start: date, end: date) -> bool:
        return self.joined_on <= end and (self.left_on is None or self.left_on >= start)

    def record_child_population(self, actor: dict, year: int, children: int, source: str) -> None:
        self._record_child_population(actor=actor, year=year, children=children, source=source)

    @event("ChildPopulationRecorded")
    def _record_child_population(self, actor: dict, year: int, children: int, source: str) -> None:
        # `year`: children 0-17 living at home on 1 November of that year.
        self.child_population[year] = {"children": children, "source": source}

    def record_placed_children(self, actor: dict, year: int, children: int, source: str) -> None:
        self._record_placed_children(actor=actor, year=year, children=children, source=source)

    @event("PlacedChildrenRecorded")
    def _record_placed_children(self, actor: dict, year: int, children: int, source: str) -> None:
        # `year`: all the member's children 0-17 placed outside the home on 1 November of that year,
        # as the member reports them (not only the pool's placements).
        self.placed_children[year] = {"children": children, "source": source}

    @event("PlacedChildrenReported")
    def _report_placed_children(self, actor: dict, year: int, count: int | None) -> None:
        # Kept so that stored events still replay: a per-budget-year override of the pool's own count,
        # replaced by PlacedChildrenRecorded (the allocation no longer counts the pool's placements).
        if count is None:
            self.reported_placed_children.pop(year, None)
        else:
            self.reported_placed_children[year] = count
