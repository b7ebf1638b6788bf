"""The User aggregate: a login with one role (and, for municipality users, one municipality)."""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from pool.errors import InvalidInputError, RuleViolationError

# How a user gets notices by e-mail (docs/operations.md, "Notifications"); notices always appear in the product.
NOTIFICATION_MODES = ("immediate", "daily", "none")
DEFAULT_MODE = "immediate"


class User(Aggregate):
    """Usernames are unique because the id is derived from the lower-cased username."""

    @staticmethod
    def create_id(username: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"/familjepool/users/{username.lower()}")

    @event("Added")
    def __init__(self, actor: dict[str, Any], username: str, role: str, municipality: str | None, password_hash: str):
        self.username = username
        self.role = role
        self.municipality = municipality
        self.password_hash = password_hash
        self.disabled = False
        self.notification_mode = DEFAULT_MODE
        self.email = ""
        self.contact_municipalities: list[str] = []
        self.followed_families: list[str] = []

    @event("PasswordChanged")
    def change_password(self, actor: dict, password_hash: str) -> None:
        self.password_hash = password_hash

    def disable(self, actor: dict) -> None:
        if self.disabled:
            raise RuleViolationError("user.already_disabled")
        self._disable(actor=actor)

    @event("Disabled")
    def _disable(self, actor: dict) -> None:
        self.disabled = True

    def enable(self, actor: dict) -> None:
        if not self.disabled:
            raise RuleViolationError("user.not_disabled")
        self._enable(actor=actor)

    @event("Enabled")
    def _enable(self, actor: dict) -> None:
        self.disabled = False

    # Notifications (issue 15): how the user wants notices by e-mail, and where to. ------------------

    def check_notification_mode(self, mode: str) -> None:
        if mode not in NOTIFICATION_MODES:
            raise InvalidInputError("user.notification_mode", field="mode", allowed=list(NOTIFICATION_MODES))

    def choose_notifications(self, actor: dict, mode: str) -> None:
        self.check_notification_mode(mode)
        self._choose_notifications(actor=actor, mode=mode)

    @event("NotificationsChosen")
    def _choose_notifications(self, actor: dict, mode: str) -> None:
        self.notification_mode = mode

    @event("EmailSet")
    def set_email(self, actor: dict, email: str) -> None:
        """`email` arrives sealed under the user's id ("" when removed): it is personal data."""
        self.email = email

    @event("ContactMunicipalitiesSet")
    def set_contact_municipalities(self, actor: dict, municipalities: list[str]) -> None:
        """Pool staff: the members whose cases this consultant follows (kontaktkommuner); [] = all."""
        self.contact_municipalities = municipalities

    @event("FollowedFamiliesSet")
    def set_followed_families(self, actor: dict, family_ids: list[str]) -> None:
        """Pool staff: the families this consultant follows (their work list), whatever their municipality."""
        self.followed_families = family_ids
