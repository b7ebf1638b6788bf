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

from eventsourcing.application import Application
from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from projections.core.encoding import iso
from projections.core.failures import BadEvent, is_transient
from projections.core.view import APPLICATION_NAME, Change, View

DEFAULT_BATCH_SIZE = 500


class BatchingProjection(Projection[View]):
    """Buffers changes; flushes them with the last tracking object in one view transaction."""

    name: ClassVar[str] = ""
    VERSION: ClassVar[int] = 1  # raise it when the projection changes what it writes: the view is rebuilt
    topics: tuple[str, ...] = ()
    event_classes: ClassVar[tuple[type, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.topics = tuple(get_topic(c) for c in cls.event_classes)
        handler = cls.__dict__.get("process_event")
        if handler is not None:  # every driver calls process_event: note the event, for its history rows
            def process_event(self: BatchingProjection, domain_event: Any, tracking: Tracking) -> None:
                self._event = domain_event
                try:
                    handler.__get__(self, type(self))(domain_event, tracking)
                finally:
                    self._event = None

            cls.process_event = process_event  # type: ignore[method-assign]

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
        self._event: Any = None
        self.position = view.position()
        # Set by the PostgreSQL runner: whether its subscription holds events not yet given to us. When
        # set, "caught up" is read from it instead of asking the database for its head per event.
        self.buffered: Callable[[], bool] | None = None
        # The live runners (not rebuilds) step over up to this many ignored events in a row in memory: no
        # transaction just to move the tracking row; the next real batch (or the limit) writes it.
        self.lazy_skips = 0
        self._skipped = 0

    def wants(self, topic: str) -> bool:
        return not self.topics or topic in self.topics

    # Buffering ---------------------------------------------------------------------------------

    def record(self, tracking: Tracking, *changes: Change) -> None:
        self._changes.extend(changes)
        if changes and self.view.HISTORY and self._event is not None:
            self._changes.extend(self._versions(self._event, changes))
        self._pending = tracking
        self._count += 1
        if self._count >= self.batch_size or self._caught_up(tracking.notification_id):
            self.flush()

    def history_keys(self, event: Any, table: str) -> list[str]:
        """The keys of `table` an event's changes touched: its aggregate's, unless a projection knows more."""
        return [str(event.originator_id)]

    def _versions(self, event: Any, changes: tuple[Change, ...]) -> list[Change]:
        """After an event's changes: close the open versions of the rows they touched, copy the current ones."""
        writes = self.view.WRITES
        touched = dict.fromkeys(t for key, _ in changes if (t := writes.get(key)) in self.view.HISTORY)
        at = iso(event.timestamp)
        versions: list[Change] = []
        for table in touched:
            for key in self.history_keys(event, table):
                versions += [(f"close:{table}", [at, key]), (f"open:{table}", [at, key])]
        return versions

    def skip(self, tracking: Tracking) -> None:
        """An event this view ignores still moves the position (so lag and wait_for are exact).

        With ``lazy_skips`` and nothing buffered it moves in memory only and is announced as flushed:
        readers elsewhere find it through ``View.applied_through`` (every event after the tracking row is
        one this view ignores). A restart replays the ignored events again, which changes nothing.
        """
        if self._pending is None and self._skipped < self.lazy_skips:
            self._skipped += 1
            self.position = tracking.notification_id
            if self._on_flush is not None:
                self._on_flush(self.name, self.position)
            return
        self.record(tracking)

    def _caught_up(self, notification_id: int) -> bool:
        if self.buffered is not None:  # nothing more in hand: flush (no MAX(notification_id) per event)
            return not self.buffered()
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
        self._changes, self._pending, self._count, self._skipped = [], None, 0, 0
        if self._on_flush is not None:
            self._on_flush(self.name, self.position)

    def discard(self) -> None:
        """Forget the buffer (its batch failed; the runner replays from the committed position)."""
        self._changes, self._pending, self._count = [], None, 0

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.skip(tracking)


def as_uuid(value: Any) -> UUID | None:
    return UUID(str(value)) if value else None


def replay_page(reader: Application[Any], projection: BatchingProjection, after: int, limit: int,
                stop: int | None = None) -> tuple[int, int]:
    """Process one page of notifications after `after` (up to `stop`); flush; return (last id, count)."""
    notifications = reader.recorder.select_notifications(after, limit, stop=stop, inclusive_of_start=False)
    for n in notifications:
        tracking = Tracking(APPLICATION_NAME, n.id)
        if projection.wants(n.topic):
            projection.process_event(reader.mapper.to_domain_event(n), tracking)
        else:
            projection.skip(tracking)  # no decoding: only the position moves
    projection.flush()
    return (notifications[-1].id if notifications else after), len(notifications)


class EventFailed(Exception):
    """The one event a projection could not apply (found by replaying one event per transaction)."""

    def __init__(self, bad: BadEvent):
        super().__init__(f"event {bad.notification_id} failed with {bad.error_type}")
        self.bad = bad


def replay_carefully(reader: Application[Any], projection: BatchingProjection, after: int, limit: int) -> int:
    """Apply up to `limit` events after `after` one transaction each; raise EventFailed at a bad one.

    A transient error (a lost connection) is re-raised as it is: it says nothing about the event.
    """
    notifications = reader.recorder.select_notifications(after, limit, inclusive_of_start=False)
    for n in notifications:
        tracking = Tracking(APPLICATION_NAME, n.id)
        try:
            if projection.wants(n.topic):
                projection.process_event(reader.mapper.to_domain_event(n), tracking)
            else:
                projection.skip(tracking)
            projection.flush()
        except Exception as e:  # noqa: BLE001 - any error of this one event, decoding included
            if is_transient(e):
                raise
            projection.discard()
            raise EventFailed(BadEvent(n.id, str(n.originator_id), int(n.originator_version), n.topic,
                                       type(e).__name__)) from e
    return len(notifications)
