"""The Family aggregate's statuses and guards: what a family's state allows (mixed into Family)."""

from __future__ import annotations

from enum import StrEnum

from pool.errors import ErasedError, InvalidInputError, RuleViolationError
from pool.values import Kind, Outcome, required_steps


class FamilyStatus(StrEnum):
    APPLIED = "applied"
    UNDER_INVESTIGATION = "under_investigation"
    APPROVED = "approved"
    REJECTED = "rejected"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    WITHDRAWN = "withdrawn"
    ERASED = "erased"


APPROVED_STATES = (FamilyStatus.APPROVED, FamilyStatus.PUBLISHED, FamilyStatus.UNPUBLISHED)


class FamilyRules:
    """The guards (`check_…`) and derived figures of Family, over the state its events set.

    A plain mixin, like SupportRules: no class annotations (the aggregate's metaclass would read them
    as fields), and no events: those stay in Family so their stored topics never change."""

    def check_not_erased(self) -> None:
        if self.status is FamilyStatus.ERASED:
            raise ErasedError("family.erased")

    def in_status(self, *allowed: FamilyStatus) -> bool:
        """Whether the family is in one of `allowed`; an erased family refuses every command."""
        self.check_not_erased()
        return self.status in allowed

    def check_checklist_complete(self) -> None:
        missing = [s.value for s in required_steps(self.kinds) if s.value not in self.checklist]
        if missing:
            raise RuleViolationError("family.checklist_incomplete", missing=missing)

    def check_free_capacity(self) -> None:
        if self.free_capacity <= 0:
            raise RuleViolationError("family.no_free_capacity", taken=len(self.active_placements),
                                     capacity=self.capacity)

    @property
    def capacity(self) -> int:
        return int(self.preferences.get("max_children", 1))

    @property
    def free_capacity(self) -> int:
        return max(self.capacity - len(self.active_placements), 0)

    @property
    def places_left(self) -> int:
        """Places neither taken by an active placement nor promised by a brokered link without outcome."""
        return max(self.free_capacity - len(self.open_links), 0)

    def check_place_for_link(self) -> None:
        if self.places_left <= 0:
            raise RuleViolationError("interest.no_free_place", capacity=self.capacity,
                                     taken=len(self.active_placements), promised=len(self.open_links))

    @property
    def is_approved(self) -> bool:
        return self.status in APPROVED_STATES

    def concerns(self) -> list[str]:
        return sorted(step for step, v in self.checklist.items() if v["outcome"] == Outcome.CONCERN.value)

    def check_concerns_motivated(self, motivated: bool) -> None:
        if self.concerns() and not motivated:
            raise InvalidInputError("family.concern_needs_motivation", field="motivation", steps=self.concerns())

    def check_offer_keeps_placements(self, kinds: list[Kind], max_children: int, active_kinds: list[str]) -> None:
        """A change of kinds or capacity never breaks an active placement (`active_kinds`: one per placement)."""
        in_use = sorted({k for k in active_kinds if k not in kinds})
        if in_use:
            raise RuleViolationError("family.kind_in_use", kinds=in_use)
        if max_children < len(self.active_placements):
            raise RuleViolationError("family.capacity_below_placements", capacity=max_children,
                                     active=len(self.active_placements))
