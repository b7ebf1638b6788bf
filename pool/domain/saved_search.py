"""The SavedSearch aggregate: a municipality user's catalogue filter, watched for new matching families."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from pool.errors import RuleViolationError

# The catalogue filter's fields (projections.contract.CatalogueFilter) a search may keep; all coded or numbers.
FILTER_FIELDS = ("kind", "child_age", "siblings", "language", "area")


class SavedSearch(Aggregate):
    """Owned by one user of one member; optionally tied to one of the member's referrals.

    Holds no free text: a filter is coded values only, so a notice about it carries nothing personal.
    """

    @event("Created")
    def __init__(self, actor: dict[str, Any], user_id: UUID, municipality: str, criteria: dict[str, Any],
                 referral_id: UUID | None):
        self.user_id = user_id
        self.municipality = municipality
        self.criteria = criteria
        self.referral_id = referral_id
        self.deleted = False

    def check_not_deleted(self) -> None:
        if self.deleted:
            raise RuleViolationError("saved_search.deleted")

    def delete(self, actor: dict) -> None:
        self.check_not_deleted()
        self._delete(actor=actor)

    @event("Deleted")
    def _delete(self, actor: dict) -> None:
        self.deleted = True
