"""The DataAccess aggregate: one read of personal data, kept in the event store for the audit."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event


class DataAccess(Aggregate):
    """Recorded as an event so that rebuilding the audit view can never lose it."""

    @event("Recorded")
    def __init__(self, actor: dict[str, Any], subject_type: str, subject_id: UUID, via: str, fields: list[str]):
        self.subject_type = subject_type
        self.subject_id = subject_id
        self.via = via
        self.fields = fields
