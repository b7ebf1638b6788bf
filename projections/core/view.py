"""Materialised views: one abstract interface per read model, one class per storage backend.

Every view is an eventsourcing ``TrackingRecorder``: its tables live in the same database (and
schema) as the events, next to a tracking table of its own (``<name>_tracking``). A projection
hands a view a *batch* of changes together with the tracking object of the last event that
produced them; ``apply_batch`` writes the changes and the tracking row in ONE transaction, so a
view can never hold a change whose event is not tracked, nor track an event whose change is lost.

Changes are ``(statement_key, params)`` pairs: the view owns its SQL (``STATEMENTS``), the
projection only decides which change an event makes. Statements are written once with ``?``
placeholders and ``{s}`` for the schema prefix and translated per backend.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder

from projections.core.history import (
    history_ddl, history_indexes, history_read_indexes, history_statements, history_table, table_columns, written_tables,
)

Change = tuple[str, Sequence[Any]]

APPLICATION_NAME = "familjepool"
REBUILD_SUFFIX = "__new"
_INDEX = re.compile(r"(CREATE (?:UNIQUE )?INDEX IF NOT EXISTS )(\w+)")


class View(TrackingRecorder, ABC):
    """The interface every view offers the projections and the read side."""

    name: ClassVar[str]
    DDL: ClassVar[list[str]] = []  # CREATE TABLE / INDEX statements ({s} = schema prefix)
    TABLES: ClassVar[list[str]] = []  # dropped (in this order) by a rebuild
    STATEMENTS: ClassVar[dict[str, str]] = {}
    suffix: str = ""  # REBUILD_SUFFIX: the same view over a rebuild's own tables
    stale: bool = False  # built by other code (projections/core/schemas.py): to be rebuilt before it runs
    # Tables whose past is kept for ``as_of`` reads (table -> key column; projections/core/history.py).
    HISTORY: ClassVar[dict[str, str]] = {}
    WRITES: ClassVar[dict[str, str]] = {}  # statement key -> the table it writes
    HISTORY_COLUMNS: ClassVar[dict[str, list[str]]] = {}  # historised table -> its columns
    # Indexes only reads use (no statement of the projection's writes needs them): a rebuild's tables get
    # them at the swap, which builds every index under its served name anyway, not row by row in the replay.
    READ_INDEXES: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "HISTORY" in cls.__dict__:  # the history tables, indexes and statements, once per read model
            cls.HISTORY_COLUMNS = {t: table_columns(cls.DDL, t) for t in cls.HISTORY}
            for table, key in cls.HISTORY.items():
                own = history_indexes(cls.DDL, table)
                cls.DDL = [*cls.DDL, *history_ddl(table, key), *own]
                cls.READ_INDEXES = cls.READ_INDEXES | history_read_indexes(table, own)
                cls.TABLES = [*cls.TABLES, history_table(table)]
                cls.STATEMENTS = {**cls.STATEMENTS, **history_statements(table, key)}
        if "STATEMENTS" in cls.__dict__ or "HISTORY" in cls.__dict__:
            cls.WRITES = written_tables(cls.STATEMENTS)

    @property
    def tracking_table(self) -> str:
        return f"{self.name}_tracking{self.suffix}"

    def renamed(self, statement: str) -> str:
        """A statement over this view's tables, or over a rebuild's tables when it has a suffix."""
        if not self.suffix:
            return statement
        for table in self.TABLES:
            statement = re.sub(r"\{s\}" + table + r"\b", "{s}" + table + self.suffix, statement)
        return _INDEX.sub(lambda m: m.group(1) + m.group(2) + self.suffix, statement)

    def index_names(self) -> list[str]:
        return [m.group(2) for m in (_INDEX.search(d) for d in self.DDL) if m]

    def created_ddl(self) -> list[str]:
        """The DDL `create_table` runs: a rebuild's tables lack READ_INDEXES until the swap builds them."""
        if self.suffix != REBUILD_SUFFIX:
            return self.DDL
        return [d for d in self.DDL if not ((m := _INDEX.search(d)) and m.group(2) in self.READ_INDEXES)]

    def swap(self) -> None:
        """Replace the served tables by this rebuild's tables in ONE transaction (readers see old or new)."""
        assert self.suffix, "only a rebuild's view swaps"
        q = self.translate
        with self.datastore.transaction(commit=True) as c:
            for table in [*self.TABLES, f"{self.name}_tracking"]:
                c.execute(q(f"DROP TABLE IF EXISTS {{s}}{table}{self._cascade}"))
                c.execute(q(f"ALTER TABLE {{s}}{table}{self.suffix} RENAME TO {table}"))
            for index in self.index_names():  # the indexes under their served names
                c.execute(q(f"DROP INDEX IF EXISTS {{s}}{index}{self.suffix}"))
            for statement in self.DDL:
                if _INDEX.search(statement):
                    c.execute(q(statement))

    def discard_rebuild(self) -> None:
        """Drop a rebuild's tables (a failed or interrupted rebuild; the served tables stay)."""
        assert self.suffix, "only a rebuild's view is discarded"
        with self.datastore.transaction(commit=True) as c:
            for table in [*self.TABLES, f"{self.name}_tracking"]:
                c.execute(self.translate(f"DROP TABLE IF EXISTS {{s}}{table}{self.suffix}{self._cascade}"))

    _cascade: ClassVar[str] = ""

    def sql(self, statement: str) -> str:
        """The statement for this backend (placeholders, schema prefix, rebuild suffix)."""
        return self.translate(self.renamed(statement))

    @abstractmethod
    def translate(self, statement: str) -> str:
        """Placeholders and the schema prefix for this backend."""

    @abstractmethod
    def apply_batch(self, changes: Sequence[Change], tracking: Tracking) -> None:
        """Write the changes and the tracking object in one transaction."""

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a read-only statement (``?`` placeholders, ``{s}`` schema prefix)."""

    def execute_now(self, changes: Sequence[Change]) -> None:
        """Write changes that derive from no event (re-banding ages at a year change)."""
        # Both backends' datastores give a cursor from transaction(); self._sql is per backend.
        with self.datastore.transaction(commit=True) as c:  # type: ignore[attr-defined]
            for key, params in changes:
                c.execute(self._sql[key], params)  # type: ignore[attr-defined]

    @abstractmethod
    def drop(self) -> None:
        """Drop the view's tables and its tracking row (a rebuild then replays from 0)."""

    def position(self) -> int:
        return self.max_tracking_id(APPLICATION_NAME) or 0

    def count(self, sql: str, params: Sequence[Any] = ()) -> int:
        rows = self.query(sql, params)
        value = next(iter(rows[0].values())) if rows else 0
        return int(value or 0)

    @abstractmethod
    def head(self) -> int:
        """The last notification id in the event store (same database)."""

    EVENTS: ClassVar[str] = ""  # the events table and its notification id column, per backend
    EVENT_ID: ClassVar[str] = ""

    def applied_through(self, position: int, upto: int, topics: Sequence[str]) -> int:
        """How far this view has applied OR stepped over the events: its tracking position, or further up to
        `upto` while the events after it are all ones the view ignores (live runners skip those without
        writing a tracking row; projections/core/projection.py). One indexed range read, only when behind."""
        if not topics or position >= upto:
            return position
        i = self.EVENT_ID
        first = self.count(f"SELECT MIN({i}) AS first FROM {self.EVENTS} WHERE {i} > ? AND {i} <= ? "
                           f"AND topic IN ({', '.join('?' * len(topics))})", [position, upto, *topics])
        return upto if not first else max(position, first - 1)


def _group(changes: Sequence[Change]) -> list[tuple[str, list[Sequence[Any]]]]:
    """Consecutive changes with the same statement become one executemany."""
    groups: list[tuple[str, list[Sequence[Any]]]] = []
    for key, params in changes:
        if groups and groups[-1][0] == key:
            groups[-1][1].append(params)
        else:
            groups.append((key, [params]))
    return groups


def _write(cursor: Any, statements: dict[str, str], changes: Sequence[Change]) -> None:
    """A batch's changes through either backend's cursor: one execute, or one executemany per group."""
    for key, params in _group(changes):
        if len(params) == 1:
            cursor.execute(statements[key], params[0])
        else:
            cursor.executemany(statements[key], params)


class SQLiteView(SQLiteTrackingRecorder, View):
    """SQLite: the library's tracking recorder with a tracking table per view."""

    def __init__(self, datastore: Any, suffix: str = "", **kwargs: Any):
        self.suffix = suffix
        super().__init__(datastore, **kwargs)
        t = self.tracking_table
        self.insert_tracking_statement = (
            f"INSERT INTO {t} VALUES (:application_name, :notification_id) "
            f"ON CONFLICT (application_name) DO UPDATE SET notification_id = :notification_id "
            f"WHERE {t}.notification_id < :notification_id RETURNING notification_id"
        )
        self.select_max_tracking_id_statement = f"SELECT MAX(notification_id) FROM {t} WHERE application_name=?"
        self._sql = {k: self.sql(v) for k, v in self.STATEMENTS.items()}

    def construct_create_table_statements(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {self.tracking_table} (application_name TEXT, notification_id INTEGER, "
            "PRIMARY KEY (application_name)) WITHOUT ROWID"
        ]

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as c:
            for statement in self.created_ddl():
                c.execute(self.sql(statement))

    def translate(self, statement: str) -> str:
        return statement.replace("{s}", "")

    def apply_batch(self, changes: Sequence[Change], tracking: Tracking) -> None:
        # No fsync of its own (synchronous=NORMAL, WAL): a view is derived data with its tracking row in the
        # same transaction, so a power loss can only take back a consistent tail, which the runner replays;
        # the next command's commit (FULL) syncs the log these frames are in (issue 14: 5 of 7 fsyncs a POST).
        with self.datastore.get_connection(commit=True) as conn:
            conn.cursor().execute("PRAGMA synchronous=NORMAL")  # only outside a transaction
            try:
                with conn.transaction(commit=True) as c:
                    _write(c, self._sql, changes)
                    self._insert_tracking(c, tracking)
            finally:
                conn.cursor().execute("PRAGMA synchronous=FULL")  # the connection's other writes stay durable

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self.sql(sql), list(params))
            return [dict(row) for row in c.fetchall()]

    EVENTS, EVENT_ID = "stored_events", "rowid"

    def head(self) -> int:
        return self.count("SELECT MAX(rowid) AS head FROM stored_events") or 0

    def drop(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            for table in self.TABLES:
                c.execute(f"DROP TABLE IF EXISTS {table}")
            c.execute(f"DELETE FROM {self.tracking_table} WHERE application_name = ?", [APPLICATION_NAME])
        self.create_table()


class PostgresView(PostgresTrackingRecorder, View):
    """PostgreSQL: the library's tracking recorder; tables in the events' schema."""

    _cascade = " CASCADE"

    def __init__(self, datastore: Any, suffix: str = "", **kwargs: Any):
        self.suffix = suffix
        kwargs.setdefault("tracking_table_name", self.tracking_table)
        super().__init__(datastore, **kwargs)
        self._sql = {k: self.sql(v) for k, v in self.STATEMENTS.items()}

    def translate(self, statement: str) -> str:
        schema = self.datastore.schema.replace('"', '""')
        return statement.replace("{s}", f'"{schema}".').replace("?", "%s")

    def swap(self) -> None:
        super().swap()
        with self.datastore.transaction(commit=True) as c:  # implicit index names (primary keys) too
            c.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s AND indexname LIKE %s",
                      [self.datastore.schema, f"%{self.suffix}%"])
            for row in c.fetchall():
                name = row["indexname"]
                if any(name.startswith(t + self.suffix) for t in [*self.TABLES, f"{self.name}_tracking"]):
                    c.execute(self.translate(f'ALTER INDEX {{s}}"{name}" RENAME TO "{name.replace(self.suffix, "", 1)}"'))

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as c:
            for statement in self.created_ddl():
                c.execute(self.sql(statement), prepare=False)

    def apply_batch(self, changes: Sequence[Change], tracking: Tracking) -> None:
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as c:
            with conn.pipeline():
                c.execute("SET LOCAL synchronous_commit = off", prepare=False)  # derived data, as NORMAL above
                _write(c, self._sql, changes)
            self._insert_tracking(c, tracking)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.datastore.get_connection() as conn, conn.cursor() as c:
            c.execute(self.sql(sql), list(params))
            return [dict(row) for row in c.fetchall()]

    EVENTS, EVENT_ID = "{s}familjepool_events", "notification_id"

    def head(self) -> int:
        return self.count("SELECT MAX(notification_id) AS head FROM {s}familjepool_events") or 0

    def drop(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            for table in self.TABLES:
                c.execute(self.sql(f"DROP TABLE IF EXISTS {{s}}{table} CASCADE"))
            c.execute(self.sql(f"DELETE FROM {{s}}{self.tracking_table} WHERE application_name = ?"),
                      [APPLICATION_NAME])
        self.create_table()

