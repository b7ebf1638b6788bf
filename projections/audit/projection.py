"""The audit projection: every event becomes one chained entry (reads and refused reads included)."""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import Tracking

from pool.settings import load_audit_key
from projections.audit.chain import GENESIS, Entry, seal
from projections.core.projection import BatchingProjection
from projections.core.view import Change, View


class AuditProjection(BatchingProjection):
    """Every event becomes one entry whose hash chains it to the entry before (notification order)."""

    name = "audit"
    event_classes = ()  # all of them

    def __init__(self, view: View, **kwargs: Any):
        super().__init__(view, **kwargs)
        self._key = load_audit_key()
        # The chain continues from the last written entry; a rebuild starts at GENESIS again and,
        # events and key being the same, recomputes the very same hashes.
        self._last_hash = self._written_hash()

    def _written_hash(self) -> str:
        rows = self.view.query("SELECT hash FROM {s}audit_log ORDER BY position DESC LIMIT 1")
        return rows[0]["hash"] if rows else GENESIS

    def discard(self) -> None:
        """A failed batch is forgotten: the chain continues from the last entry actually written."""
        super().discard()
        self._last_hash = self._written_hash()

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:  # type: ignore[override]
        e = domain_event
        content, own_municipality = Entry.derive(e, tracking.notification_id)
        aggregate_id = content[6]
        changes: list[Change] = []
        if own_municipality and e.originator_version == 1:
            changes.append(("aggregate", [aggregate_id, own_municipality]))
        prev_hash = self._last_hash
        hash_, mac = seal(self._key, prev_hash, content)
        changes.append(("entry", [*content, own_municipality, aggregate_id, content[11], prev_hash, hash_, mac]))
        self.record(tracking, *changes)
        self._last_hash = hash_
