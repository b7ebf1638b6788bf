"""One process at a time creates tables in a database: an advisory lock (PostgreSQL) or a file lock (SQLite)."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

# Two processes starting at once (an API replica, the worker, an operator's command) race on
# the library's DDL: on PostgreSQL concurrent `CREATE OR REPLACE FUNCTION` fails with "tuple
# concurrently updated", on both backends the tracking tables' `__migration__` row is inserted
# twice. Holding one lock per database while creating tables serialises them.
_local = threading.local()
_in_process = threading.RLock()  # threads of one process (an in-memory SQLite has no file to lock)


@contextmanager
def schema_setup(*, conninfo: str | None = None, schema: str = "public",
                 sqlite_path: str | None = None) -> Iterator[None]:
    """Hold the database's DDL lock while the body creates tables; re-entrant within a thread."""
    if getattr(_local, "depth", 0):
        _local.depth += 1
        try:
            yield
        finally:
            _local.depth -= 1
        return
    with _in_process, _cross_process(conninfo, schema, sqlite_path):
        _local.depth = 1
        try:
            yield
        finally:
            _local.depth = 0


@contextmanager
def _cross_process(conninfo: str | None, schema: str, sqlite_path: str | None) -> Iterator[None]:
    if conninfo is not None:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as conn:
            key = f"familjepool:ddl:{schema}"
            conn.execute("SELECT pg_advisory_lock(hashtext(%s))", [key])
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", [key])
        return
    if sqlite_path and not sqlite_path.startswith("file:"):
        fd = os.open(f"{sqlite_path}.ddl-lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the flock
        return
    yield
