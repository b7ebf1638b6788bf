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

import fcntl
import hashlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, InternalError, JSONTranscoder, OperationalError, Tracking
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.projection import BaseProjectionRunner
from eventsourcing.sqlite import SQLiteDatastore

from pool.base import DateAsISO
from pool.settings import Storage, parse_database_url
from projections.catalogue.projection import CatalogueProjection
from projections.projectors import DEFAULT_BATCH_SIZE, BatchingProjection
from projections.registry import NAMES, PROJECTION_CLASSES, VIEW_CLASSES
from projections.views import APPLICATION_NAME, View

log = logging.getLogger("familjepool.projections")


class ProjectionBusyError(RuntimeError):
    """Another runner (or a rebuild) holds this projection."""


class EventReader(Application[UUID]):
    """Reads the pool's event store (no commands, no keys): same name, same transcodings."""

    name = APPLICATION_NAME

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())


def as_storage(storage_or_url: Storage | str) -> Storage:
    return parse_database_url(storage_or_url) if isinstance(storage_or_url, str) else storage_or_url


def reader_env(storage: Storage, create_table: bool = True) -> dict[str, str]:
    env = dict(storage.env)
    if not create_table:  # runner threads: the tables exist; concurrent DDL upsets PostgreSQL
        env["CREATE_TABLE"] = "false"
    if storage.backend == "postgres":
        env.update({"POSTGRES_POOL_SIZE": "1", "POSTGRES_MAX_OVERFLOW": "3"})
    return env


def open_reader(storage: Storage, create_table: bool = True) -> EventReader:
    return EventReader(env=reader_env(storage, create_table))


def open_datastore(storage: Storage, pool_size: int = 1, max_overflow: int = 3) -> Any:
    if storage.backend == "sqlite":
        return SQLiteDatastore(db_name=storage.sqlite_path or "", lock_timeout=30, pool_size=pool_size + max_overflow)
    env = storage.env
    return PostgresDatastore(dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"],
                             user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"], connect_timeout=10,
                             pool_size=pool_size, max_overflow=max_overflow, schema=storage.schema)


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

class RunnerLock:
    """Held for a runner's (or a rebuild's) whole lifetime."""

    def __init__(self, storage: Storage, name: str):
        self.storage = storage
        self.name = name
        self._conn: psycopg.Connection | None = None
        self._fd: int | None = None

    @property
    def description(self) -> str:
        return f"projection '{self.name}'"

    def lock_path(self) -> str:
        path = self.storage.sqlite_path or ""
        if path.startswith("file:"):
            digest = hashlib.sha1(path.encode()).hexdigest()[:16]
            return os.path.join(tempfile.gettempdir(), f"familjepool-{digest}.{self.name}.lock")
        return f"{path}.{self.name}.lock"

    def is_held(self) -> bool:
        """Whether some runner holds the lock (PostgreSQL: look in pg_locks without taking it)."""
        if self.storage.backend == "postgres":
            with psycopg.connect(self.storage.conninfo or "", autocommit=True) as conn:
                row = conn.execute(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                    "AND ((classid::bigint << 32) | objid::bigint) = hashtext(%s)::bigint)",
                    [f"familjepool:{self.storage.schema}:{self.name}"]).fetchone()
                return bool(row and row[0])
        free = self.try_acquire()  # SQLite: flock has no test; probe for an instant
        self.release()
        return not free

    def try_acquire(self) -> bool:
        if self.storage.backend == "postgres":
            if self._conn is None:
                self._conn = psycopg.connect(self.storage.conninfo or "", autocommit=True)
            row = self._conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))",
                                     [f"familjepool:{self.storage.schema}:{self.name}"]).fetchone()
            return bool(row and row[0])
        if self._fd is None:
            self._fd = os.open(self.lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def acquire(self, wait: bool = False, timeout: float | None = None, stop: threading.Event | None = None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.try_acquire():
            if not wait or (deadline is not None and time.monotonic() >= deadline) or (stop and stop.is_set()):
                self.release()
                raise ProjectionBusyError(
                    f"another runner is already running the {self.description} on this database; "
                    "stop it first (or use `familjepool projections run --wait` to take over when it stops)")
            time.sleep(0.5)

    def release(self) -> None:
        if self._conn is not None:
            try:
                # Unlock explicitly: the server ends a closed session asynchronously, so a close alone
                # could leave the lock held for a moment after we return (a rebuild right after would fail).
                self._conn.execute("SELECT pg_advisory_unlock_all()")
            except psycopg.Error:
                pass  # a lost connection: the server has ended the session and its locks already
            finally:
                try:
                    self._conn.close()
                finally:
                    self._conn = None
        if self._fd is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
                os.close(self._fd)
            finally:
                self._fd = None


def replay_page(reader: Application[Any], projection: BatchingProjection, after: int, limit: int) -> tuple[int, int]:
    """Process one page of notifications after `after`; flush; return (last id, count)."""
    notifications = reader.recorder.select_notifications(after, limit, inclusive_of_start=False)
    for n in notifications:
        tracking = Tracking(APPLICATION_NAME, n.id)
        if projection.wants(n.topic):
            projection.process_event(reader.mapper.to_domain_event(n), tracking)
        else:
            projection.skip(tracking)  # no decoding: only the position moves
    projection.flush()
    return (notifications[-1].id if notifications else after), len(notifications)


class ProjectionWorker:
    """Runs one projection until stopped; restarts it from its tracking position after an error."""

    def __init__(self, storage: Storage, name: str, *, on_flush: Callable[[str, int], None] | None = None,
                 batch_size: int = DEFAULT_BATCH_SIZE, poll_interval: float = 0.05):
        self.storage = storage
        self.name = name
        self.on_flush = on_flush
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.lock = RunnerLock(storage, name)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.view: View | None = None
        self.error: BaseException | None = None

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
                self.error = e
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
