"""The Interest aggregate: one municipality's interest in one published family, brokered or not."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from pool.errors import RuleViolationError


class InterestStatus(StrEnum):
    PENDING = "pending"
    BROKERED = "brokered"  # a brokered link without an outcome yet: it holds one of the family's places
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    PLACED = "placed"  # the link ended with a placement
    NOT_STARTED = "not_started"  # the link ended without one; the contact details are closed again


OPEN_STATES = (InterestStatus.PENDING, InterestStatus.BROKERED)


class BrokerReason(StrEnum):
    """Why an interest was brokered before earlier ones in the family's queue (shown to those waiting)."""

    URGENT = "urgent_placement"  # akut placering
    SIBLINGS = "siblings"  # syskon
    SCHOOL_OR_NETWORK = "school_or_network"  # närhet till skola/nätverk
    CHILD_WISHES = "child_wishes"  # barnets önskemål
    OTHER = "other"  # annat: a written reason is then required


class LinkOutcome(StrEnum):
    """How a brokered link ended; all but the first mean no placement started."""

    PLACEMENT_STARTED = "placement_started"
    MUNICIPALITY_DECLINED = "municipality_declined"
    FAMILY_DECLINED = "family_declined"
    CHILD_OR_GUARDIAN_DECLINED = "child_or_guardian_declined"  # the client approves the family (seed 000)
    OTHER = "other"


class Interest(Aggregate):
    """Its own aggregate, not part of Family: many municipalities may queue for one family at
    once, and each must be able to register, withdraw and be answered without racing the others
    (or the family's own investigation) for the family's version number. The family's queue
    (pool/domain/queue.py) keeps the order and the one-open-interest-per-municipality rule."""

    class Brokered(Aggregate.Event):
        # Version 2: the earlier pending interests passed over, the coded reason and the sealed
        # written reason; version-1 events were brokered in turn (or before the rule) and get none.
        class_version = 2

        actor: dict[str, Any]
        passed: list[UUID]
        reason_code: str | None
        reason: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(passed=[], reason_code=None, reason="")

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
        self.referral_ids: list[UUID] = [referral_id] if referral_id else []
        self.message = message
        self.status = InterestStatus.PENDING
        self.link_outcome: str | None = None
        self.broker_reason = ""  # sealed: why it was brokered out of turn
        self.link_note = ""  # sealed: why the link ended without a placement
        self.decline_reason = ""  # sealed: why the pool declined it (its municipality reads it)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    def check_pending(self) -> None:
        if self.status is not InterestStatus.PENDING:
            raise RuleViolationError("interest.not_pending", status=self.status.value)

    def check_open(self) -> None:
        if not self.is_open:
            raise RuleViolationError("interest.not_open", status=self.status.value)

    def check_link_open(self) -> None:
        if self.status is not InterestStatus.BROKERED:
            raise RuleViolationError("interest.no_open_link", status=self.status.value)

    def attach_referral(self, actor: dict, referral_id: UUID) -> None:
        self.check_open()
        if referral_id in self.referral_ids:
            raise RuleViolationError("interest.referral_already_attached")
        self._attach_referral(actor=actor, referral_id=referral_id)

    @event("ReferralAttached")
    def _attach_referral(self, actor: dict, referral_id: UUID) -> None:
        self.referral_ids.append(referral_id)
        self.referral_id = self.referral_id or referral_id

    def broker(self, actor: dict, passed: list[UUID] | None = None, reason_code: BrokerReason | None = None,
               reason: str = "") -> None:
        """`passed`: earlier interests still pending; then a reason is required (the application checks it)."""
        self.check_pending()
        self._broker(actor=actor, passed=list(passed or []), reason_code=reason_code.value if reason_code else None,
                     reason=reason)

    @event(Brokered)
    def _broker(self, actor: dict, passed: list[UUID], reason_code: str | None, reason: str) -> None:
        self.status = InterestStatus.BROKERED
        self.broker_reason = reason

    def decline(self, actor: dict, reason: str) -> None:
        self.check_pending()
        self._decline(actor=actor, reason=reason)

    @event("Declined")
    def _decline(self, actor: dict, reason: str) -> None:
        self.status = InterestStatus.DECLINED
        self.decline_reason = reason

    def withdraw(self, actor: dict) -> None:
        self.check_pending()
        self._withdraw(actor=actor)

    @event("Withdrawn")
    def _withdraw(self, actor: dict) -> None:
        self.status = InterestStatus.WITHDRAWN

    def end_link(self, actor: dict, outcome: LinkOutcome, note: str = "", placement_id: UUID | None = None) -> None:
        """The brokered link's outcome: a placement started, or not (with a reason, `note` sealed)."""
        self.check_link_open()
        if (outcome is LinkOutcome.PLACEMENT_STARTED) != (placement_id is not None):
            raise RuleViolationError("interest.outcome_needs_placement")
        self._end_link(actor=actor, outcome=outcome.value, note=note, placement_id=placement_id)

    @event("LinkEnded")
    def _end_link(self, actor: dict, outcome: str, note: str, placement_id: UUID | None) -> None:
        self.link_outcome = outcome
        self.link_note = note
        self.status = (InterestStatus.PLACED if outcome == LinkOutcome.PLACEMENT_STARTED
                       else InterestStatus.NOT_STARTED)
