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
    """The worker's side: one autocommit connection, reconnected after an error; never raises.

    A thread of its own sends what the views flushed since its last round in ONE statement: five views
    flushing one event cost one round trip, not five, and the runners never wait for it (issue 14)."""

    def __init__(self, storage: Storage):
        self._conninfo = storage.conninfo or ""
        self._schema = storage.schema
        self._conn: psycopg.Connection | None = None
        self._lock = threading.Lock()
        self._pending: dict[str, int] = {}
        self._due = threading.Event()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="projection-announcer", daemon=True)
        self._thread.start()

    def announce(self, name: str, position: int) -> None:
        with self._lock:
            self._pending[name] = max(position, self._pending.get(name, 0))
        self._due.set()

    def _run(self) -> None:
        while True:
            self._due.wait()
            self._due.clear()
            with self._lock:
                pending, self._pending, stopped = self._pending, {}, self._stopped
            if pending:
                self._send(pending)
            if stopped:
                return

    def _send(self, pending: dict[str, int]) -> None:
        try:
            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5)
            params = [v for name, position in pending.items() for v in (CHANNEL, f"{self._schema}|{name}|{position}")]
            self._conn.execute("SELECT " + ", ".join(["pg_notify(%s, %s)"] * len(pending)), params)
        except psycopg.Error as e:  # the readers fall back to the tracking tables
            log.warning("could not announce the views' progress (%s)", type(e).__name__)
            self.close_connection()

    def close_connection(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def close(self) -> None:
        with self._lock:
            self._stopped = True
        self._due.set()
        self._thread.join(timeout=10)  # what was flushed is still announced
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
