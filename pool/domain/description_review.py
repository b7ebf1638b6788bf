"""The guards of a family's anonymous description: set while approved, reviewed by a second consultant."""

from __future__ import annotations

from typing import Any

from pool.errors import RuleViolationError


def same_user(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two actors' event data name the same user (by id when both have one, else by username)."""
    if a.get("user_id") and b.get("user_id"):
        return a["user_id"] == b["user_id"]
    return a.get("username") == b.get("username")


# The statuses (FamilyStatus values) in which a family may have a description set, reviewed, published.
SETTABLE = ("approved", "unpublished", "published")


class DescriptionGuards:
    """Mixed into the Family aggregate: the rules of its description and its review ("granskad av").

    Uses the aggregate's `in_status`, `status`, `description` (sealed), `description_author` and
    `description_review` (no annotations here: the aggregate's metaclass would read them as fields)."""

    def check_description_settable(self) -> None:
        if not self.in_status(*SETTABLE):  # type: ignore[attr-defined]
            raise RuleViolationError("family.not_publishable", status=self.status.value)

    def check_description_reviewable(self, actor: dict[str, Any]) -> None:
        """A second consultant reviews: there is an unreviewed description and someone else wrote it."""
        self.check_description_settable()
        if self.description is None:
            raise RuleViolationError("family.no_description")
        if self.description_review is not None:
            raise RuleViolationError("family.description_already_reviewed",
                                     reviewer=self.description_review["username"])
        if self.description_author is not None and same_user(self.description_author, actor):
            raise RuleViolationError("family.description_review_by_author")

    def check_description_publishable(self, review_required: bool) -> None:
        if self.description is None:
            raise RuleViolationError("family.no_description")
        if review_required and self.description_review is None:
            raise RuleViolationError("family.description_not_reviewed")
