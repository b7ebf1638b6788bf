"""Events a projection could not apply: recorded in the database, halted at or parked per projection.

A row holds the projection, the event's notification id, originator id, version and topic, and
the error's type: never its message, which may quote a value from the event. ``state`` is
``halted`` (the runner waits at the event), ``retry``/``park`` (an operator asked the halted
runner to try again or to step over it), ``parked`` (stepped over; the view lacks the event until
acknowledged or rebuilt) or ``resolved``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import OperationalError

from pool.settings import Storage

PARK_SETTING = "FAMILJEPOOL_PARK_BAD_EVENTS"
OPEN_STATES = ("halted", "retry", "park")


def parks(name: str) -> bool:
    """Whether this projection steps over an event it cannot apply (default: it halts at it)."""
    chosen = {n.strip() for n in os.environ.get(PARK_SETTING, "").split(",") if n.strip()}
    return name in chosen or "all" in chosen


def is_transient(error: BaseException) -> bool:
    """A lost connection or a busy database: retry the same events, blame none of them."""
    import psycopg  # the driver's own classes; SQLite's "database is locked" arrives as OperationalError
    import sqlite3

    return isinstance(error, (OperationalError, psycopg.OperationalError, psycopg.InterfaceError,
                              sqlite3.OperationalError, ConnectionError, TimeoutError))


@dataclass(frozen=True)
class BadEvent:
    notification_id: int
    originator_id: str
    originator_version: int
    topic: str
    error_type: str


class FailureLog:
    """The ``projection_failures`` table, on the view datastore of the process."""

    def __init__(self, storage: Storage, datastore: Any):
        self.storage = storage
        self.datastore = datastore
        prefix = f'"{storage.schema}".' if storage.backend == "postgres" else ""
        self.table = f"{prefix}projection_failures"
        with storage.schema_setup():
            self._write(f"CREATE TABLE IF NOT EXISTS {self.table} (projection TEXT NOT NULL, "
                        "notification_id BIGINT NOT NULL, originator_id TEXT NOT NULL, "
                        "originator_version BIGINT NOT NULL, topic TEXT NOT NULL, error_type TEXT NOT NULL, "
                        "state TEXT NOT NULL, failed_at TEXT NOT NULL, PRIMARY KEY (projection, notification_id))")

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.storage.backend == "postgres" else sql

    def _write(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(self._sql(sql), list(params))

    def _read(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(sql), list(params))
            return [dict(row) for row in c.fetchall()]

    def record(self, name: str, bad: BadEvent, state: str) -> None:
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self._write(f"INSERT INTO {self.table} VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (projection, notification_id) "
                    "DO UPDATE SET error_type = excluded.error_type, state = excluded.state, failed_at = excluded.failed_at",
                    [name, bad.notification_id, bad.originator_id, bad.originator_version, bad.topic,
                     bad.error_type, state, now])

    def set_state(self, name: str, notification_id: int, state: str) -> None:
        self._write(f"UPDATE {self.table} SET state = ? WHERE projection = ? AND notification_id = ?",
                    [state, name, notification_id])

    def state(self, name: str, notification_id: int) -> str | None:
        rows = self._read(f"SELECT state FROM {self.table} WHERE projection = ? AND notification_id = ?",
                          [name, notification_id])
        return str(rows[0]["state"]) if rows else None

    def rows(self, name: str | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE projection = ?", [name]) if name else ("", [])
        return self._read(f"SELECT * FROM {self.table} {where} ORDER BY projection, notification_id", params)

    def open_rows(self, positions: dict[str, int]) -> list[dict[str, Any]]:
        """Unresolved failures; a halted row behind the view's position is stale (a restart got past it)."""
        return [r for r in self.rows() if r["state"] == "parked" or (
            r["state"] in OPEN_STATES and int(r["notification_id"]) > positions.get(str(r["projection"]), 0))]

    def request(self, name: str, state: str) -> int | None:
        """Ask the halted runner of `name` to retry or park its event; the event's id, or None."""
        rows = [r for r in self.rows(name) if r["state"] in OPEN_STATES]
        if not rows:
            return None
        nid = int(rows[-1]["notification_id"])
        self.set_state(name, nid, state)
        return nid

    def acknowledge(self, name: str) -> int:
        rows = [r for r in self.rows(name) if r["state"] == "parked"]
        self._write(f"UPDATE {self.table} SET state = 'resolved' WHERE projection = ? AND state = 'parked'", [name])
        return len(rows)

    def resolve_all(self, name: str, keep: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        for r in self.rows(name):
            if int(r["notification_id"]) not in keep and r["state"] != "resolved":
                self.set_state(name, int(r["notification_id"]), "resolved")
