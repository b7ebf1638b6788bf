"""Exactly one runner per projection: a lock held for the runner's (or a rebuild's) whole lifetime.

PostgreSQL: ``pg_try_advisory_lock`` held on a dedicated connection; SQLite: an ``flock`` on a
lock file next to the database.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import threading
import time

import psycopg

from pool.settings import Storage


class ProjectionBusyError(RuntimeError):
    """Another runner (or a rebuild) holds this projection."""


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
