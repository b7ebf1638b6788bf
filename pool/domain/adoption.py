"""The AdoptedAllocation aggregate: the steering group's adopted (fastställda) cost allocation of a year."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from pool.errors import InvalidInputError


class AdoptedAllocation(Aggregate):
    """One per budget year; each adoption is a version whose inputs and amounts never change again.

    `record` holds everything the allocation was computed from and its results (plain JSON: amounts
    as "0.00" strings), so an adopted allocation is read back as adopted whatever happens later.
    """

    @staticmethod
    def create_id(year: int) -> UUID:
        return uuid5(NAMESPACE_URL, f"/familjepool/allocations/{year}")

    @event("Adopted")
    def __init__(self, actor: dict[str, Any], year: int, adopted_on: date, record: dict[str, Any]):
        self.year = year
        self.versions: list[dict[str, Any]] = []
        self._add(actor, adopted_on, None, record)

    def check_readopt(self, reason: str | None) -> None:
        # A new version replaces what may already be invoiced: the steering group says why.
        if not reason:
            raise InvalidInputError("allocation.reason_required", field="reason", year=self.year,
                                    version=len(self.versions))

    def readopt(self, actor: dict[str, Any], adopted_on: date, reason: str, record: dict[str, Any]) -> None:
        self.check_readopt(reason)
        self._readopt(actor=actor, adopted_on=adopted_on, reason=reason, record=record)

    @event("Readopted")
    def _readopt(self, actor: dict[str, Any], adopted_on: date, reason: str, record: dict[str, Any]) -> None:
        self._add(actor, adopted_on, reason, record)

    def _add(self, actor: dict[str, Any], adopted_on: date, reason: str | None, record: dict[str, Any]) -> None:
        self.versions.append({"version": len(self.versions) + 1, "adopted_on": adopted_on,
                              "adopted_by": actor.get("username"), "reason": reason, "record": record})
