"""The InterestQueue aggregate: a family's open interests in arrival order, one per municipality."""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from pool.errors import RuleViolationError


class InterestQueue(Aggregate):
    """One per family; its id derives from the family's, so the first two interests cannot both
    create it, and every later change is one more version: the event store's unique
    (id, version) makes two simultaneous registrations by one municipality serial, and the second
    then meets the rule. Kept apart from Family so municipalities queueing do not race the
    family's own records; brokering writes both (the family holds the places)."""

    @staticmethod
    def create_id(family_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"/familjepool/interest-queues/{family_id}")

    @event("Started")
    def __init__(self, family_id: UUID):
        self.family_id = family_id
        self.pending: list[UUID] = []  # arrival order
        self.open: dict[UUID, str] = {}  # pending or brokered without outcome -> municipality

    def open_interest_of(self, municipality: str) -> UUID | None:
        return next((i for i, m in self.open.items() if m == municipality), None)

    def check_can_join(self, municipality: str) -> None:
        current = self.open_interest_of(municipality)
        if current is not None:
            raise RuleViolationError("interest.already_open", interest_id=str(current))

    def join(self, actor: dict[str, Any], interest_id: UUID, municipality: str) -> None:
        self.check_can_join(municipality)
        self._join(actor=actor, interest_id=interest_id, municipality=municipality)

    @event("Joined")
    def _join(self, actor: dict[str, Any], interest_id: UUID, municipality: str) -> None:
        self.pending.append(interest_id)
        self.open[interest_id] = municipality

    def earlier_than(self, interest_id: UUID) -> list[UUID]:
        """The pending interests that arrived before this one (none for one the queue never held)."""
        if interest_id not in self.pending:
            return []
        return self.pending[:self.pending.index(interest_id)]

    def serve(self, actor: dict[str, Any], interest_id: UUID) -> None:
        """Brokered: out of the waiting line, still open until its link has an outcome."""
        if interest_id in self.pending:
            self._serve(actor=actor, interest_id=interest_id)

    @event("Served")
    def _serve(self, actor: dict[str, Any], interest_id: UUID) -> None:
        self.pending.remove(interest_id)

    def leave(self, actor: dict[str, Any], interest_id: UUID) -> None:
        """Withdrawn, declined or its link ended; an interest from before the queue existed is not in it."""
        if interest_id in self.open:
            self._leave(actor=actor, interest_id=interest_id)

    @event("Left")
    def _leave(self, actor: dict[str, Any], interest_id: UUID) -> None:
        self.open.pop(interest_id, None)
        if interest_id in self.pending:
            self.pending.remove(interest_id)
