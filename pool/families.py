"""Family commands: application, investigation, decision, publication, erasure."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pool.actors import Actor, Role
from pool.base import BaseApplication, Saved, as_date, business_date
from pool.domain.description import check_anonymous_description
from pool.domain.family import Family, FamilyStatus
from pool.domain.family_support import HomeType
from pool.codes import check_course, check_languages
from pool.errors import ErasedError, InvalidInputError, NotFoundError, PermissionDeniedError
from pool.personal import (
    check_adults, check_contact, open_adults, open_contact, personal_values, seal_adults, seal_contact)
from pool.sealing import is_sealed
from pool.settings import description_review_required
from pool.values import InvestigationStep, Kind, Outcome, check_kommunkod, check_recent, check_text, parse_enum


# Children 0-17 from which a municipality is large enough to be named in a description (about 20,000
# inhabitants); a municipality without a recorded figure counts as small.
LARGE_MUNICIPALITY_CHILDREN = 4000


def check_preferences(prefs: dict[str, Any]) -> dict[str, Any]:
    try:
        lo, hi = int(prefs.get("child_age_min", 0)), int(prefs.get("child_age_max", 17))
        max_children = int(prefs.get("max_children", 1))
    except (TypeError, ValueError):
        raise InvalidInputError("family.preferences_not_whole_numbers", field="preferences") from None
    if not 0 <= lo <= hi <= 17:
        raise InvalidInputError("family.preferences_ages", field="preferences.child_age_min")
    if not 1 <= max_children <= 10:
        raise InvalidInputError("family.preferences_max_children", field="preferences.max_children", minimum=1, maximum=10)
    # ISO 639 codes from the shipped list: free text here reached the anonymous catalogue.
    languages = check_languages(prefs.get("languages") or [])
    return {"child_age_min": lo, "child_age_max": hi, "max_children": max_children,
            "siblings_ok": bool(prefs.get("siblings_ok", False)), "languages": languages}


class FamilyCommands(BaseApplication):
    def apply_family(self, actor: Actor, *, kinds: list[str], home_municipality: str, adults: list[dict[str, Any]],
                     children_at_home_birth_years: list[int], contact: dict[str, Any], preferences: dict[str, Any],
                     applied_on: date | str | None = None, home_type: str = HomeType.RECRUITED.value) -> Saved:
        """Register an applicant household (intresseanmälan); personal data is sealed at once.

        A network home (`home_type` "network") gets its Family.HomeTypeSet in the same save."""
        actor.require(Role.POOL_STAFF)
        parsed_home_type = parse_enum(HomeType, home_type, "home_type")
        parsed_kinds = sorted({parse_enum(Kind, k, "kinds") for k in kinds or []})
        if not parsed_kinds:
            raise InvalidInputError("family.no_kinds", field="kinds")
        check_kommunkod(home_municipality, "home_municipality")
        if not adults or len(adults) > 4:
            raise InvalidInputError("family.adults_count", field="adults", minimum=1, maximum=4)
        this_year = date.today().year
        years = list(children_at_home_birth_years or [])
        if not all(isinstance(y, int) and this_year - 30 <= y <= this_year for y in years):
            raise InvalidInputError("family.children_birth_years", field="children_at_home_birth_years")
        prefs = check_preferences(preferences or {})
        checked_adults, checked_contact = check_adults(adults), check_contact(contact or {})
        applied = check_recent(as_date(applied_on or date.today(), "applied_on"), "applied_on")
        # Everything is checked before the first seal: sealing creates the subject's key.
        family_id = self.new_id()
        family = Family(id=family_id, actor=actor.as_event_data(), kinds=[k.value for k in parsed_kinds],
                        home_municipality=home_municipality, adults=seal_adults(self.sealer, family_id, checked_adults),
                        children_at_home_birth_years=sorted(years),
                        contact=seal_contact(self.sealer, family_id, checked_contact), preferences=prefs,
                        applied_on=applied)
        family.set_home_type(actor.as_event_data(), parsed_home_type)  # recruited: no event
        return self.commit(family)

    def record_investigation_step(self, actor: Actor, family_id: UUID, *, step: str, outcome: str, note: str = "",
                                  step_done_on: date | str | None = None,
                                  expected_version: int | None = None) -> Saved:
        actor.require(Role.POOL_STAFF)
        parsed_step = parse_enum(InvestigationStep, step, "step")
        parsed_outcome = parse_enum(Outcome, outcome, "outcome")
        note = check_text(note, "note", required=False)
        done = business_date(step_done_on, "step_done_on")
        family = self.load(Family, family_id, expected_version)
        family.record_investigation_step(actor.as_event_data(), parsed_step, parsed_outcome,
                                         self.sealer.seal(family_id, note), done)
        return self.commit(family)

    def approve_family(self, actor: Actor, family_id: UUID, *, approved_on: date | str | None = None,
                       motivation: str = "", expected_version: int | None = None) -> Saved:
        """Approve; a written motivation (sealed) is required when a checklist step found a concern."""
        actor.require(Role.POOL_STAFF)
        approved = check_recent(as_date(approved_on or date.today(), "approved_on"), "approved_on")
        text = check_text(motivation, "motivation", required=False, max_length=4000)
        family = self.load(Family, family_id, expected_version)
        family.check_concerns_motivated(bool(text))  # before sealing: a refusal writes nothing
        family.approve(actor.as_event_data(), approved, self.sealer.seal(family_id, text) if text else None)
        return self.commit(family)

    def reject_family(self, actor: Actor, family_id: UUID, *, reason: str, rejected_on: date | str | None = None,
                      expected_version: int | None = None) -> Saved:
        actor.require(Role.POOL_STAFF)
        reason = check_text(reason, "reason")
        on = business_date(rejected_on, "rejected_on")
        family = self.load(Family, family_id, expected_version)
        family.reject(actor.as_event_data(), self.sealer.seal(family_id, reason), on)
        return self.commit(family)

    def record_training(self, actor: Actor, family_id: UUID, *, course: str, completed_on: date | str,
                        expected_version: int | None = None) -> Saved:
        """Record a completed course, by its id in pool.codes.COURSES."""
        actor.require(Role.POOL_STAFF)
        course = check_course(course)
        completed = check_recent(as_date(completed_on, "completed_on"), "completed_on")
        family = self.load(Family, family_id, expected_version)
        family.record_training(actor.as_event_data(), course, completed)
        return self.commit(family)

    def set_description(self, actor: Actor, family_id: UUID, *, description: str,
                        expected_version: int | None = None) -> Saved:
        """Write or change the anonymous description (checked for personal data, sealed); it awaits review."""
        actor.require(Role.POOL_STAFF)
        description = check_text(description, "description", max_length=3000)
        family = self.load(Family, family_id, expected_version)
        if self._stage_description(actor, family, description):
            return self.commit(family)
        return Saved(id=family_id, version=family.version, position=None)  # the same text: nothing to record

    def review_description(self, actor: Actor, family_id: UUID, *, expected_version: int | None = None) -> Saved:
        """A second pool consultant approves the description ("granskad av"); its author cannot."""
        actor.require(Role.POOL_STAFF)
        family = self.load(Family, family_id, expected_version)
        family.review_description(actor.as_event_data(), date.today())
        return self.commit(family)

    def publish_family(self, actor: Actor, family_id: UUID, *, description: str | None = None,
                       published_on: date | str | None = None, expected_version: int | None = None) -> Saved:
        """Publish the current description to the catalogue; a new text given here is set first.

        With reviews required (FAMILJEPOOL_REQUIRE_DESCRIPTION_REVIEW, the default) a new or unreviewed
        text is refused (409): set it, have a second consultant review it, then publish."""
        actor.require(Role.POOL_STAFF)
        if description is not None:
            description = check_text(description, "description", max_length=3000)
        on = business_date(published_on, "published_on")
        family = self.load(Family, family_id, expected_version)
        if description is not None:
            self._stage_description(actor, family, description)
        family.publish(actor.as_event_data(), review_required=description_review_required(self.env), published_on=on)
        return self.commit(family)

    def description_text(self, family: Family) -> str | None:
        """The family's current description in plain text (None: none yet, or erased)."""
        if family.description is None or not is_sealed(family.description):
            return family.description  # a version-1 event's plain text
        try:
            return self.sealer.unseal(family.id, family.description)
        except ErasedError:
            return None

    def description_state(self, family: Family) -> dict[str, Any] | None:
        """The description with its author and review, for pool staff (None: no description yet)."""
        if family.description is None:
            return None
        review = family.description_review or {}
        return {"text": self.description_text(family),
                "author": (family.description_author or {}).get("username"),
                "reviewed_by": review.get("username"), "reviewed_on": review.get("reviewed_on"),
                "review_required": description_review_required(self.env)}

    def _stage_description(self, actor: Actor, family: Family, description: str) -> bool:
        """Check and seal a description onto the family (not saved); False if it is the current text."""
        family.check_description_settable()  # before sealing: never a new key for an erased family
        if description == self.description_text(family):
            return False
        adults = open_adults(self.sealer, family.id, family.adults)
        contact = open_contact(self.sealer, family.id, family.contact)
        check_anonymous_description(description, personal_values(adults, contact),
                                    municipality_names=self._identifying_places(family.home_municipality, contact))
        family.set_description(actor.as_event_data(), self.sealer.seal(family.id, description))
        return True

    def _identifying_places(self, kommunkod: str, contact: dict[str, str]) -> list[str]:
        """The household's municipality and postort, when naming them would narrow it down (docs/security.md)."""
        try:
            member = self.member(kommunkod)
        except NotFoundError:
            return [contact.get("city", "")]  # no name on record for a non-member; the postort still counts
        figures = member.child_population
        children = figures[max(figures)]["children"] if figures else None
        if children is not None and children >= LARGE_MUNICIPALITY_CHILDREN:
            return []
        return [member.name, contact.get("city", "")]

    def unpublish_family(self, actor: Actor, family_id: UUID, *, unpublished_on: date | str | None = None,
                         expected_version: int | None = None) -> Saved:
        actor.require(Role.POOL_STAFF)
        on = business_date(unpublished_on, "unpublished_on")
        family = self.load(Family, family_id, expected_version)
        family.unpublish(actor.as_event_data(), on)
        return self.commit(family)

    def withdraw_family(self, actor: Actor, family_id: UUID, *, reason: str = "",
                        withdrawn_on: date | str | None = None, expected_version: int | None = None) -> Saved:
        actor.require(Role.POOL_STAFF)
        reason = check_text(reason, "reason", required=False)
        on = business_date(withdrawn_on, "withdrawn_on")
        family = self.load(Family, family_id, expected_version)
        family.withdraw(actor.as_event_data(), self.sealer.seal(family_id, reason), on)
        return self.commit(family)

    def erase_family(self, actor: Actor, family_id: UUID, *, expected_version: int | None = None) -> Saved:
        """Record the erasure, then destroy the key: the sealed values never open again."""
        actor.require(Role.POOL_STAFF, Role.ADMIN)
        family = self.load(Family, family_id, expected_version)
        if family.status is FamilyStatus.ERASED and self.sealer.can_unseal(family_id):
            # A crash between the event and the key deletion: erasing again completes the shredding.
            self.sealer.destroy(family_id)
            return Saved(id=family_id, version=family.version, position=None)
        family.erase(actor.as_event_data())
        saved = self.commit(family)
        self.sealer.destroy(family_id)
        return saved

    def family_personal_data(self, actor: Actor, family_id: UUID, *, via: str,
                             purpose: str | None = None) -> dict[str, Any]:
        """The household's names, personnummer, contact details and notes, for pool staff (audited, refusals too).

        Not for the administrator: that role manages members and logins and does no casework."""
        try:
            actor.require(Role.POOL_STAFF)
        except PermissionDeniedError:
            self.record_denial(actor, "family", family_id, via, "role")
            raise
        family = self.load(Family, family_id)
        if family.status is FamilyStatus.ERASED:
            raise ErasedError("personal_data.erased")
        self.record_access(actor, "family", family_id, via,
                           ["adults", "contact", "checklist notes", "approval motivation", "closing reason",
                            "supervision notes"], purpose)
        return {
            "adults": open_adults(self.sealer, family_id, family.adults),
            "contact": open_contact(self.sealer, family_id, family.contact),
            "checklist": {s: {"outcome": v["outcome"], "note": self.sealer.unseal(family_id, v["note"]),
                              "step_done_on": v.get("step_done_on"),
                              "history": [{"outcome": h["outcome"], "note": self.sealer.unseal(family_id, h["note"]),
                                           "step_done_on": h.get("step_done_on")} for h in v.get("history", [])]}
                          for s, v in family.checklist.items()},
            "approval_motivation": self._opened(family_id, family.approval_motivation),
            "closing_reason": self._opened(family_id, family.closing_reason),
            "supervision": [{"held_on": s["held_on"], "note": self.sealer.unseal(family_id, s["note"])}
                            for s in family.supervision],
        }

    def _opened(self, family_id: UUID, sealed: str | None) -> str | None:
        return None if sealed is None else self.sealer.unseal(family_id, sealed)

    def family_contact(self, actor: Actor, family_id: UUID, *, via: str, purpose: str | None = None) -> dict[str, Any]:
        """Names and contact details, for a municipality whose interest was brokered (audited)."""
        try:
            family = self.load(Family, family_id)
        except NotFoundError:
            raise NotFoundError("family.contact_not_found") from None
        if actor.role is Role.MUNICIPALITY and actor.municipality not in family.contact_released_to:
            self.record_denial(actor, "family", family_id, via, "not_released")
            raise NotFoundError("family.contact_not_found")
        if actor.role not in (Role.MUNICIPALITY, Role.POOL_STAFF, Role.SYSTEM):
            self.record_denial(actor, "family", family_id, via, "role")
            raise NotFoundError("family.contact_not_found")
        if family.status is FamilyStatus.ERASED:
            raise NotFoundError("family.contact_not_found")
        self.record_access(actor, "family", family_id, via, ["names", "contact"], purpose)
        return {
            "names": [a["name"] for a in open_adults(self.sealer, family_id, family.adults)],
            "contact": open_contact(self.sealer, family_id, family.contact),
        }
