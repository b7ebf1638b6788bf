"""Saved searches and notification settings: what a user watches and how notices reach them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pool.actors import Actor, Role
from pool.base import BaseApplication, Saved
from pool.codes import check_kommunkod, languages
from pool.domain.family import Family
from pool.domain.referral import Referral
from pool.domain.saved_search import FILTER_FIELDS, SavedSearch
from pool.domain.user import User
from pool.errors import InvalidInputError, NotFoundError, RuleViolationError
from pool.values import Kind, check_text, parse_enum

EMAIL_MAX = 254


def check_criteria(criteria: dict[str, Any]) -> dict[str, Any]:
    """A catalogue filter of coded values; at least one criterion (an empty search watches everything)."""
    unknown = set(criteria) - set(FILTER_FIELDS)
    if unknown:
        raise InvalidInputError("saved_search.unknown_criterion", field=sorted(unknown)[0])
    checked: dict[str, Any] = {}
    if criteria.get("kind") not in (None, ""):
        checked["kind"] = parse_enum(Kind, criteria["kind"], "kind").value
    age = criteria.get("child_age")
    if age not in (None, ""):
        if isinstance(age, bool) or not str(age).isdigit() or int(age) > 17:
            raise InvalidInputError("saved_search.child_age", field="child_age")
        checked["child_age"] = int(age)
    if criteria.get("siblings") is not None:
        if not isinstance(criteria["siblings"], bool):
            raise InvalidInputError("saved_search.siblings", field="siblings")
        checked["siblings"] = criteria["siblings"]
    if criteria.get("language") not in (None, ""):
        if criteria["language"] not in languages():
            raise InvalidInputError("family.preferences_languages", field="language")
        checked["language"] = criteria["language"]
    if criteria.get("area") not in (None, ""):
        checked["area"] = check_kommunkod(criteria["area"], "area")
    if not checked:
        raise InvalidInputError("saved_search.empty", field="kind")
    return checked


class NotificationCommands(BaseApplication):
    def save_search(self, actor: Actor, *, criteria: dict[str, Any], referral_id: UUID | None = None) -> Saved:
        """A municipality user watches the catalogue for families matching `criteria` (coded values only)."""
        actor.require(Role.MUNICIPALITY)
        if actor.user_id is None or actor.municipality is None:
            raise RuleViolationError("saved_search.no_user")
        checked = check_criteria(criteria)
        if referral_id is not None:
            try:
                referral = self.load(Referral, referral_id)
            except NotFoundError:
                raise NotFoundError("referral.not_found", id=str(referral_id)) from None
            if referral.municipality != actor.municipality:
                raise NotFoundError("referral.not_found", id=str(referral_id))
            if not referral.is_active:
                raise RuleViolationError("saved_search.referral_not_active", status=referral.status.value)
        return self.commit(SavedSearch(actor=actor.as_event_data(), user_id=actor.user_id,
                                       municipality=actor.municipality, criteria=checked, referral_id=referral_id))

    def delete_saved_search(self, actor: Actor, saved_search_id: UUID) -> Saved:
        """Only its owner deletes a search; another user's search does not exist for them (404)."""
        actor.require(Role.MUNICIPALITY)
        search = self.load(SavedSearch, saved_search_id)
        if search.user_id != actor.user_id and actor.role is not Role.SYSTEM:
            raise NotFoundError("record.not_found", kind="savedsearch", id=str(saved_search_id))
        search.delete(actor.as_event_data())
        return self.commit(search)

    def choose_notifications(self, actor: Actor, *, mode: str) -> Saved | None:
        """The signed-in user's e-mail choice: immediate, daily (digest) or none; None if unchanged."""
        if actor.user_id is None:
            raise RuleViolationError("saved_search.no_user")
        user = self.load(User, actor.user_id)
        user.check_notification_mode(mode)
        if user.notification_mode == mode:
            return None
        user.choose_notifications(actor.as_event_data(), mode)
        return self.commit(user)

    def set_user_email(self, actor: Actor, username: str, *, email: str) -> Saved:
        """The admin sets (or with "" removes) a user's e-mail address; it is sealed under the user's id."""
        actor.require(Role.ADMIN)
        user = self.load(User, User.create_id((username or "").strip().lower()))
        email = check_text(email, "email", required=False, max_length=EMAIL_MAX)
        if email and ("@" not in email or any(c.isspace() for c in email)):
            raise InvalidInputError("value.not_an_email", field="email")
        user.set_email(actor.as_event_data(), self.sealer.seal(user.id, email) if email else "")
        return self.commit(user)

    def notification_address(self, actor: Actor, user_id: UUID, *, via: str) -> str | None:
        """The address the notifier sends to (audited like every read of personal data); None if none."""
        actor.require(Role.ADMIN)
        user = self.load(User, user_id)
        if not user.email or user.disabled:
            return None
        self.record_access(actor, "user", user_id, via, ["email"])
        return self.sealer.unseal(user_id, user.email)

    def set_contact_municipalities(self, actor: Actor, username: str, *, municipalities: list[str]) -> Saved:
        """The admin assigns pool staff their members (kontaktkommuner): their staff notices only; [] = all."""
        actor.require(Role.ADMIN)
        user = self.load(User, User.create_id((username or "").strip().lower()))
        if user.role != Role.POOL_STAFF.value:
            raise InvalidInputError("user.contact_municipalities_staff_only", field="municipalities")
        if not isinstance(municipalities, list):
            raise InvalidInputError("value.not_a_kommunkod", field="municipalities")
        checked = sorted({self.check_active_member(check_kommunkod(m, "municipalities")).kommunkod
                          for m in municipalities})
        user.set_contact_municipalities(actor.as_event_data(), checked)
        return self.commit(user)

    def set_followed_families(self, actor: Actor, username: str, *, family_ids: list[UUID | str]) -> Saved:
        """The admin assigns pool staff the families they follow (their work list); [] = none."""
        actor.require(Role.ADMIN)
        user = self.load(User, User.create_id((username or "").strip().lower()))
        if user.role != Role.POOL_STAFF.value:
            raise InvalidInputError("user.followed_families_staff_only", field="family_ids")
        checked: set[str] = set()
        for fid in family_ids if isinstance(family_ids, list) else [family_ids]:
            try:
                self.load(Family, fid if isinstance(fid, UUID) else UUID(str(fid)))
            except (NotFoundError, ValueError):
                raise InvalidInputError("user.followed_family_unknown", field="family_ids", id=str(fid)) from None
            checked.add(str(fid))
        user.set_followed_families(actor.as_event_data(), sorted(checked))
        return self.commit(user)
