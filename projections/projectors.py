"""One eventsourcing Projection per read model; each maps events to changes and BATCHES them.

A projection buffers the changes its events make and hands them to its view together with the
tracking object of the LAST buffered event, in one transaction, when the buffer is full
(``batch_size`` events) or when the projection has caught up with the head of the event store.
A buffered change is never tracked before it is written; a crash loses the buffer and the
tracking row, and the runner resumes from the last committed tracking position.

The same classes are driven by the library's ``ProjectionRunner`` machinery on PostgreSQL (one
``process_event`` call per event: the head check decides when to flush) and by our catch-up
loop on SQLite and in rebuilds (which calls ``flush()`` after every page it reads).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from pool.domain.access import DataAccess
from pool.domain.family import Family
from pool.domain.interest import Interest
from pool.domain.placement import Placement
from pool.domain.referral import Referral
from pool.values import Kind, required_steps
from projections.core.encoding import bars, day, dumps, iso
from projections.views import Change, View

DEFAULT_BATCH_SIZE = 500


class BatchingProjection(Projection[View]):
    """Buffers changes; flushes them with the last tracking object in one view transaction."""

    name: ClassVar[str] = ""
    topics: tuple[str, ...] = ()
    event_classes: ClassVar[tuple[type, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.topics = tuple(get_topic(c) for c in cls.event_classes)

    def __init__(self, view: View, *, head: Callable[[], int | None] | None = None,
                 on_flush: Callable[[str, int], None] | None = None, batch_size: int = DEFAULT_BATCH_SIZE):
        super().__init__(view)
        self.batch_size = batch_size
        self._head = head
        self._head_cache = 0
        self._on_flush = on_flush
        self._changes: list[Change] = []
        self._pending: Tracking | None = None
        self._count = 0
        self.position = view.position()

    def wants(self, topic: str) -> bool:
        return not self.topics or topic in self.topics

    # Buffering ---------------------------------------------------------------------------------

    def record(self, tracking: Tracking, *changes: Change) -> None:
        self._changes.extend(changes)
        self._pending = tracking
        self._count += 1
        if self._count >= self.batch_size or self._caught_up(tracking.notification_id):
            self.flush()

    def skip(self, tracking: Tracking) -> None:
        """An event this view ignores still moves the position (so lag and wait_for are exact)."""
        self.record(tracking)

    def _caught_up(self, notification_id: int) -> bool:
        if self._head is None:  # the driver calls flush() itself
            return False
        if notification_id < self._head_cache:
            return False
        self._head_cache = self._head() or 0
        return notification_id >= self._head_cache

    def flush(self) -> None:
        if self._pending is None:
            return
        self.view.apply_batch(self._changes, self._pending)
        self.position = self._pending.notification_id
        self._changes, self._pending, self._count = [], None, 0
        if self._on_flush is not None:
            self._on_flush(self.name, self.position)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.skip(tracking)


# ------------------------------------------------------------------------------------------------


class MunicipalityProjection(BatchingProjection):
    name = "municipality"
    event_classes = (Family.Published, Referral.Registered, Referral.Edited, Referral.FamiliesProposed,
                     Referral.Matched, Referral.Placed, Referral.Withdrawn, Referral.Closed,
                     Interest.Expressed, Interest.Brokered, Interest.Declined, Interest.Withdrawn,
                     Placement.Started, Placement.Ended)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.skip(tracking)

    @process_event.register(Family.Published)
    def _published(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("code", [str(e.originator_id)]))

    @process_event.register(Referral.Registered)
    def _registered(self, e: Any, tracking: Tracking) -> None:
        ts = iso(e.timestamp)
        self.record(tracking, ("referral", [str(e.originator_id), e.municipality, "open", e.kind, e.legal_basis,
                                            day(e.decision_date), e.child_birth_month, ts, ts]))

    @process_event.register(Referral.Edited)
    def _edited(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("referral_edit", [day(e.decision_date), e.child_birth_month, iso(e.timestamp),
                                                 str(e.originator_id)]))

    @process_event.register(Referral.FamiliesProposed)
    def _proposed(self, e: Any, tracking: Tracking) -> None:
        rid, ts = str(e.originator_id), iso(e.timestamp)
        self.record(tracking, *[("propose", [rid, str(f), ts]) for f in e.family_ids])

    @process_event.register(Referral.Matched)
    @process_event.register(Referral.Placed)
    @process_event.register(Referral.Withdrawn)
    @process_event.register(Referral.Closed)
    def _referral_status(self, e: Any, tracking: Tracking) -> None:
        status = {"Matched": "matched", "Placed": "placed", "Withdrawn": "withdrawn", "Closed": "closed"}[
            type(e).__name__]
        self.record(tracking, ("referral_status", [status, iso(e.timestamp), str(e.originator_id)]))

    @process_event.register(Interest.Expressed)
    def _expressed(self, e: Any, tracking: Tracking) -> None:
        ts = iso(e.timestamp)
        self.record(tracking, ("interest", [str(e.originator_id), e.municipality, str(e.family_id),
                                            str(e.referral_id) if e.referral_id else None, "pending",
                                            tracking.notification_id, ts, ts]))

    @process_event.register(Interest.Brokered)
    @process_event.register(Interest.Declined)
    @process_event.register(Interest.Withdrawn)
    def _interest_status(self, e: Any, tracking: Tracking) -> None:
        status = {"Brokered": "brokered", "Declined": "declined", "Withdrawn": "withdrawn"}[type(e).__name__]
        self.record(tracking, ("interest_status", [status, iso(e.timestamp), str(e.originator_id)]))

    @process_event.register(Placement.Started)
    def _started(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("placement", [str(e.originator_id), e.municipality, str(e.family_id), e.kind,
                                             str(e.referral_id) if e.referral_id else None, day(e.start_date),
                                             day(e.planned_end_date), e.child_birth_month]))

    @process_event.register(Placement.Ended)
    def _ended(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("placement_end", [day(e.end_date), e.reason, str(e.originator_id)]))


class RegisterProjection(BatchingProjection):
    name = "register"
    event_classes = (Family.Applied, Family.InvestigationStepRecorded, Family.Approved, Family.Rejected,
                     Family.Published, Family.Unpublished, Family.Withdrawn, Family.Erased,
                     Family.TrainingRecorded, Family.PlacementStarted, Family.PlacementEnded,
                     Family.ContactReleased, Interest.Expressed, Interest.Brokered, Interest.Declined,
                     Interest.Withdrawn, Referral.Registered, Referral.Edited)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.skip(tracking)

    @process_event.register(Family.Applied)
    def _applied(self, e: Any, tracking: Tracking) -> None:
        kinds = sorted(str(k) for k in e.kinds)
        names = [a["name"] for a in e.adults]  # sealed, exactly as in the event
        self.record(tracking, ("family", [str(e.originator_id), dumps(names), "applied", bars(kinds),
                                          e.home_municipality, day(e.applied_on), iso(e.timestamp),
                                          len(required_steps([Kind(k) for k in kinds])), tracking.notification_id]))

    @process_event.register(Family.InvestigationStepRecorded)
    def _step(self, e: Any, tracking: Tracking) -> None:
        fid = str(e.originator_id)
        self.record(tracking, ("step", [fid, e.step]),
                    ("count_steps", ["under_investigation", iso(e.timestamp), fid]))

    @process_event.register(Family.Approved)
    @process_event.register(Family.Rejected)
    @process_event.register(Family.Published)
    @process_event.register(Family.Unpublished)
    @process_event.register(Family.Withdrawn)
    def _status(self, e: Any, tracking: Tracking) -> None:
        status = {"Approved": "approved", "Rejected": "rejected", "Published": "published",
                  "Unpublished": "unpublished", "Withdrawn": "withdrawn"}[type(e).__name__]
        self.record(tracking, ("status", [status, iso(e.timestamp), str(e.originator_id)]))

    @process_event.register(Family.Erased)
    def _erased(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("erase", [iso(e.timestamp), str(e.originator_id)]))

    @process_event.register(Family.TrainingRecorded)
    @process_event.register(Family.ContactReleased)
    def _touch(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("touch", [iso(e.timestamp), str(e.originator_id)]))

    @process_event.register(Family.PlacementStarted)
    @process_event.register(Family.PlacementEnded)
    def _placed(self, e: Any, tracking: Tracking) -> None:
        delta = 1 if type(e).__name__ == "PlacementStarted" else -1
        self.record(tracking, ("placed", [delta, iso(e.timestamp), str(e.originator_id)]))

    @process_event.register(Interest.Expressed)
    def _expressed(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("interest", [str(e.originator_id), str(e.family_id), e.municipality,
                                            str(e.referral_id) if e.referral_id else None, "pending",
                                            tracking.notification_id, iso(e.timestamp)]))

    @process_event.register(Interest.Brokered)
    @process_event.register(Interest.Declined)
    @process_event.register(Interest.Withdrawn)
    def _interest_status(self, e: Any, tracking: Tracking) -> None:
        status = {"Brokered": "brokered", "Declined": "declined", "Withdrawn": "withdrawn"}[type(e).__name__]
        self.record(tracking, ("interest_status", [status, str(e.originator_id)]))

    @process_event.register(Referral.Registered)
    def _referral(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("referral", [str(e.originator_id), e.municipality, day(e.decision_date)]))

    @process_event.register(Referral.Edited)
    def _referral_edit(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("referral_edit", [day(e.decision_date), str(e.originator_id)]))


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


# The full set (with the steering read model) is projections.registry.PROJECTION_CLASSES.
CORE_PROJECTIONS: dict[str, type[BatchingProjection]] = {
    p.name: p for p in (MunicipalityProjection, RegisterProjection, AuditProjection)
}


def as_uuid(value: Any) -> UUID | None:
    return UUID(str(value)) if value else None
