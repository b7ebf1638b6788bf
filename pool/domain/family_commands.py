"""The Family aggregate's commands: each checks its guards, then triggers one of Family's events."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pool.domain.family_rules import FamilyRules, FamilyStatus
from pool.domain.family_support import HomeType
from pool.errors import RuleViolationError
from pool.values import InvestigationStep, Kind, Outcome, check_in_order, required_steps


class FamilyCommands(FamilyRules):
    """Mixed into Family: the public commands. The event methods they call (`_approve`, …) are Family's
    own, decorated with `@event` in its class body, which is where the library looks for them."""

    def record_investigation_step(self, actor: dict, step: InvestigationStep, outcome: Outcome, note: str,
                                  step_done_on: date | None = None) -> None:
        """`step_done_on` (default today): not before the application. Recording a step again keeps the
        earlier record in the step's history (issue 12)."""
        if not self.in_status(FamilyStatus.APPLIED, FamilyStatus.UNDER_INVESTIGATION):
            raise RuleViolationError("family.not_investigable", status=self.status.value)
        if step not in required_steps(self.kinds):
            raise RuleViolationError("family.step_not_in_checklist", step=step.value, kinds=list(self.kinds))
        done = check_in_order(step_done_on or date.today(), "step_done_on", self.applied_on)
        self._record_step(actor=actor, step=step.value, outcome=outcome.value, note=note, step_done_on=done)

    def approve(self, actor: dict, approved_on: date, motivation: str | None = None) -> None:
        """`motivation` (sealed) is required when any checklist step found a concern."""
        # APPLIED is let through: it fails the checklist, a clearer message.
        if not self.in_status(FamilyStatus.UNDER_INVESTIGATION, FamilyStatus.APPLIED):
            raise RuleViolationError("family.not_approvable", status=self.status.value)
        self.check_checklist_complete()
        self.check_concerns_motivated(motivation is not None)
        check_in_order(approved_on, "approved_on", self.applied_on, self.last_step_on)
        self._approve(actor=actor, approved_on=approved_on, motivation=motivation)

    def reject(self, actor: dict, reason: str, rejected_on: date | None = None) -> None:
        if not self.in_status(FamilyStatus.APPLIED, FamilyStatus.UNDER_INVESTIGATION):
            raise RuleViolationError("family.not_rejectable", status=self.status.value)
        on = check_in_order(rejected_on or date.today(), "rejected_on", self.applied_on, self.last_step_on)
        self._reject(actor=actor, reason=reason, rejected_on=on)

    def record_training(self, actor: dict, course: str, completed_on: date) -> None:
        self.check_not_erased()
        if self.status in (FamilyStatus.REJECTED, FamilyStatus.WITHDRAWN):
            raise RuleViolationError("family.training_refused", status=self.status.value)
        self._record_training(actor=actor, course=course, completed_on=completed_on)

    def set_description(self, actor: dict, sealed_description: str) -> None:
        """A new or changed description; any earlier review no longer counts."""
        self.check_description_settable()
        self._set_description(actor=actor, description=sealed_description)

    def review_description(self, actor: dict, reviewed_on: date) -> None:
        self.check_description_reviewable(actor)
        self._review_description(actor=actor, reviewed_on=reviewed_on)

    def publish(self, actor: dict, *, review_required: bool, published_on: date | None = None) -> None:
        """Publish the current description; with reviews required, only once a second consultant approved it.

        `published_on` (default today): not before the approval (nor the last unpublication)."""
        if not self.in_status(FamilyStatus.APPROVED, FamilyStatus.UNPUBLISHED, FamilyStatus.PUBLISHED):
            raise RuleViolationError("family.not_publishable", status=self.status.value)
        self.check_description_publishable(review_required)
        self.check_publishable_home_type()
        on = check_in_order(published_on or date.today(), "published_on", self.approved_on, self.unpublished_on)
        self._publish(actor=actor, description=self.description, published_on=on)

    def unpublish(self, actor: dict, unpublished_on: date | None = None) -> None:
        if not self.in_status(FamilyStatus.PUBLISHED):
            raise RuleViolationError("family.not_published", status=self.status.value)
        on = check_in_order(unpublished_on or date.today(), "unpublished_on", self.published_on)
        self._unpublish(actor=actor, unpublished_on=on)

    def withdraw(self, actor: dict, reason: str, withdrawn_on: date | None = None) -> None:
        self.check_not_erased()
        if self.status is FamilyStatus.WITHDRAWN:
            raise RuleViolationError("family.already_withdrawn")
        if self.active_placements:
            raise RuleViolationError("family.has_active_placements")
        on = check_in_order(withdrawn_on or date.today(), "withdrawn_on", self.applied_on, self.last_step_on,
                            self.approved_on, self.published_on, self.unpublished_on)
        self._withdraw(actor=actor, reason=reason, withdrawn_on=on)

    def erase(self, actor: dict) -> None:
        self.check_not_erased()
        if self.active_placements:
            raise RuleViolationError("family.has_active_placements")
        self._erase(actor=actor)

    def start_placement(self, actor: dict, placement_id: UUID, kind: Kind) -> None:
        self.check_not_erased()
        if not self.is_approved:
            raise RuleViolationError("family.not_approved", status=self.status.value)
        if kind not in self.kinds:
            raise RuleViolationError("family.kind_not_offered", kind=kind.value)
        self.check_free_capacity()
        self._start_placement(actor=actor, placement_id=placement_id, kind=kind.value)

    def end_placement(self, actor: dict, placement_id: UUID) -> None:
        if placement_id not in self.active_placements:
            raise RuleViolationError("family.placement_not_active")
        self._end_placement(actor=actor, placement_id=placement_id)

    def release_contact(self, actor: dict, municipality: str, interest_id: UUID, brokered_on: date | None = None) -> None:
        if not self.in_status(FamilyStatus.PUBLISHED, FamilyStatus.APPROVED, FamilyStatus.UNPUBLISHED):
            raise RuleViolationError("family.contact_not_releasable", status=self.status.value)
        self.check_place_for_link()
        on = check_in_order(brokered_on or date.today(), "brokered_on", self.approved_on)
        self._release_contact(actor=actor, municipality=municipality, interest_id=interest_id, brokered_on=on)

    def close_link(self, actor: dict, interest_id: UUID, placed: bool, ended_on: date | None = None) -> None:
        """A brokered link's outcome frees its promised place; without a placement the contact closes again.

        `ended_on`: the interest's date of the link's end (the interest checks it against its brokering)."""
        if interest_id in self.open_links:  # a link brokered before links were tracked has nothing to close
            self._close_link(actor=actor, interest_id=interest_id, municipality=self.open_links[interest_id],
                             placed=placed, ended_on=ended_on or date.today())

    def update_household(self, actor: dict, adults: list[dict[str, Any]], children_at_home_birth_years: list[int]) -> None:
        self.check_not_erased()
        self._update_household(actor=actor, adults=adults, children_at_home_birth_years=children_at_home_birth_years)

    def update_contact(self, actor: dict, contact: dict[str, str], home_municipality: str) -> None:
        """Address, phone and e-mail; a move to another municipality changes the home municipality too."""
        self.check_not_erased()
        self._update_contact(actor=actor, contact=contact, home_municipality=home_municipality)

    def update_offer(self, actor: dict, kinds: list[Kind], preferences: dict[str, Any], active_kinds: list[str]) -> None:
        """Kinds, capacity (preferences.max_children) and preferences, as one change."""
        self.check_not_erased()
        self.check_offer_keeps_placements(kinds, int(preferences["max_children"]), active_kinds)
        self._update_offer(actor=actor, kinds=[Kind(k).value for k in kinds], preferences=preferences)

    def state_availability(self, actor: dict, periods: list[tuple[date, date]]) -> None:
        """The whole list of periods replaces the earlier one; an empty list says "not available"."""
        self.check_not_erased()
        if Kind.JOURHEM not in self.kinds:
            raise RuleViolationError("family.availability_needs_jourhem")
        self._state_availability(actor=actor, periods=[{"from": a, "to": b} for a, b in sorted(periods)])

    def record_supervision(self, actor: dict, held_on: date, sealed_note: str) -> None:
        self.check_supervisable()
        self._record_supervision(actor=actor, held_on=held_on, note=sealed_note)

    def set_home_type(self, actor: dict, home_type: HomeType) -> bool:
        """False (no event) when the family already is of that type."""
        self.check_home_type_settable(home_type)
        if home_type is self.home_type:
            return False
        self._set_home_type(actor=actor, home_type=home_type.value)
        return True
