"""The rules of a family's supervision sessions (handledning) and home type (nätverkshem or rekryterat)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pool.errors import RuleViolationError


class HomeType(StrEnum):
    """How the home came to the pool (seed 004): recruited in general, or a network home (nätverkshem)
    placed with relatives or people the child already knows, for that child."""

    RECRUITED = "recruited"
    NETWORK = "network"


# The statuses (FamilyStatus values) in which a family takes supervision: approved, with or without assignment.
SUPERVISABLE = ("approved", "published", "unpublished")


class SupportRules:
    """Mixed into the Family aggregate, like DescriptionGuards: supervision and the home type.

    The state lives in `_supervision` and `_home_type`, set only by the events at the end of Family;
    a family whose history has neither reads as recruited with no sessions (no annotations here: the
    aggregate's metaclass would read them as fields)."""

    @property
    def supervision(self) -> list[dict[str, Any]]:
        """{"held_on", "note" (sealed)} per session, in the order recorded."""
        return list(self.__dict__.get("_supervision", []))

    @property
    def home_type(self) -> HomeType:
        return HomeType(self.__dict__.get("_home_type", HomeType.RECRUITED.value))

    def check_supervisable(self) -> None:
        if not self.in_status(*self.approved_statuses()):  # type: ignore[attr-defined]
            raise RuleViolationError("family.supervision_refused", status=self.status.value)  # type: ignore[attr-defined]

    def check_home_type_settable(self, home_type: HomeType) -> None:
        """A network home is not offered to other members: it cannot be one while in the catalogue."""
        self.check_not_erased()  # type: ignore[attr-defined]
        if home_type is HomeType.NETWORK and self.status.value == "published":  # type: ignore[attr-defined]
            raise RuleViolationError("family.network_home_not_publishable")

    def check_publishable_home_type(self) -> None:
        if self.home_type is HomeType.NETWORK:
            raise RuleViolationError("family.network_home_not_publishable")

    @staticmethod
    def approved_statuses() -> tuple[str, ...]:
        return SUPERVISABLE
