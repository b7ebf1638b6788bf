"""Reads of personal data and refused reads, kept in the event store for the audit trail."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event


class DataAccess(Aggregate):
    """Recorded as an event so that rebuilding the audit view can never lose it."""

    class Recorded(Aggregate.Created):
        # Version 2 added `purpose` (a case reference given by pool staff); v1 events had none.
        class_version = 2

        actor: dict[str, Any]
        subject_type: str
        subject_id: UUID
        via: str
        fields: list[str]
        purpose: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["purpose"] = None

    @event(Recorded)
    def __init__(self, actor: dict[str, Any], subject_type: str, subject_id: UUID, via: str, fields: list[str],
                 purpose: str | None = None):
        self.subject_type = subject_type
        self.subject_id = subject_id
        self.via = via
        self.fields = fields
        self.purpose = purpose


class AccessDenial(Aggregate):
    """A refused attempt to read personal data or another member's record (answered 403/404)."""

    @event("Denied")
    def __init__(self, actor: dict[str, Any], subject_type: str, subject_id: UUID | None, via: str, reason: str):
        self.subject_type = subject_type
        self.subject_id = subject_id
        self.via = via
        self.reason = reason
