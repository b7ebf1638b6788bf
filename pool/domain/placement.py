"""The Placement aggregate: an assignment that actually started, time-limited from the start."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from pool.errors import InvalidInputError, RuleViolationError
from pool.values import EndReason


class Placement(Aggregate):
    """Records the child's birth year and month only, never the child's identity."""

    @event("Started")
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
    ):
        self.family_id = family_id
        self.municipality = municipality
        self.kind = kind
        self.referral_id = referral_id
        self.start_date = start_date
        self.planned_end_date = planned_end_date
        self.child_birth_month = child_birth_month
        self.end_date: date | None = None
        self.end_reason: str | None = None

    @property
    def is_active(self) -> bool:
        return self.end_date is None

    def end(self, actor: dict, end_date: date, reason: EndReason) -> None:
        if not self.is_active:
            raise RuleViolationError("placement.already_ended", on=self.end_date)
        if end_date < self.start_date:
            raise InvalidInputError("placement.end_before_start", field="end_date")
        self._end(actor=actor, end_date=end_date, reason=reason.value)

    @event("Ended")
    def _end(self, actor: dict, end_date: date, reason: str) -> None:
        self.end_date = end_date
        self.end_reason = reason
