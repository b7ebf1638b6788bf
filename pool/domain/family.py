"""The Family aggregate: an applicant household's way from application to publication and erasure."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from pool.codes import course_id_of, language_codes_of
from pool.domain.description_review import DescriptionGuards
from pool.domain.family_support import HomeType, SupportRules
from pool.errors import ErasedError, InvalidInputError, RuleViolationError
from pool.values import InvestigationStep, Kind, Outcome, check_in_order, recorded_on, required_steps


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


class Family(DescriptionGuards, SupportRules, Aggregate):
    """A household (or a single contact person) offering assignments to the pool.

    Personal fields (names, personnummer, contact details, notes) arrive already sealed by the
    application; the aggregate never sees them in plain text.
    """

    class Applied(Aggregate.Created):
        # Version 2: preferences.languages are ISO 639 codes. Version-1 events (free text) are upcast:
        # known names become codes, other text is dropped here (it stays in the stored event).
        class_version = 2

        actor: dict[str, Any]
        kinds: list[str]
        home_municipality: str
        adults: list[dict[str, Any]]
        children_at_home_birth_years: list[int]
        contact: dict[str, str]
        preferences: dict[str, Any]
        applied_on: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            prefs = dict(state.get("preferences") or {})
            prefs["languages"] = language_codes_of(list(prefs.get("languages") or []))
            state["preferences"] = prefs

    class TrainingRecorded(Aggregate.Event):
        # Version 2: the course is an id of pool.codes.COURSES; a version-1 free-text course that names
        # none of them reads as "annan" (its text stays in the stored event).
        class_version = 2

        actor: dict[str, Any]
        course: str
        completed_on: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["course"] = course_id_of(state.get("course", ""))

    class DescriptionSet(Aggregate.Event):
        """The anonymous description, written or changed; sealed under the family's key (erasure shreds it)."""

        actor: dict[str, Any]
        description: str

    class DescriptionReviewed(Aggregate.Event):
        """A second pool consultant, not the description's author, approved it for publication."""

        actor: dict[str, Any]
        reviewed_on: date

    class Approved(Aggregate.Event):
        # Version 2: `motivation` (sealed), required when a checklist step found a concern; None before.
        class_version = 2

        actor: dict[str, Any]
        approved_on: date
        motivation: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["motivation"] = None

    class Published(Aggregate.Event):
        # Version 2: `description` is sealed under the family's key. A version-1 event carried it in plain
        # text; the upcaster moves that text to `plain_description`, which is still read (an upcaster cannot
        # seal: it has no key). It stays in the stored event until erasure shreds nothing there: see
        # docs/security.md on what a `keys rotate` and a re-publication do for such families.
        # Version 3: `published_on`, the business date; earlier events were published the day recorded.
        class_version = 3

        actor: dict[str, Any]
        description: str | None
        plain_description: str | None
        published_on: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["plain_description"] = state.pop("description", None)
            state["description"] = None

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["published_on"] = recorded_on(state)

    # Version 2 of the events below carries the business date (issue 11): the day it happened in the
    # world, which may lie before the day it was recorded (`timestamp`, kept for the audit trail).
    # Version-1 events happened the day they were recorded.

    class InvestigationStepRecorded(Aggregate.Event):
        class_version = 2

        actor: dict[str, Any]
        step: str
        outcome: str
        note: str
        step_done_on: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["step_done_on"] = recorded_on(state)

    class Rejected(Aggregate.Event):
        class_version = 2

        actor: dict[str, Any]
        reason: str
        rejected_on: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["rejected_on"] = recorded_on(state)

    class Unpublished(Aggregate.Event):
        class_version = 2

        actor: dict[str, Any]
        unpublished_on: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["unpublished_on"] = recorded_on(state)

    class Withdrawn(Aggregate.Event):
        class_version = 2

        actor: dict[str, Any]
        reason: str
        withdrawn_on: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["withdrawn_on"] = recorded_on(state)

    class ContactReleased(Aggregate.Event):
        """Mirrors the interest's brokering, with its date."""

        class_version = 2

        actor: dict[str, Any]
        municipality: str
        interest_id: UUID
        brokered_on: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["brokered_on"] = recorded_on(state)

    class LinkClosed(Aggregate.Event):
        """Mirrors the end of the interest's link, with its date."""

        class_version = 2

        actor: dict[str, Any]
        interest_id: UUID
        municipality: str
        placed: bool
        ended_on: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["ended_on"] = recorded_on(state)

    @event(Applied)
    def __init__(
        self,
        id: UUID,  # chosen by the application: personal data is sealed under it first
        actor: dict[str, Any],
        kinds: list[str],
        home_municipality: str,
        adults: list[dict[str, Any]],
        children_at_home_birth_years: list[int],
        contact: dict[str, str],
        preferences: dict[str, Any],
        applied_on: date,
    ):
        self.kinds = [Kind(k) for k in kinds]
        self.home_municipality = home_municipality
        self.adults = adults
        self.children_at_home_birth_years = children_at_home_birth_years
        self.contact = contact
        self.preferences = preferences
        self.applied_on = applied_on
        self.status = FamilyStatus.APPLIED
        self.availability: list[dict[str, date]] = []  # jourhem: periods it can take a child
        self.approval_motivation: str | None = None  # sealed; given when a step found a concern
        self.closing_reason: str | None = None  # sealed rejection or withdrawal reason
        self.checklist: dict[str, dict[str, Any]] = {}
        self.training: list[dict[str, Any]] = []
        # Sealed under the family's key; from a version-1 Published event, the plain text it carried.
        self.description: str | None = None
        self.description_author: dict[str, Any] | None = None  # who wrote it (None: before reviews existed)
        self.description_review: dict[str, Any] | None = None  # {"username", "user_id", "reviewed_on"}
        self.active_placements: list[UUID] = []
        self.contact_released_to: list[str] = []
        self.open_links: dict[UUID, str] = {}  # brokered interests without an outcome -> municipality
        self.approved_on: date | None = None
        self.published_on: date | None = None  # the latest publication's business date
        self.unpublished_on: date | None = None
        self.last_step_on: date | None = None  # the latest checklist record's business date

    # Guards -------------------------------------------------------------------------------

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

    # Commands -----------------------------------------------------------------------------

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

    @event(InvestigationStepRecorded)
    def _record_step(self, actor: dict, step: str, outcome: str, note: str, step_done_on: date) -> None:
        earlier = self.checklist.get(step)
        history = [*earlier.get("history", []), {k: earlier.get(k) for k in ("outcome", "note", "step_done_on")}] \
            if earlier else []
        self.checklist[step] = {"outcome": outcome, "note": note, "step_done_on": step_done_on, "history": history}
        self.last_step_on = max(self.last_step_on or step_done_on, step_done_on)
        self.status = FamilyStatus.UNDER_INVESTIGATION

    def approve(self, actor: dict, approved_on: date, motivation: str | None = None) -> None:
        """`motivation` (sealed) is required when any checklist step found a concern."""
        # APPLIED is let through: it fails the checklist, a clearer message.
        if not self.in_status(FamilyStatus.UNDER_INVESTIGATION, FamilyStatus.APPLIED):
            raise RuleViolationError("family.not_approvable", status=self.status.value)
        self.check_checklist_complete()
        self.check_concerns_motivated(motivation is not None)
        check_in_order(approved_on, "approved_on", self.applied_on, self.last_step_on)
        self._approve(actor=actor, approved_on=approved_on, motivation=motivation)

    def concerns(self) -> list[str]:
        return sorted(step for step, v in self.checklist.items() if v["outcome"] == Outcome.CONCERN.value)

    def check_concerns_motivated(self, motivated: bool) -> None:
        if self.concerns() and not motivated:
            raise InvalidInputError("family.concern_needs_motivation", field="motivation", steps=self.concerns())

    @event(Approved)
    def _approve(self, actor: dict, approved_on: date, motivation: str | None = None) -> None:
        self.status = FamilyStatus.APPROVED
        self.approved_on = approved_on
        self.approval_motivation = motivation

    def reject(self, actor: dict, reason: str, rejected_on: date | None = None) -> None:
        if not self.in_status(FamilyStatus.APPLIED, FamilyStatus.UNDER_INVESTIGATION):
            raise RuleViolationError("family.not_rejectable", status=self.status.value)
        on = check_in_order(rejected_on or date.today(), "rejected_on", self.applied_on, self.last_step_on)
        self._reject(actor=actor, reason=reason, rejected_on=on)

    @event(Rejected)
    def _reject(self, actor: dict, reason: str, rejected_on: date) -> None:
        self.status = FamilyStatus.REJECTED
        self.closing_reason = reason

    def record_training(self, actor: dict, course: str, completed_on: date) -> None:
        self.check_not_erased()
        if self.status in (FamilyStatus.REJECTED, FamilyStatus.WITHDRAWN):
            raise RuleViolationError("family.training_refused", status=self.status.value)
        self._record_training(actor=actor, course=course, completed_on=completed_on)

    @event(TrainingRecorded)
    def _record_training(self, actor: dict, course: str, completed_on: date) -> None:
        self.training.append({"course": course, "completed_on": completed_on})

    def set_description(self, actor: dict, sealed_description: str) -> None:
        """A new or changed description; any earlier review no longer counts."""
        self.check_description_settable()
        self._set_description(actor=actor, description=sealed_description)

    @event(DescriptionSet)
    def _set_description(self, actor: dict, description: str) -> None:
        self.description = description
        self.description_author = {"username": actor.get("username"), "user_id": actor.get("user_id")}
        self.description_review = None

    def review_description(self, actor: dict, reviewed_on: date) -> None:
        self.check_description_reviewable(actor)
        self._review_description(actor=actor, reviewed_on=reviewed_on)

    @event(DescriptionReviewed)
    def _review_description(self, actor: dict, reviewed_on: date) -> None:
        self.description_review = {"username": actor.get("username"), "user_id": actor.get("user_id"),
                                   "reviewed_on": reviewed_on}

    def publish(self, actor: dict, *, review_required: bool, published_on: date | None = None) -> None:
        """Publish the current description; with reviews required, only once a second consultant approved it.

        `published_on` (default today): not before the approval (nor the last unpublication)."""
        if not self.in_status(FamilyStatus.APPROVED, FamilyStatus.UNPUBLISHED, FamilyStatus.PUBLISHED):
            raise RuleViolationError("family.not_publishable", status=self.status.value)
        self.check_description_publishable(review_required)
        self.check_publishable_home_type()
        on = check_in_order(published_on or date.today(), "published_on", self.approved_on, self.unpublished_on)
        self._publish(actor=actor, description=self.description, published_on=on)

    @event(Published)
    def _publish(self, actor: dict, description: str | None, plain_description: str | None = None,
                 published_on: date | None = None) -> None:
        self.status = FamilyStatus.PUBLISHED
        self.published_on = published_on
        if plain_description is not None:  # a version-1 event: published before descriptions were sealed
            self.description, self.description_author, self.description_review = plain_description, None, None

    def unpublish(self, actor: dict, unpublished_on: date | None = None) -> None:
        if not self.in_status(FamilyStatus.PUBLISHED):
            raise RuleViolationError("family.not_published", status=self.status.value)
        on = check_in_order(unpublished_on or date.today(), "unpublished_on", self.published_on)
        self._unpublish(actor=actor, unpublished_on=on)

    @event(Unpublished)
    def _unpublish(self, actor: dict, unpublished_on: date) -> None:
        self.status = FamilyStatus.UNPUBLISHED
        self.unpublished_on = unpublished_on

    def withdraw(self, actor: dict, reason: str, withdrawn_on: date | None = None) -> None:
        self.check_not_erased()
        if self.status is FamilyStatus.WITHDRAWN:
            raise RuleViolationError("family.already_withdrawn")
        if self.active_placements:
            raise RuleViolationError("family.has_active_placements")
        on = check_in_order(withdrawn_on or date.today(), "withdrawn_on", self.applied_on, self.last_step_on,
                            self.approved_on, self.published_on, self.unpublished_on)
        self._withdraw(actor=actor, reason=reason, withdrawn_on=on)

    @event(Withdrawn)
    def _withdraw(self, actor: dict, reason: str, withdrawn_on: date) -> None:
        self.status = FamilyStatus.WITHDRAWN
        self.closing_reason = reason

    def erase(self, actor: dict) -> None:
        self.check_not_erased()
        if self.active_placements:
            raise RuleViolationError("family.has_active_placements")
        self._erase(actor=actor)

    @event("Erased")
    def _erase(self, actor: dict) -> None:
        # The sealed values stay in history but no longer open: the key is destroyed.
        self.status = FamilyStatus.ERASED
        self.description = self.description_author = self.description_review = None

    def start_placement(self, actor: dict, placement_id: UUID, kind: Kind) -> None:
        self.check_not_erased()
        if not self.is_approved:
            raise RuleViolationError("family.not_approved", status=self.status.value)
        if kind not in self.kinds:
            raise RuleViolationError("family.kind_not_offered", kind=kind.value)
        self.check_free_capacity()
        self._start_placement(actor=actor, placement_id=placement_id, kind=kind.value)

    @event("PlacementStarted")
    def _start_placement(self, actor: dict, placement_id: UUID, kind: str) -> None:
        self.active_placements.append(placement_id)

    def end_placement(self, actor: dict, placement_id: UUID) -> None:
        if placement_id not in self.active_placements:
            raise RuleViolationError("family.placement_not_active")
        self._end_placement(actor=actor, placement_id=placement_id)

    @event("PlacementEnded")
    def _end_placement(self, actor: dict, placement_id: UUID) -> None:
        self.active_placements.remove(placement_id)

    def release_contact(self, actor: dict, municipality: str, interest_id: UUID, brokered_on: date | None = None) -> None:
        if not self.in_status(FamilyStatus.PUBLISHED, FamilyStatus.APPROVED, FamilyStatus.UNPUBLISHED):
            raise RuleViolationError("family.contact_not_releasable", status=self.status.value)
        self.check_place_for_link()
        on = check_in_order(brokered_on or date.today(), "brokered_on", self.approved_on)
        self._release_contact(actor=actor, municipality=municipality, interest_id=interest_id, brokered_on=on)

    @event(ContactReleased)
    def _release_contact(self, actor: dict, municipality: str, interest_id: UUID, brokered_on: date) -> None:
        if municipality not in self.contact_released_to:
            self.contact_released_to.append(municipality)
        self.open_links[interest_id] = municipality

    def close_link(self, actor: dict, interest_id: UUID, placed: bool, ended_on: date | None = None) -> None:
        """A brokered link's outcome frees its promised place; without a placement the contact closes again.

        `ended_on`: the interest's date of the link's end (the interest checks it against its brokering)."""
        if interest_id in self.open_links:  # a link brokered before links were tracked has nothing to close
            self._close_link(actor=actor, interest_id=interest_id, municipality=self.open_links[interest_id],
                             placed=placed, ended_on=ended_on or date.today())

    @event(LinkClosed)
    def _close_link(self, actor: dict, interest_id: UUID, municipality: str, placed: bool, ended_on: date) -> None:
        self.open_links.pop(interest_id, None)
        if not placed and municipality not in self.open_links.values() and municipality in self.contact_released_to:
            self.contact_released_to.remove(municipality)

    # Maintaining the record (issue 12 section 4): new values arrive checked and sealed ---------

    def check_offer_keeps_placements(self, kinds: list[Kind], max_children: int, active_kinds: list[str]) -> None:
        """A change of kinds or capacity never breaks an active placement (`active_kinds`: one per placement)."""
        in_use = sorted({k for k in active_kinds if k not in kinds})
        if in_use:
            raise RuleViolationError("family.kind_in_use", kinds=in_use)
        if max_children < len(self.active_placements):
            raise RuleViolationError("family.capacity_below_placements", capacity=max_children,
                                     active=len(self.active_placements))

    def update_household(self, actor: dict, adults: list[dict[str, Any]], children_at_home_birth_years: list[int]) -> None:
        self.check_not_erased()
        self._update_household(actor=actor, adults=adults, children_at_home_birth_years=children_at_home_birth_years)

    @event("HouseholdUpdated")
    def _update_household(self, actor: dict, adults: list[dict[str, Any]], children_at_home_birth_years: list[int]) -> None:
        self.adults = adults
        self.children_at_home_birth_years = children_at_home_birth_years

    def update_contact(self, actor: dict, contact: dict[str, str], home_municipality: str) -> None:
        """Address, phone and e-mail; a move to another municipality changes the home municipality too."""
        self.check_not_erased()
        self._update_contact(actor=actor, contact=contact, home_municipality=home_municipality)

    @event("ContactUpdated")
    def _update_contact(self, actor: dict, contact: dict[str, str], home_municipality: str) -> None:
        self.contact = contact
        self.home_municipality = home_municipality

    def update_offer(self, actor: dict, kinds: list[Kind], preferences: dict[str, Any], active_kinds: list[str]) -> None:
        """Kinds, capacity (preferences.max_children) and preferences, as one change."""
        self.check_not_erased()
        self.check_offer_keeps_placements(kinds, int(preferences["max_children"]), active_kinds)
        self._update_offer(actor=actor, kinds=[Kind(k).value for k in kinds], preferences=preferences)

    @event("OfferUpdated")
    def _update_offer(self, actor: dict, kinds: list[str], preferences: dict[str, Any]) -> None:
        self.kinds = [Kind(k) for k in kinds]
        self.preferences = preferences

    # Emergency homes (jourhem) say when they can take a child at short notice (issue 15) -------

    def state_availability(self, actor: dict, periods: list[tuple[date, date]]) -> None:
        """The whole list of periods replaces the earlier one; an empty list says "not available"."""
        self.check_not_erased()
        if Kind.JOURHEM not in self.kinds:
            raise RuleViolationError("family.availability_needs_jourhem")
        self._state_availability(actor=actor, periods=[{"from": a, "to": b} for a, b in sorted(periods)])

    @event("AvailabilityStated")
    def _state_availability(self, actor: dict, periods: list[dict[str, date]]) -> None:
        self.availability = periods

    # Supervision and home type (issue 12 section 6); the rules are in pool/domain/family_support.py ------

    class SupervisionRecorded(Aggregate.Event):
        """A supervision session (handledning); the note is sealed under the family's key (erasure shreds it)."""

        actor: dict[str, Any]
        held_on: date
        note: str

    class HomeTypeSet(Aggregate.Event):
        """Network home or recruited; a family without this event is recruited."""

        actor: dict[str, Any]
        home_type: str

    def record_supervision(self, actor: dict, held_on: date, sealed_note: str) -> None:
        self.check_supervisable()
        self._record_supervision(actor=actor, held_on=held_on, note=sealed_note)

    @event(SupervisionRecorded)
    def _record_supervision(self, actor: dict, held_on: date, note: str) -> None:
        self._supervision = [*self.supervision, {"held_on": held_on, "note": note}]

    def set_home_type(self, actor: dict, home_type: HomeType) -> bool:
        """False (no event) when the family already is of that type."""
        self.check_home_type_settable(home_type)
        if home_type is self.home_type:
            return False
        self._set_home_type(actor=actor, home_type=home_type.value)
        return True

    @event(HomeTypeSet)
    def _set_home_type(self, actor: dict, home_type: str) -> None:
        self._home_type = home_type
