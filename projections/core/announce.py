"""Views' progress across processes on PostgreSQL: the worker NOTIFYs each flush, API processes LISTEN.

Read-your-writes in worker mode: a process that answers a command waits until the views hold its
event. Instead of polling five tracking tables, it waits for the worker's announcements
(``pg_notify`` after each committed batch, payload ``schema|view|position``). Announcements are
a hint, never the truth: the tracking tables are read once before waiting and again whenever no
announcement came for a while, so a lost notification (a reconnect, a restart) costs latency only.
"""

from __future__ import annotations

import logging
import threading
import psycopg

from pool.settings import Storage

CHANNEL = "familjepool_views"
log = logging.getLogger("familjepool.projections")


class FlushAnnouncer:
    """The worker's side: one autocommit connection, reconnected after an error; never raises."""

    def __init__(self, storage: Storage):
        self._conninfo = storage.conninfo or ""
        self._schema = storage.schema
        self._conn: psycopg.Connection | None = None
        self._lock = threading.Lock()

    def announce(self, name: str, position: int) -> None:
        with self._lock:
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5)
                self._conn.execute("SELECT pg_notify(%s, %s)", [CHANNEL, f"{self._schema}|{name}|{position}"])
            except psycopg.Error as e:  # the readers fall back to the tracking tables
                log.warning("could not announce projection %s's progress (%s)", name, type(e).__name__)
                self.close_connection()

    def close_connection(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def close(self) -> None:
        with self._lock:
            self.close_connection()


class FlushListener:
    """An API process's side: a thread LISTENs and wakes the waiters of ``wait``."""

    def __init__(self, storage: Storage):
        self._conninfo = storage.conninfo or ""
        self._schema = storage.schema
        self.condition = threading.Condition()
        self.positions: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="projection-listener", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            self._heard(note.payload)
            except psycopg.Error as e:
                log.warning("projection listener lost its connection (%s); reconnecting", type(e).__name__)
                self._stop.wait(1.0)

    def _heard(self, payload: str) -> None:
        schema, _, rest = payload.partition("|")
        name, _, position = rest.partition("|")
        if schema != self._schema or not position.isdigit():
            return
        with self.condition:
            self.positions[name] = max(self.positions.get(name, 0), int(position))
            self.condition.notify_all()

    def heard(self, name: str) -> int:
        return self.positions.get(name, 0)

    def wait(self, timeout: float) -> None:
        """Block until the next announcement or `timeout` seconds (call with ``condition`` held)."""
        self.condition.wait(timeout)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
