"""The read side's contract: what the API may ask of the read models (implemented in projections/)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID

from pool.allocation import Allocation
from pool.matching import Need, Suggestion


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int


@dataclass(frozen=True)
class CatalogueFilter:
    kind: str | None = None
    child_age: int | None = None  # a child of this age fits the family's age range
    siblings: bool | None = None
    language: str | None = None
    area: str | None = None  # kommunkod of the generalised area
    available: bool | None = None  # free capacity now


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None  # username
    aggregate: UUID | None = None
    municipality: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class StatisticsPeriod:
    start: date  # inclusive
    end: date  # inclusive

    @classmethod
    def year(cls, year: int) -> "StatisticsPeriod":
        return cls(date(year, 1, 1), date(year, 12, 31))


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    position: int  # last notification id applied
    head: int  # last notification id in the event store
    lag: int  # head - position
    halted_at: int | None = None  # the notification id of a bad event the projection waits at
    parked: int = 0  # bad events stepped over and not yet acknowledged (the view lacks them)

    @property
    def failed(self) -> bool:
        return self.halted_at is not None or self.parked > 0


class ReadModels(Protocol):
    """Every list is paginated (limit, offset) and returns a Page; one-row reads return None when absent.

    Municipality scoping is a parameter, not a filter the caller may forget: `municipality=None`
    means "all members" and must only be passed for roles that may see all (the API decides).
    Rows never hold plain personal data; register rows hold sealed values the caller opens.
    """

    def at(self, as_of: datetime | None) -> "ReadModels":
        """The same queries as the system knew it at `as_of` (recording time; None: now). Answers the
        catalogue, register and municipality lists and one-row reads (docs/projections.md, "as_of")."""
        ...

    def catalogue(self, f: CatalogueFilter, limit: int = 50, offset: int = 0) -> Page: ...
    def catalogue_item(self, family_id: UUID) -> dict[str, Any] | None: ...
    def suggestions(self, need: Need, limit: int | None = 20, today: date | None = None) -> list[Suggestion]: ...

    def referrals(self, municipality: str | None, status: str | None = None, limit: int = 50, offset: int = 0) -> Page: ...
    def referral(self, referral_id: UUID, municipality: str | None) -> dict[str, Any] | None: ...
    def interests(self, municipality: str | None, status: str | None = None, limit: int = 50, offset: int = 0) -> Page: ...
    def interest(self, interest_id: UUID, municipality: str | None) -> dict[str, Any] | None: ...
    def placements(self, municipality: str | None, active: bool | None = None, limit: int = 50, offset: int = 0,
                   overdue: bool | None = None, today: date | None = None) -> Page: ...
    def placement(self, placement_id: UUID, municipality: str | None) -> dict[str, Any] | None: ...

    def register(self, status: str | None = None, limit: int = 50, offset: int = 0) -> Page: ...
    def register_entry(self, family_id: UUID) -> dict[str, Any] | None: ...
    def interest_queue(self, family_id: UUID) -> list[dict[str, Any]]: ...
    # A pool consultant's work list (scope "mine" or "all") and what the admin assigned them.
    def worklist(self, user_id: str, scope: str = "mine", today: date | None = None) -> dict[str, Any]: ...
    def assignments(self, user_id: str) -> dict[str, list[str]]: ...
    def courses(self, limit: int = 50, offset: int = 0) -> Page: ...
    def course(self, course_id: UUID) -> dict[str, Any] | None: ...

    def audit(self, f: AuditFilter, limit: int = 100, offset: int = 0) -> Page: ...
    def audit_verification(self) -> dict[str, Any] | None: ...

    # Reference data, cost allocation and statistics (the "steering" read model) ----------------
    def members(self) -> list[dict[str, Any]]:
        """Every member ordered by kommunkod: {"municipality", "name", "joined_on", "left_on",
        "child_population": {year: {"children", "source"}}, "placed_children": {year: {"children", "source"}}}
        (years as ints, dates as YYYY-MM-DD text, left_on None while a member)."""
        ...

    def users(self, limit: int = 50, offset: int = 0) -> Page:
        """Logins ordered by username: {"username", "role", "municipality", "disabled", "added_at"}."""
        ...

    def budgets(self) -> list[dict[str, Any]]:
        """{"year", "amount_sek" (Decimal)} ordered by year."""
        ...

    def allocation(self, year: int) -> Allocation:
        """The cost allocation of budget year `year` (pool.allocation.Allocation, traced to its inputs).

        Always from today's inputs (the adopted allocation is read from the event store, see
        pool/adoption.py). Raises NotFoundError when no budget is set for the year,
        MissingPopulationError or MissingPlacedChildrenError (AllocationErrors, 409s) when a member
        lacks its population or placed-children figure, and RuleViolationError when no member's
        membership covers the year."""
        ...

    def statistics(self, period: StatisticsPeriod, municipality: str | None = None) -> dict[str, Any]:
        """What the pool delivers, without personal data; see docs/statistics.md for the shape."""
        ...

    def non_executed(self, year: int, quarter: int, municipality: str | None) -> dict[str, Any]:
        """Decisions made more than 3 months before the quarter's end and not executed by then:
        `items` (SoL and LSS, one row per decision with days waited and the stated reason),
        `not_reportable` (LVU, listed apart) and `executed` (reported at the previous quarter's end,
        executed during this one); see projections/steering/non_executed.py."""
        ...

    def demand_and_supply(self, months: int = 24, municipality: str | None = None,
                          today: date | None = None) -> dict[str, Any]:
        """Behov och tillgång: for each of the last `months` month ends, demand, supply and the pipeline
        by kind and age band, and the latest month's gaps; see projections/steering/demand.py."""
        ...

    def wait_for(self, position: int | None, timeout: float = 2.0) -> bool:
        """Block until every projection has applied `position` (read-your-writes); False on timeout,
        and False at once when the only projections behind are halted at an event at or before it."""
        ...

    def status(self) -> list[ProjectionStatus]: ...
