"""The Family aggregate: an applicant household's way from application to publication and erasure."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from pool.codes import course_id_of, language_codes_of
from pool.domain.description_review import DescriptionGuards
from pool.domain.family_commands import FamilyCommands
from pool.domain.family_rules import FamilyStatus
from pool.domain.family_support import SupportRules
from pool.values import Kind, upcast_recorded_day


class Family(FamilyCommands, DescriptionGuards, SupportRules, Aggregate):
    """A household (or a single contact person) offering assignments to the pool.

    Personal fields (names, personnummer, contact details, notes) arrive already sealed by the
    application; the aggregate never sees them in plain text. This class holds the events and what each
    sets; the commands and their guards are in family_commands.py and family_rules.py.
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

        upcast_v2_v3 = upcast_recorded_day("published_on")

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

        upcast_v1_v2 = upcast_recorded_day("step_done_on")

    class Rejected(Aggregate.Event):
        class_version = 2

        actor: dict[str, Any]
        reason: str
        rejected_on: date

        upcast_v1_v2 = upcast_recorded_day("rejected_on")

    class Unpublished(Aggregate.Event):
        class_version = 2

        actor: dict[str, Any]
        unpublished_on: date

        upcast_v1_v2 = upcast_recorded_day("unpublished_on")

    class Withdrawn(Aggregate.Event):
        class_version = 2

        actor: dict[str, Any]
        reason: str
        withdrawn_on: date

        upcast_v1_v2 = upcast_recorded_day("withdrawn_on")

    class ContactReleased(Aggregate.Event):
        """Mirrors the interest's brokering, with its date."""

        class_version = 2

        actor: dict[str, Any]
        municipality: str
        interest_id: UUID
        brokered_on: date

        upcast_v1_v2 = upcast_recorded_day("brokered_on")

    class LinkClosed(Aggregate.Event):
        """Mirrors the end of the interest's link, with its date."""

        class_version = 2

        actor: dict[str, Any]
        interest_id: UUID
        municipality: str
        placed: bool
        ended_on: date

        upcast_v1_v2 = upcast_recorded_day("ended_on")

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

    @event(InvestigationStepRecorded)
    def _record_step(self, actor: dict, step: str, outcome: str, note: str, step_done_on: date) -> None:
        earlier = self.checklist.get(step)
        history = [*earlier.get("history", []), {k: earlier.get(k) for k in ("outcome", "note", "step_done_on")}] \
            if earlier else []
        self.checklist[step] = {"outcome": outcome, "note": note, "step_done_on": step_done_on, "history": history}
        self.last_step_on = max(self.last_step_on or step_done_on, step_done_on)
        self.status = FamilyStatus.UNDER_INVESTIGATION

    @event(Approved)
    def _approve(self, actor: dict, approved_on: date, motivation: str | None = None) -> None:
        self.status = FamilyStatus.APPROVED
        self.approved_on = approved_on
        self.approval_motivation = motivation

    @event(Rejected)
    def _reject(self, actor: dict, reason: str, rejected_on: date) -> None:
        self.status = FamilyStatus.REJECTED
        self.closing_reason = reason

    @event(TrainingRecorded)
    def _record_training(self, actor: dict, course: str, completed_on: date) -> None:
        self.training.append({"course": course, "completed_on": completed_on})

    @event(DescriptionSet)
    def _set_description(self, actor: dict, description: str) -> None:
        self.description = description
        self.description_author = {"username": actor.get("username"), "user_id": actor.get("user_id")}
        self.description_review = None

    @event(DescriptionReviewed)
    def _review_description(self, actor: dict, reviewed_on: date) -> None:
        self.description_review = {"username": actor.get("username"), "user_id": actor.get("user_id"),
                                   "reviewed_on": reviewed_on}

    @event(Published)
    def _publish(self, actor: dict, description: str | None, plain_description: str | None = None,
                 published_on: date | None = None) -> None:
        self.status = FamilyStatus.PUBLISHED
        self.published_on = published_on
        if plain_description is not None:  # a version-1 event: published before descriptions were sealed
            self.description, self.description_author, self.description_review = plain_description, None, None

    @event(Unpublished)
    def _unpublish(self, actor: dict, unpublished_on: date) -> None:
        self.status = FamilyStatus.UNPUBLISHED
        self.unpublished_on = unpublished_on

    @event(Withdrawn)
    def _withdraw(self, actor: dict, reason: str, withdrawn_on: date) -> None:
        self.status = FamilyStatus.WITHDRAWN
        self.closing_reason = reason

    @event("Erased")
    def _erase(self, actor: dict) -> None:
        # The sealed values stay in history but no longer open: the key is destroyed.
        self.status = FamilyStatus.ERASED
        self.description = self.description_author = self.description_review = None

    @event("PlacementStarted")
    def _start_placement(self, actor: dict, placement_id: UUID, kind: str) -> None:
        self.active_placements.append(placement_id)

    @event("PlacementEnded")
    def _end_placement(self, actor: dict, placement_id: UUID) -> None:
        self.active_placements.remove(placement_id)

    @event(ContactReleased)
    def _release_contact(self, actor: dict, municipality: str, interest_id: UUID, brokered_on: date) -> None:
        if municipality not in self.contact_released_to:
            self.contact_released_to.append(municipality)
        self.open_links[interest_id] = municipality

    @event(LinkClosed)
    def _close_link(self, actor: dict, interest_id: UUID, municipality: str, placed: bool, ended_on: date) -> None:
        self.open_links.pop(interest_id, None)
        if not placed and municipality not in self.open_links.values() and municipality in self.contact_released_to:
            self.contact_released_to.remove(municipality)

    # Maintaining the record (issue 12 section 4): new values arrive checked and sealed ---------

    @event("HouseholdUpdated")
    def _update_household(self, actor: dict, adults: list[dict[str, Any]], children_at_home_birth_years: list[int]) -> None:
        self.adults = adults
        self.children_at_home_birth_years = children_at_home_birth_years

    @event("ContactUpdated")
    def _update_contact(self, actor: dict, contact: dict[str, str], home_municipality: str) -> None:
        self.contact = contact
        self.home_municipality = home_municipality

    @event("OfferUpdated")
    def _update_offer(self, actor: dict, kinds: list[str], preferences: dict[str, Any]) -> None:
        self.kinds = [Kind(k) for k in kinds]
        self.preferences = preferences

    # Emergency homes (jourhem) say when they can take a child at short notice (issue 15) -------

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

    @event(SupervisionRecorded)
    def _record_supervision(self, actor: dict, held_on: date, note: str) -> None:
        self._supervision = [*self.supervision, {"held_on": held_on, "note": note}]

    @event(HomeTypeSet)
    def _set_home_type(self, actor: dict, home_type: str) -> None:
        self._home_type = home_type
