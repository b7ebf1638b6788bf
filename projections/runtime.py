"""Running the projections: one runner per projection, a lock so there is only ever one.

* PostgreSQL: the library's projection runner (``BaseProjectionRunner``: an application
  subscription that catches up, then follows new events through LISTEN/NOTIFY).
* SQLite: the library's recorder cannot be subscribed to, so a small catch-up loop over ``select_notifications``
  polls every ``poll_interval`` seconds, woken at once when this process saves (``_notify``) or waits.
* Rebuild: replay from the first event into new tables (``<table>__new``) through the same
  projection and batch path, then swap them in; until then the old tables serve.
* A bad event (one the projection cannot apply): found by replaying one event per transaction,
  recorded in ``projection_failures``; the runner halts at it (default) or parks it
  (``FAMILJEPOOL_PARK_BAD_EVENTS``) while the other runners go on. ``projections retry`` resumes.

Exactly one runner per projection: PostgreSQL ``pg_try_advisory_lock`` held on a dedicated
connection for the runner's lifetime; SQLite an ``flock`` on a lock file next to the database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.projection import BaseProjectionRunner

from pool.settings import Storage
from projections.catalogue.projection import CatalogueProjection
from projections.core.announce import FlushAnnouncer
from projections.core.failures import BadEvent, FailureLog, is_transient, parks
from projections.core.lock import RunnerLock
from projections.core.projection import (DEFAULT_BATCH_SIZE, BatchingProjection, EventFailed, replay_carefully,
                                         replay_page)
from projections.core.storage import EventReader, as_storage, open_datastore, open_reader, reader_env
from projections.core.view import APPLICATION_NAME, View
from projections.rebuild import RebuildFailed, rebuild, status  # noqa: F401 - where callers found them
from projections.registry import NAMES, PROJECTION_CLASSES, open_view

log = logging.getLogger("familjepool.projections")
LAZY_SKIPS = 100  # ignored events a live runner steps over before it writes its tracking row anyway


# ------------------------------------------------------------------------------------------------
# One runner per projection
# ------------------------------------------------------------------------------------------------


class ProjectionWorker:
    """Runs one projection until stopped; restarts it from its tracking position after an error."""

    def __init__(self, storage: Storage, name: str, *, on_flush: Callable[[str, int], None] | None = None,
                 batch_size: int = DEFAULT_BATCH_SIZE, poll_interval: float = 0.05, retry_interval: float = 1.0):
        self.storage = storage
        self.name = name
        self.on_flush = self._flushed
        self._on_flush = on_flush
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.lock = RunnerLock(storage, name)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.view: View | None = None
        self.failures: FailureLog | None = None
        self.error: BaseException | None = None
        self.halted_at: int | None = None  # the notification id of the bad event this runner waits at
        self.retry_interval = retry_interval
        self.failing = False

    def start(self, wait_lock: bool = False) -> None:
        self.lock.acquire(wait=wait_lock, stop=self._stop)
        try:
            self.view = open_view(self.storage, self.name)
            if self.view.stale:  # its tables were built by other code: rebuild before serving on
                log.info("projection %s: its tables changed shape; rebuilding from the events", self.name)
                self.view.datastore.close()
                rebuild(self.storage, self.name, batch_size=max(self.batch_size, 1000), lock_held=True)
                self.view = open_view(self.storage, self.name)
            self.failures = FailureLog(self.storage, self.view.datastore)
            CatalogueProjection.reband(self.view) if self.name == "catalogue" else None
        except BaseException:
            self.lock.release()
            raise
        self._thread = threading.Thread(target=self._run, name=f"projection-{self.name}", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        if self.view is not None:
            self.view.datastore.close()
        self.lock.release()

    def _flushed(self, name: str, position: int) -> None:
        self.failing = False  # applied something since the error: recovered (readiness, metrics)
        if self._on_flush is not None:
            self._on_flush(name, position)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _projection(self, head: Callable[[], int | None] | None, live: bool = False) -> BatchingProjection:
        assert self.view is not None
        projection = PROJECTION_CLASSES[self.name](self.view, head=head, on_flush=self.on_flush,
                                                   batch_size=self.batch_size)
        if live:  # ignored events move the position in memory (bounded, so a reader's range read stays short)
            projection.lazy_skips = LAZY_SKIPS
        return projection

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.halted_at is not None:
                    self._await_operator()
                elif self.storage.backend == "postgres":
                    self._follow_postgres()
                else:
                    self._catch_up_loop()
            except BaseException as e:  # noqa: BLE001 - a runner must survive a lost connection or a bad event
                self.error, self.failing = e, True
                if is_transient(e):
                    log.warning("projection %s lost its database (%s); restarting from its tracking position",
                                self.name, type(e).__name__)
                    self._stop.wait(1.0)
                else:  # the message may quote an event's value: log the type only
                    log.error("projection %s failed (%s); looking for the event", self.name, type(e).__name__)
                    self._isolate()

    # A bad event -------------------------------------------------------------------------------------

    def _isolate(self, limit: int | None = None) -> bool:
        """Replay one event per transaction from the committed position; True if none failed."""
        reader = open_reader(self.storage, create_table=False)
        try:
            projection = self._projection(head=None)
            replay_carefully(reader, projection, projection.position, limit or self.batch_size)
            return True
        except EventFailed as failed:
            self._failed(failed.bad)
            return False
        except Exception as e:  # noqa: BLE001 - transient: the normal loop retries
            log.warning("projection %s: replay interrupted (%s)", self.name, type(e).__name__)
            self._stop.wait(1.0)
            return False
        finally:
            reader.close()

    def _failed(self, bad: BadEvent) -> None:
        assert self.failures is not None
        if parks(self.name):
            self._park(bad)
        else:
            self.failures.record(self.name, bad, "halted")
            self.halted_at = bad.notification_id
            log.error("projection %s halted at event %s (%s); `familjepool projections retry %s` resumes",
                      self.name, bad.notification_id, bad.error_type, self.name)
            if self.on_flush is not None:  # wake read-your-writes waiters: they stop waiting for this view
                self.on_flush(self.name, self.view.position() if self.view else 0)

    def _park(self, bad: BadEvent) -> None:
        assert self.failures is not None and self.view is not None
        self.failures.record(self.name, bad, "parked")
        self.view.apply_batch([], Tracking(APPLICATION_NAME, bad.notification_id))  # step over it
        self.halted_at = None
        log.error("projection %s parked event %s (%s)", self.name, bad.notification_id, bad.error_type)
        if self.on_flush is not None:
            self.on_flush(self.name, bad.notification_id)

    def _await_operator(self) -> None:
        """Halted: poll the failure row until `projections retry` asks to try again or to park."""
        assert self.failures is not None and self.halted_at is not None
        self._stop.wait(self.retry_interval)
        state = self.failures.state(self.name, self.halted_at)
        if state == "park":
            rows = [r for r in self.failures.rows(self.name) if int(r["notification_id"]) == self.halted_at]
            r = rows[0]
            self._park(BadEvent(self.halted_at, r["originator_id"], int(r["originator_version"]), r["topic"],
                                r["error_type"]))
        elif state == "retry":
            halted_at, self.halted_at = self.halted_at, None
            if self._isolate():  # the event applied: the cause is gone
                self.failures.set_state(self.name, halted_at, "resolved")
                log.info("projection %s resumed after event %s", self.name, halted_at)

    def _catch_up_loop(self) -> None:
        reader = open_reader(self.storage, create_table=False)
        try:
            projection = self._projection(head=None, live=True)
            position = projection.position
            while not self._stop.is_set():
                self._wake.clear()
                position, count = replay_page(reader, projection, position, self.batch_size)
                if count < self.batch_size:
                    self._wake.wait(self.poll_interval)
        finally:
            reader.close()

    def _follow_postgres(self) -> None:
        assert self.view is not None
        projection = self._projection(head=self.view.head, live=True)
        runner = BaseProjectionRunner(projection=projection, application_class=EventReader,
                                      tracking_recorder=self.view, topics=(),
                                      env=reader_env(self.storage, create_table=False))
        projection.buffered = subscription_buffered(runner)
        with runner:
            while not self._stop.is_set():
                runner.run_forever(timeout=0.2)  # re-raises the processing thread's error
                if runner.is_interrupted.is_set() and not self._stop.is_set():
                    raise RuntimeError(f"the subscription of projection {self.name} stopped")


def subscription_buffered(runner: BaseProjectionRunner[Any, Any]) -> Callable[[], bool] | None:
    """Whether the runner's subscription holds pulled events not yet given to the projection (eventsourcing
    9.5's ListenNotifySubscription internals: the list in hand, the queue); None if they are not there."""
    inner = getattr(getattr(runner, "_subscription", None), "subscription", None)
    queue = getattr(inner, "_notifications_queue", None)
    if queue is None or not hasattr(inner, "_notifications") or not hasattr(inner, "_notifications_index"):
        return None
    return lambda: inner._notifications_index < len(inner._notifications) or not queue.empty()


class ProjectionRuntime:
    """The runners of a process, with the positions they have flushed (for read-your-writes)."""

    def __init__(self, storage: Storage | str, names: Iterable[str] = NAMES, *, batch_size: int = DEFAULT_BATCH_SIZE,
                 poll_interval: float = 0.05):
        self.storage = as_storage(storage)
        self.condition = threading.Condition()
        self.positions: dict[str, int] = {}
        self.workers = [ProjectionWorker(self.storage, n, on_flush=self._flushed, batch_size=batch_size,
                                         poll_interval=poll_interval) for n in names]
        self.announcer = FlushAnnouncer(self.storage) if self.storage.backend == "postgres" else None

    def _flushed(self, name: str, position: int) -> None:
        with self.condition:  # waiters need every view: wake them when the slowest moved (or one halted)
            floor = min(self.positions.values()) if len(self.positions) == len(self.workers) else -1
            self.positions[name] = position
            if min(self.positions.values()) > floor or any(w.halted_at is not None for w in self.workers):
                self.condition.notify_all()
        if self.announcer is not None:  # the API processes of worker mode wait for this
            self.announcer.announce(name, position)

    def start(self, wait_lock: bool = False) -> ProjectionRuntime:
        open_reader(self.storage).close()  # make sure the events table exists before views read the head
        started: list[ProjectionWorker] = []
        try:
            for worker in self.workers:
                worker.start(wait_lock=wait_lock)
                assert worker.view is not None
                self._flushed(worker.name, worker.view.position())
                started.append(worker)
        except BaseException:
            for worker in started:
                worker.stop()
            raise
        return self

    def wake(self) -> None:
        for worker in self.workers:
            worker.wake()

    def wait_for(self, position: int, timeout: float) -> bool:
        for worker in [w for w in self.workers if self.positions.get(w.name, 0) < position]:
            worker.wake()  # only the runners still behind: waking one that is not makes it read the log again
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                if len(self.positions) == len(self.workers) and min(self.positions.values()) >= position:
                    return True
                if self._only_halted_behind(position):
                    return False  # the write is stored; a halted view will not show it until resumed
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.condition.wait(min(remaining, 0.05))

    def _only_halted_behind(self, position: int) -> bool:
        behind = [w for w in self.workers if self.positions.get(w.name, 0) < position]
        return bool(behind) and all(w.halted_at is not None and w.halted_at <= position for w in behind)

    def halted(self) -> dict[str, int]:
        return {w.name: w.halted_at for w in self.workers if w.halted_at is not None}

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        if self.announcer is not None:
            self.announcer.close()

    def run_forever(self, stop: threading.Event | None = None) -> None:
        while not (stop := stop or threading.Event()).wait(0.5):
            pass

