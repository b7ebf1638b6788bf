"""The Referral aggregate: a member municipality's need for a family, tied to a decision."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from pool.errors import InvalidInputError, RuleViolationError
from pool.values import ReferralOutcome, allowed_bases, basis_fits_kind, check_in_order, upcast_recorded_day


class ReferralStatus(StrEnum):
    OPEN = "open"
    MATCHED = "matched"
    PLACED = "placed"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


ACTIVE_REFERRAL_STATES = (ReferralStatus.OPEN, ReferralStatus.MATCHED)


class Referral(Aggregate):
    """What the child needs, never who the child is: birth year and month, no identity.

    `needs` and `wishes` are free text about a child and arrive sealed under the referral's key.
    """

    class Registered(Aggregate.Created):
        # Version 2 added `wishes`; version-1 events are upcast with empty wishes.
        class_version = 2

        actor: dict[str, Any]
        municipality: str
        kind: str
        legal_basis: str
        decision_date: date
        child_birth_month: str
        needs: str
        wishes: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["wishes"] = ""

    @event(Registered)
    def __init__(
        self,
        id: UUID,  # chosen by the application: personal data is sealed under it first
        actor: dict[str, Any],
        municipality: str,
        kind: str,
        legal_basis: str,
        decision_date: date,
        child_birth_month: str,
        needs: str,
        wishes: str,
    ):
        self.municipality = municipality
        self.kind = kind
        self.legal_basis = legal_basis
        self.decision_date = decision_date
        self.child_birth_month = child_birth_month
        self.needs = needs
        self.wishes = wishes
        self.status = ReferralStatus.OPEN
        self.proposed_family_ids: list[UUID] = []
        self.placement_ids: list[UUID] = []
        # What matching asks for (pool/matching.py); set by CriteriaSet, these defaults before it.
        self.expected_start: date | None = None
        self.children = 1
        self.languages: list[str] = []
        self.non_execution_reason: str | None = None
        self.urgent = False

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_REFERRAL_STATES

    # Guards -------------------------------------------------------------------------------

    @staticmethod
    def check_basis_fits_kind(kind: str, legal_basis: str) -> None:
        """A decision under the wrong act cannot be executed as this kind (bad input when registering)."""
        if not basis_fits_kind(kind, legal_basis):
            raise InvalidInputError("referral.basis_not_for_kind", field="legal_basis", kind=kind,
                                    basis=legal_basis, allowed=allowed_bases(kind))

    def check_family_offers_kind(self, family_kinds: list[str]) -> None:
        """Only a family that offers the referral's kind can be proposed for it."""
        if self.kind not in [str(k) for k in family_kinds]:
            raise RuleViolationError("referral.family_kind_not_offered", kind=self.kind)

    def check_placement(self, kind: str, start_date: date) -> None:
        """A placement executes this decision: the same kind, a fitting act, not before the decision."""
        if kind != self.kind:
            raise RuleViolationError("placement.kind_not_referral_kind", kind=kind, referral_kind=self.kind)
        if not basis_fits_kind(self.kind, self.legal_basis):  # referrals registered before the rule
            raise RuleViolationError("placement.referral_basis_not_for_kind", kind=self.kind,
                                     basis=self.legal_basis, allowed=allowed_bases(self.kind))
        if start_date < self.decision_date:
            raise InvalidInputError("placement.start_before_decision", field="start_date",
                                    decision_date=self.decision_date.isoformat())


    def edit(self, actor: dict, needs: str, wishes: str, decision_date: date, child_birth_month: str) -> None:
        if not self.is_active:
            raise RuleViolationError("referral.not_editable", status=self.status.value)
        self._edit(actor=actor, needs=needs, wishes=wishes, decision_date=decision_date, child_birth_month=child_birth_month)

    @event("Edited")
    def _edit(self, actor: dict, needs: str, wishes: str, decision_date: date, child_birth_month: str) -> None:
        self.needs, self.wishes = needs, wishes
        self.decision_date, self.child_birth_month = decision_date, child_birth_month

    def set_criteria(self, actor: dict, expected_start: date | None, children: int, languages: list[str]) -> None:
        if not self.is_active:
            raise RuleViolationError("referral.not_editable", status=self.status.value)
        self._set_criteria(actor=actor, expected_start=expected_start, children=children, languages=languages)

    @event("CriteriaSet")
    def _set_criteria(self, actor: dict, expected_start: date | None, children: int, languages: list[str]) -> None:
        self.expected_start, self.children, self.languages = expected_start, children, list(languages)

    # Version 2 of FamiliesProposed and Withdrawn carries the business date (issue 11); version-1
    # events happened the day they were recorded.

    class FamiliesProposed(Aggregate.Event):
        class_version = 2

        actor: dict[str, Any]
        family_ids: list[UUID]
        proposed_on: date

        upcast_v1_v2 = upcast_recorded_day("proposed_on")

    class Withdrawn(Aggregate.Event):
        class_version = 2

        actor: dict[str, Any]
        withdrawn_on: date

        upcast_v1_v2 = upcast_recorded_day("withdrawn_on")

    def propose(self, actor: dict, family_ids: list[UUID], proposed_on: date | None = None) -> None:
        """`proposed_on` (default today): not before the referral's decision (nor the families' publication,
        which the application checks)."""
        if not self.is_active:
            raise RuleViolationError("referral.not_proposable", status=self.status.value)
        new = [f for f in dict.fromkeys(family_ids) if f not in self.proposed_family_ids]
        if not new:
            raise RuleViolationError("referral.already_proposed")
        on = check_in_order(proposed_on or date.today(), "proposed_on", self.decision_date)
        self._propose(actor=actor, family_ids=new, proposed_on=on)

    @event(FamiliesProposed)
    def _propose(self, actor: dict, family_ids: list[UUID], proposed_on: date) -> None:
        self.proposed_family_ids.extend(family_ids)

    class Matched(Aggregate.Event):
        """The municipality is put in contact with a family: `matched_on` mirrors the interest's brokering."""

        class_version = 2

        actor: dict[str, Any]
        family_id: UUID
        interest_id: UUID
        matched_on: date

        upcast_v1_v2 = upcast_recorded_day("matched_on")

    def match(self, actor: dict, family_id: UUID, interest_id: UUID, matched_on: date | None = None) -> None:
        if not self.is_active:
            raise RuleViolationError("referral.not_matchable", status=self.status.value)
        on = max(matched_on or date.today(), self.decision_date)  # an earlier brokering serves it from its decision
        self._match(actor=actor, family_id=family_id, interest_id=interest_id, matched_on=on)

    @event(Matched)
    def _match(self, actor: dict, family_id: UUID, interest_id: UUID, matched_on: date) -> None:
        self.status = ReferralStatus.MATCHED

    def place(self, actor: dict, placement_id: UUID, family_id: UUID, start_date: date) -> None:
        if not self.is_active:
            raise RuleViolationError("referral.not_placeable", status=self.status.value)
        self._place(actor=actor, placement_id=placement_id, family_id=family_id, start_date=start_date)

    @event("Placed")
    def _place(self, actor: dict, placement_id: UUID, family_id: UUID, start_date: date) -> None:
        self.status = ReferralStatus.PLACED
        self.placement_ids.append(placement_id)

    def withdraw(self, actor: dict, withdrawn_on: date | None = None) -> None:
        if not self.is_active:
            raise RuleViolationError("referral.not_withdrawable", status=self.status.value)
        on = check_in_order(withdrawn_on or date.today(), "withdrawn_on", self.decision_date)
        self._withdraw(actor=actor, withdrawn_on=on)

    @event(Withdrawn)
    def _withdraw(self, actor: dict, withdrawn_on: date) -> None:
        self.status = ReferralStatus.WITHDRAWN

    class Closed(Aggregate.Event):
        # Version 2: a coded outcome, an optional sealed note and the day of closing (the retention
        # period counts from it). A version-1 free-text reason becomes the note; its outcome is unknown.
        class_version = 2

        actor: dict[str, Any]
        outcome: str | None
        note: str
        closed_on: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["note"] = state.pop("reason", "")
            state["outcome"] = None
            stamp = state.get("timestamp")
            state["closed_on"] = stamp.date() if isinstance(stamp, datetime) else date.today()

    def close(self, actor: dict, outcome: ReferralOutcome, note: str, closed_on: date) -> None:
        if self.status in (ReferralStatus.WITHDRAWN, ReferralStatus.CLOSED):
            raise RuleViolationError("referral.already_ended", status=self.status.value)
        if outcome is ReferralOutcome.PLACED_THROUGH_POOL and not self.placement_ids:
            raise RuleViolationError("referral.outcome_needs_placement")
        self._close(actor=actor, outcome=outcome.value, note=note, closed_on=closed_on)

    @event(Closed)
    def _close(self, actor: dict, outcome: str | None, note: str, closed_on: date) -> None:
        self.status = ReferralStatus.CLOSED
        self.outcome = outcome
        self.note = note
        self.closed_on = closed_on

    def state_non_execution_reason(self, actor: dict, reason: str) -> None:
        """The municipality says why the decision is not executed yet (the quarterly report lists it)."""
        if not self.is_active:
            raise RuleViolationError("referral.not_pending_execution", status=self.status.value)
        if reason == self.non_execution_reason:
            raise RuleViolationError("referral.reason_unchanged", reason=reason)
        self._state_non_execution_reason(actor=actor, reason=reason)

    @event("NonExecutionReasonStated")
    def _state_non_execution_reason(self, actor: dict, reason: str) -> None:
        self.non_execution_reason = reason

    # Erasing the child data of a closed referral (crypto-shredding, as for families) ----------

    @property
    def child_data_erased(self) -> bool:
        return getattr(self, "_child_data_erased", False)  # set only by ChildDataErased

    def check_erasable(self, today: date, retention_days: int) -> None:
        if self.status is not ReferralStatus.CLOSED:
            raise RuleViolationError("referral.not_closed", status=self.status.value)
        if self.child_data_erased:
            raise RuleViolationError("referral.already_erased")
        erasable_on = self.closed_on + timedelta(days=retention_days)
        if today < erasable_on:
            raise RuleViolationError("referral.retention_not_passed", erasable_on=erasable_on.isoformat(),
                                     days=retention_days)

    def erase_child_data(self, actor: dict, today: date, retention_days: int) -> None:
        self.check_erasable(today, retention_days)
        self._erase_child_data(actor=actor)

    def record_erasure_after_restore(self, actor: dict) -> None:
        """The live database erased it after the backup was taken: record what already happened there."""
        if self.child_data_erased:
            raise RuleViolationError("referral.already_erased")
        self._erase_child_data(actor=actor)

    @event("ChildDataErased")
    def _erase_child_data(self, actor: dict) -> None:
        # Needs, wishes and the closing note stay in history, sealed; the key is destroyed after this.
        self._child_data_erased = True

    def mark_urgent(self, actor: dict, urgent: bool) -> None:
        """An urgent need: for a jourhem referral, matching then takes only homes available today."""
        if not self.is_active:
            raise RuleViolationError("referral.not_active_for_urgency", status=self.status.value)
        if urgent == self.urgent:
            raise RuleViolationError("referral.urgency_unchanged", urgent=urgent)
        self._mark_urgent(actor=actor, urgent=urgent)

    @event("UrgencySet")
    def _mark_urgent(self, actor: dict, urgent: bool) -> None:
        self.urgent = urgent
