"""Counting the SQL statements (and commits) a piece of work runs, on both backends (issue 14).

A trace, not a mock: every statement still reaches the real database. SQLite: every connection
opened while tracing gets sqlite3's trace callback. PostgreSQL: psycopg's cursor and connection
methods are wrapped. Each statement is kept with the name of the thread that ran it, so a test can
tell the request's own statements from the projection runners' background polling.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest


@dataclass
class StatementLog:
    statements: list[tuple[str, str]] = field(default_factory=list)  # (thread name, SQL)
    on: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sql: Any, many: int = 1) -> None:
        if self.on:
            text = sql.decode() if isinstance(sql, bytes) else str(sql)
            with self._lock:
                self.statements += [(threading.current_thread().name, text.strip())] * many

    @contextmanager
    def counting(self) -> Iterator[StatementLog]:
        with self._lock:
            self.statements.clear()
        self.on = True
        try:
            yield self
        finally:
            self.on = False

    def by(self, thread: str | None = None, prefix: str = "") -> list[str]:
        """Statements of the threads whose name starts with `prefix`, or of one thread."""
        with self._lock:
            return [s for t, s in self.statements if (t == thread if thread else t.startswith(prefix))]

    def matching(self, fragment: str, thread: str | None = None, prefix: str = "") -> int:
        return sum(fragment.lower() in s.lower() for s in self.by(thread, prefix))


def install(monkeypatch: pytest.MonkeyPatch) -> StatementLog:
    """Trace every statement from now on (connections opened later, for SQLite)."""
    log = StatementLog()
    connect = sqlite3.connect

    def traced_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(log.add)
        return conn

    monkeypatch.setattr(sqlite3, "connect", traced_connect)
    execute = psycopg.Cursor.execute  # Connection.execute goes through it too

    def traced_execute(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        log.add(query.as_string(None) if hasattr(query, "as_string") else query)
        return execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", traced_execute)
    executemany = psycopg.Cursor.executemany

    def traced_executemany(self: Any, query: Any, params_seq: Any, *args: Any, **kwargs: Any) -> Any:
        params_seq = list(params_seq)
        log.add(query, many=len(params_seq))
        return executemany(self, query, params_seq, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "executemany", traced_executemany)
    commit = psycopg.Connection.commit

    def traced_commit(self: Any) -> Any:
        log.add("COMMIT")
        return commit(self)

    monkeypatch.setattr(psycopg.Connection, "commit", traced_commit)
    leave = psycopg.Transaction.__exit__

    def traced_exit(self: Any, exc_type: Any, *args: Any) -> Any:
        if exc_type is None and not self.savepoint_name:  # a transaction block's own COMMIT
            log.add("COMMIT")
        return leave(self, exc_type, *args)

    monkeypatch.setattr(psycopg.Transaction, "__exit__", traced_exit)
    return log
