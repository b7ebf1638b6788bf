"""Server-side sign-in state beside the events: sessions (by token hash) and failed sign-ins per account."""

from __future__ import annotations

import sqlite3
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

# Both backends take the same SQL; "?" becomes "%s" for psycopg. Times are seconds since the epoch.
SCHEMA = [
    "CREATE TABLE IF NOT EXISTS {t}sessions (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, "
    "username TEXT NOT NULL, role TEXT NOT NULL, municipality TEXT, created_at DOUBLE PRECISION NOT NULL, "
    "last_seen DOUBLE PRECISION NOT NULL)",
    "CREATE INDEX IF NOT EXISTS sessions_user_idx ON {t}sessions (user_id)",
    "CREATE TABLE IF NOT EXISTS {t}login_failures (username TEXT PRIMARY KEY, failures INTEGER NOT NULL, "
    "first_failed_at DOUBLE PRECISION NOT NULL)",
]


@dataclass(frozen=True)
class SessionRow:
    user_id: UUID
    username: str
    role: str
    municipality: str | None
    created_at: float
    last_seen: float


class SessionStore(ABC):
    """Sessions and the sign-in lockout, shared by every process on the database and kept over restarts."""

    table_prefix = ""

    @abstractmethod
    def _execute(self, sql: str, params: tuple = ()) -> list[tuple]: ...

    def _sql(self, sql: str, params: tuple = ()) -> list[tuple]:
        return self._execute(sql.replace("{t}", self.table_prefix), params)

    def create_tables(self) -> None:
        for statement in SCHEMA:
            self._sql(statement)

    # Sessions ------------------------------------------------------------------------------

    def add(self, token_hash: str, user_id: UUID, username: str, role: str, municipality: str | None,
            now: float) -> None:
        self._sql("INSERT INTO {t}sessions VALUES (?, ?, ?, ?, ?, ?, ?)",
                  (token_hash, str(user_id), username, role, municipality, now, now))

    def get(self, token_hash: str) -> SessionRow | None:
        rows = self._sql("SELECT user_id, username, role, municipality, created_at, last_seen "
                         "FROM {t}sessions WHERE token_hash = ?", (token_hash,))
        if not rows:
            return None
        user_id, username, role, municipality, created_at, last_seen = rows[0]
        return SessionRow(UUID(str(user_id)), username, role, municipality, float(created_at), float(last_seen))

    def touch(self, token_hash: str, now: float) -> None:
        self._sql("UPDATE {t}sessions SET last_seen = ? WHERE token_hash = ?", (now, token_hash))

    def revoke(self, token_hash: str) -> None:
        self._sql("DELETE FROM {t}sessions WHERE token_hash = ?", (token_hash,))

    def revoke_user(self, user_id: UUID) -> None:
        """End every session of a user (disabled, enabled again, or a new password)."""
        self._sql("DELETE FROM {t}sessions WHERE user_id = ?", (str(user_id),))

    def purge(self, created_before: float, seen_before: float) -> None:
        self._sql("DELETE FROM {t}sessions WHERE created_at < ? OR last_seen < ?", (created_before, seen_before))

    # Failed sign-ins -----------------------------------------------------------------------

    def failures(self, username: str) -> tuple[int, float] | None:
        """(failures, time of the first) of the account's current window, if any."""
        rows = self._sql("SELECT failures, first_failed_at FROM {t}login_failures WHERE username = ?", (username,))
        return (int(rows[0][0]), float(rows[0][1])) if rows else None

    def add_failure(self, username: str, now: float, window: float) -> None:
        """Count one failure in one statement (so concurrent processes never lose one); a window that
        has passed starts again at one."""
        self._sql(
            "INSERT INTO {t}login_failures AS f VALUES (?, 1, ?) ON CONFLICT (username) DO UPDATE SET "
            "failures = CASE WHEN f.first_failed_at <= ? THEN 1 ELSE f.failures + 1 END, "
            "first_failed_at = CASE WHEN f.first_failed_at <= ? THEN ? ELSE f.first_failed_at END",
            (username, now, now - window, now - window, now))

    def clear_failures(self, username: str) -> None:
        self._sql("DELETE FROM {t}login_failures WHERE username = ?", (username,))

    def purge_failures(self, before: float) -> None:
        self._sql("DELETE FROM {t}login_failures WHERE first_failed_at < ?", (before,))

    def close(self) -> None:
        pass


class SQLiteSessionStore(SessionStore):
    def __init__(self, path: str):
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, uri=True, check_same_thread=False, isolation_level=None, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self.create_tables()

    def _execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        self._conn.close()


class PostgresSessionStore(SessionStore):
    def __init__(self, pool: ConnectionPool, schema: str = "public"):
        # The key store's connection pool (autocommit): no more connections per process than before.
        self.table_prefix = f'"{schema}".'
        self._pool = pool
        self.create_tables()

    def _execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._pool.connection() as conn:
            cursor = conn.execute(sql.replace("?", "%s"), params)
            rows: list[Any] = cursor.fetchall() if cursor.description else []
            return rows
