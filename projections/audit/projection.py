"""The audit projection: every event becomes one entry; DataAccess.Recorded says who read whose data."""

from __future__ import annotations

from typing import Any, ClassVar

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from pool.domain.access import DataAccess
from projections.core.encoding import dumps, iso
from projections.core.projection import BatchingProjection
from projections.core.view import Change


class AuditProjection(BatchingProjection):
    """Every event becomes one entry; DataAccess.Recorded entries say who read whose data."""

    name = "audit"
    event_classes = ()  # all of them

    _topics: ClassVar[dict[type, str]] = {}

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:  # type: ignore[override]
        e = domain_event
        cls = type(e)
        topic = self._topics.get(cls) or self._topics.setdefault(cls, get_topic(cls))
        qualname = topic.split(":", 1)[1]
        aggregate_type, _, event_name = qualname.rpartition(".")
        actor = getattr(e, "actor", None) or {}
        aggregate_id = str(e.originator_id)
        own_municipality = getattr(e, "municipality", None)
        own_municipality = own_municipality if isinstance(own_municipality, str) else None
        changes: list[Change] = []
        if own_municipality and e.originator_version == 1:
            changes.append(("aggregate", [aggregate_id, own_municipality]))
        is_access = isinstance(e, DataAccess.Recorded)
        changes.append(("entry", [
            tracking.notification_id, f"{aggregate_id}:{e.originator_version}", topic, event_name,
            "access" if is_access else "event", aggregate_type.rpartition(".")[2], aggregate_id,
            e.originator_version, actor.get("user_id"), actor.get("username"), actor.get("role"),
            actor.get("municipality"),
            own_municipality, aggregate_id, actor.get("municipality"),
            iso(e.timestamp),
            e.subject_type if is_access else None,
            str(e.subject_id) if is_access else None,
            e.via if is_access else None,
            dumps(list(e.fields)) if is_access else None,
        ]))
        self.record(tracking, *changes)
