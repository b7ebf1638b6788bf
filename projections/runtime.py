"""Running the projections: one runner per projection, a lock so there is only ever one.

* PostgreSQL: the library's projection runner (``BaseProjectionRunner``: an application
  subscription that catches up, then follows new events through LISTEN/NOTIFY).
* SQLite: the library's recorder cannot be subscribed to, so a small catch-up loop over
  ``select_notifications`` polls every ``poll_interval`` seconds, and is woken at once when this
  process saves something (the application's ``_notify`` hook) or waits for a position.
* Rebuild: drop the view and its tracking row, replay from the first event through the same
  projection and the same batch path.

Exactly one runner per projection: PostgreSQL ``pg_try_advisory_lock`` held on a dedicated
connection for the runner's lifetime; SQLite an ``flock`` on a lock file next to the database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from eventsourcing.persistence import IntegrityError, InternalError, OperationalError
from eventsourcing.projection import BaseProjectionRunner

from pool.settings import Storage
from projections.catalogue.projection import CatalogueProjection
from projections.core.lock import RunnerLock
from projections.core.projection import DEFAULT_BATCH_SIZE, BatchingProjection, replay_page
from projections.core.storage import EventReader, as_storage, open_datastore, open_reader, reader_env
from projections.core.view import View
from projections.registry import NAMES, PROJECTION_CLASSES, VIEW_CLASSES

log = logging.getLogger("familjepool.projections")


def open_view(storage: Storage, name: str, datastore: Any | None = None) -> View:
    cls = VIEW_CLASSES[name][storage.backend]
    view = cls(datastore=datastore or open_datastore(storage))  # type: ignore[call-arg]
    for attempt in range(5):
        try:
            view.create_table()
            break
        except (InternalError, IntegrityError, OperationalError):  # two processes creating at once
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
    return view


# ------------------------------------------------------------------------------------------------
# One runner per projection
# ------------------------------------------------------------------------------------------------


class ProjectionWorker:
    """Runs one projection until stopped; restarts it from its tracking position after an error."""

    def __init__(self, storage: Storage, name: str, *, on_flush: Callable[[str, int], None] | None = None,
                 batch_size: int = DEFAULT_BATCH_SIZE, poll_interval: float = 0.05):
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
        self.error: BaseException | None = None
        self.failing = False

    def start(self, wait_lock: bool = False) -> None:
        self.lock.acquire(wait=wait_lock, stop=self._stop)
        try:
            self.view = open_view(self.storage, self.name)
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

    def _projection(self, head: Callable[[], int | None] | None) -> BatchingProjection:
        assert self.view is not None
        return PROJECTION_CLASSES[self.name](self.view, head=head, on_flush=self.on_flush, batch_size=self.batch_size)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.storage.backend == "postgres":
                    self._follow_postgres()
                else:
                    self._catch_up_loop()
            except BaseException as e:  # noqa: BLE001 - a runner must survive a lost connection
                self.error, self.failing = e, True
                log.exception("projection %s failed; restarting from its tracking position", self.name)
                self._stop.wait(1.0)

    def _catch_up_loop(self) -> None:
        reader = open_reader(self.storage, create_table=False)
        try:
            projection = self._projection(head=None)
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
        projection = self._projection(head=self.view.head)
        runner = BaseProjectionRunner(projection=projection, application_class=EventReader,
                                      tracking_recorder=self.view, topics=(),
                                      env=reader_env(self.storage, create_table=False))
        with runner:
            while not self._stop.is_set():
                runner.run_forever(timeout=0.2)  # re-raises the processing thread's error
                if runner.is_interrupted.is_set() and not self._stop.is_set():
                    raise RuntimeError(f"the subscription of projection {self.name} stopped")


class ProjectionRuntime:
    """The runners of a process, with the positions they have flushed (for read-your-writes)."""

    def __init__(self, storage: Storage | str, names: Iterable[str] = NAMES, *, batch_size: int = DEFAULT_BATCH_SIZE,
                 poll_interval: float = 0.05):
        self.storage = as_storage(storage)
        self.condition = threading.Condition()
        self.positions: dict[str, int] = {}
        self.workers = [ProjectionWorker(self.storage, n, on_flush=self._flushed, batch_size=batch_size,
                                         poll_interval=poll_interval) for n in names]

    def _flushed(self, name: str, position: int) -> None:
        with self.condition:
            self.positions[name] = position
            self.condition.notify_all()

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
        self.wake()
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                if len(self.positions) == len(self.workers) and min(self.positions.values()) >= position:
                    return True
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.condition.wait(min(remaining, 0.05))

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()

    def run_forever(self, stop: threading.Event | None = None) -> None:
        stop = stop or threading.Event()
        while not stop.wait(0.5):
            pass


# ------------------------------------------------------------------------------------------------
# Rebuild and status
# ------------------------------------------------------------------------------------------------

def rebuild(storage: Storage | str, name: str, *, batch_size: int = 1000,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Drop the view and its tracking row, replay every event; refuse while a runner holds it."""
    storage = as_storage(storage)
    lock = RunnerLock(storage, name)
    lock.acquire(wait=False)
    reader = open_reader(storage)
    view = open_view(storage, name)
    try:
        view.drop()
        head = reader.recorder.max_notification_id() or 0
        projection = PROJECTION_CLASSES[name](view, head=None, batch_size=batch_size)
        position, applied = 0, 0
        while True:
            position, count = replay_page(reader, projection, position, batch_size)
            applied += count
            if progress is not None:
                progress(position, head)
            if count < batch_size:
                break
        return applied
    finally:
        view.datastore.close()
        reader.close()
        lock.release()


def status(storage: Storage | str, names: Iterable[str] = NAMES) -> list[dict[str, Any]]:
    storage = as_storage(storage)
    open_reader(storage).close()
    datastore = open_datastore(storage)
    try:
        result = []
        for name in names:
            view = open_view(storage, name, datastore)
            position, head = view.position(), view.head()
            held = RunnerLock(storage, name).is_held()
            result.append({"name": name, "position": position, "head": head, "lag": max(head - position, 0),
                           "runner": "running" if held else "stopped"})
        return result
    finally:
        datastore.close()
