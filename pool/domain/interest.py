"""The Interest aggregate: one municipality's interest in one published family, brokered or not."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from pool.errors import RuleViolationError
from pool.values import check_in_order, upcast_recorded_day


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
        # Version 3: `brokered_on`, the business date (issue 11); earlier, the day it was recorded.
        class_version = 3

        actor: dict[str, Any]
        passed: list[UUID]
        reason_code: str | None
        reason: str
        brokered_on: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(passed=[], reason_code=None, reason="")

        upcast_v2_v3 = upcast_recorded_day("brokered_on")

    # Version 2 of the events below carries the business date (issue 11): the day it happened in the
    # world; the recording time stays on the event. Version-1 events happened the day they were recorded.

    class Expressed(Aggregate.Created):
        class_version = 2

        actor: dict[str, Any]
        family_id: UUID
        municipality: str
        referral_id: UUID | None
        message: str
        interest_on: date

        upcast_v1_v2 = upcast_recorded_day("interest_on")

    class Declined(Aggregate.Event):
        class_version = 2

        actor: dict[str, Any]
        reason: str
        declined_on: date

        upcast_v1_v2 = upcast_recorded_day("declined_on")

    class Withdrawn(Aggregate.Event):
        class_version = 2

        actor: dict[str, Any]
        withdrawn_on: date

        upcast_v1_v2 = upcast_recorded_day("withdrawn_on")

    class LinkEnded(Aggregate.Event):
        class_version = 2

        actor: dict[str, Any]
        outcome: str
        note: str
        placement_id: UUID | None
        ended_on: date

        upcast_v1_v2 = upcast_recorded_day("ended_on")

    @staticmethod
    def check_interest_on(interest_on: date, published_on: date | None, decided_on: list[date]) -> date:
        """An interest is not dated before the family's publication nor before its referrals' decisions."""
        return check_in_order(interest_on, "interest_on", published_on, *decided_on)

    @event(Expressed)
    def __init__(
        self,
        id: UUID,  # chosen by the application: personal data is sealed under it first
        actor: dict[str, Any],
        family_id: UUID,
        municipality: str,
        referral_id: UUID | None,
        message: str,
        interest_on: date | None = None,
    ):
        self.interest_on = interest_on
        self.brokered_on: date | None = None
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
               reason: str = "", brokered_on: date | None = None) -> None:
        """`passed`: earlier interests still pending; then a reason is required (the application checks it).
        `brokered_on` (default today): not before the interest."""
        self.check_pending()
        on = check_in_order(brokered_on or date.today(), "brokered_on", self.interest_on)
        self._broker(actor=actor, passed=list(passed or []), reason_code=reason_code.value if reason_code else None,
                     reason=reason, brokered_on=on)

    @event(Brokered)
    def _broker(self, actor: dict, passed: list[UUID], reason_code: str | None, reason: str,
                brokered_on: date | None = None) -> None:
        self.status = InterestStatus.BROKERED
        self.broker_reason = reason
        self.brokered_on = brokered_on

    def decline(self, actor: dict, reason: str, declined_on: date | None = None) -> None:
        self.check_pending()
        on = check_in_order(declined_on or date.today(), "declined_on", self.interest_on)
        self._decline(actor=actor, reason=reason, declined_on=on)

    @event(Declined)
    def _decline(self, actor: dict, reason: str, declined_on: date) -> None:
        self.status = InterestStatus.DECLINED
        self.decline_reason = reason

    def withdraw(self, actor: dict, withdrawn_on: date | None = None) -> None:
        self.check_pending()
        on = check_in_order(withdrawn_on or date.today(), "withdrawn_on", self.interest_on)
        self._withdraw(actor=actor, withdrawn_on=on)

    @event(Withdrawn)
    def _withdraw(self, actor: dict, withdrawn_on: date) -> None:
        self.status = InterestStatus.WITHDRAWN

    def check_link_end(self, ended_on: date, field: str = "ended_on") -> date:
        """A link ends (or its placement starts) neither in the future nor before it was brokered."""
        return check_in_order(ended_on, field, self.brokered_on, self.interest_on)

    def end_link(self, actor: dict, outcome: LinkOutcome, note: str = "", placement_id: UUID | None = None,
                 ended_on: date | None = None) -> None:
        """The brokered link's outcome: a placement started, or not (with a reason, `note` sealed)."""
        self.check_link_open()
        if (outcome is LinkOutcome.PLACEMENT_STARTED) != (placement_id is not None):
            raise RuleViolationError("interest.outcome_needs_placement")
        on = self.check_link_end(ended_on or date.today())
        self._end_link(actor=actor, outcome=outcome.value, note=note, placement_id=placement_id, ended_on=on)

    @event(LinkEnded)
    def _end_link(self, actor: dict, outcome: str, note: str, placement_id: UUID | None, ended_on: date) -> None:
        self.link_outcome = outcome
        self.link_note = note
        self.status = (InterestStatus.PLACED if outcome == LinkOutcome.PLACEMENT_STARTED
                       else InterestStatus.NOT_STARTED)
