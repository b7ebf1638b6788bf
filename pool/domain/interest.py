"""The Interest aggregate: one municipality's interest in one published family, brokered or not."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from pool.errors import RuleViolationError


class InterestStatus(StrEnum):
    PENDING = "pending"
    BROKERED = "brokered"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Interest(Aggregate):
    """Its own aggregate, not part of Family: many municipalities may queue for one family at
    once, and each must be able to register, withdraw and be answered without racing the others
    (or the family's own investigation) for the family's version number."""

    @event("Expressed")
    def __init__(
        self,
        id: UUID,  # chosen by the application: personal data is sealed under it first
        actor: dict[str, Any],
        family_id: UUID,
        municipality: str,
        referral_id: UUID | None,
        message: str,
    ):
        self.family_id = family_id
        self.municipality = municipality
        self.referral_id = referral_id
        self.message = message
        self.status = InterestStatus.PENDING

    def check_pending(self) -> None:
        if self.status is not InterestStatus.PENDING:
            raise RuleViolationError("interest.not_pending", status=self.status.value)

    def broker(self, actor: dict) -> None:
        self.check_pending()
        self._broker(actor=actor)

    @event("Brokered")
    def _broker(self, actor: dict) -> None:
        self.status = InterestStatus.BROKERED

    def decline(self, actor: dict, reason: str) -> None:
        self.check_pending()
        self._decline(actor=actor, reason=reason)

    @event("Declined")
    def _decline(self, actor: dict, reason: str) -> None:
        self.status = InterestStatus.DECLINED

    def withdraw(self, actor: dict) -> None:
        self.check_pending()
        self._withdraw(actor=actor)

    @event("Withdrawn")
    def _withdraw(self, actor: dict) -> None:
        self.status = InterestStatus.WITHDRAWN
