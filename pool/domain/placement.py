"""The Placement aggregate: an assignment that actually started, time-limited from the start."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from pool.errors import InvalidInputError, RuleViolationError
from pool.values import EndReason, age_at


class Placement(Aggregate):
    """Records the child's birth year and month only, never the child's identity.

    `age_override_reason` and an extension's `reason` are free text about a child: sealed under the
    placement's key by the application.
    """

    class Started(Aggregate.Created):
        # Version 2 added the age override (a child outside the family's age range); version-1
        # events are upcast without one.
        class_version = 2

        actor: dict[str, Any]
        family_id: UUID
        municipality: str
        kind: str
        referral_id: UUID | None
        start_date: date
        planned_end_date: date
        child_birth_month: str
        age_override: bool
        age_override_reason: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["age_override"] = False
            state["age_override_reason"] = ""

    @event(Started)
    def __init__(
        self,
        id: UUID,  # chosen by the application: personal data is sealed under it first
        actor: dict[str, Any],
        family_id: UUID,
        municipality: str,
        kind: str,
        referral_id: UUID | None,
        start_date: date,
        planned_end_date: date,
        child_birth_month: str,
        age_override: bool = False,
        age_override_reason: str = "",
    ):
        self.family_id = family_id
        self.municipality = municipality
        self.kind = kind
        self.referral_id = referral_id
        self.start_date = start_date
        self.planned_end_date = planned_end_date
        self.child_birth_month = child_birth_month
        self.age_override = age_override
        self.age_override_reason = age_override_reason
        self.end_date: date | None = None
        self.end_reason: str | None = None
        self.extensions: list[dict[str, Any]] = []

    # Guards -------------------------------------------------------------------------------

    @staticmethod
    def check_dates(start_date: date, planned_end_date: date) -> None:
        if planned_end_date <= start_date:
            raise InvalidInputError("placement.end_before_start", field="planned_end_date")

    @staticmethod
    def check_child_age(child_birth_month: str, start_date: date, age_min: int, age_max: int,
                        override: bool, override_reason: str) -> bool:
        """Whether the override is used: a child outside the family's age range needs one, with a reason."""
        age = age_at(child_birth_month, start_date)
        if age_min <= age <= age_max:
            return False
        if not override:
            raise RuleViolationError("placement.child_age_outside_range", age=age, age_min=age_min, age_max=age_max)
        if not override_reason.strip():
            raise InvalidInputError("placement.override_reason_missing", field="age_override_reason")
        return True

    def check_active(self) -> None:
        if not self.is_active:
            raise RuleViolationError("placement.already_ended", on=self.end_date)

    def is_overdue(self, today: date) -> bool:
        """Past its planned end and not ended: still active (it holds the place) until someone ends it."""
        return self.is_active and self.planned_end_date < today

    @property
    def is_active(self) -> bool:
        return self.end_date is None

    # Commands -----------------------------------------------------------------------------

    def extend(self, actor: dict, planned_end_date: date, reason: str) -> None:
        self.check_active()
        if planned_end_date <= self.planned_end_date:
            raise InvalidInputError("placement.extension_not_later", field="planned_end_date",
                                    planned_end_date=self.planned_end_date.isoformat())
        self._extend(actor=actor, planned_end_date=planned_end_date,
                     previous_planned_end_date=self.planned_end_date, reason=reason)

    @event("Extended")
    def _extend(self, actor: dict, planned_end_date: date, previous_planned_end_date: date, reason: str) -> None:
        self.planned_end_date = planned_end_date
        self.extensions.append({"from": previous_planned_end_date, "to": planned_end_date, "reason": reason})

    def end(self, actor: dict, end_date: date, reason: EndReason) -> None:
        self.check_active()
        if end_date < self.start_date:
            raise InvalidInputError("placement.end_before_start", field="end_date")
        self._end(actor=actor, end_date=end_date, reason=reason.value)

    @event("Ended")
    def _end(self, actor: dict, end_date: date, reason: str) -> None:
        self.end_date = end_date
        self.end_reason = reason
