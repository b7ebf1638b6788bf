"""Where subject keys live: a table beside the events, one class per backend."""

from __future__ import annotations

import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from uuid import UUID

from psycopg_pool import ConnectionPool


class KeyStore(ABC):
    """Wrapped per-subject keys; destroying a key is how personal data is erased."""

    def get(self, subject_id: UUID) -> bytes | None:
        entry = self.entry(subject_id)
        return entry[0] if entry else None

    @abstractmethod
    def entry(self, subject_id: UUID) -> tuple[bytes, str | None] | None:
        """The wrapped key and the id of the master key that wrapped it (None: not recorded)."""

    @abstractmethod
    def entries(self, subject_ids: Iterable[UUID]) -> dict[UUID, tuple[bytes, str | None]]:
        """`entry` of many subjects in one statement (a page of the register); erased or unknown ones are absent."""

    def get_many(self, subject_ids: Iterable[UUID]) -> dict[UUID, bytes]:
        return {subject: wrapped for subject, (wrapped, _) in self.entries(subject_ids).items()}

    @abstractmethod
    def rows(self, after: str, limit: int) -> list[tuple[str, bytes, str | None]]:
        """(subject id as stored, wrapped key, master key id) of live keys after `after`, in order."""

    @abstractmethod
    def rewrap(self, subject: str, old: bytes, new: bytes, key_id: str) -> bool:
        """Replace one wrapped key if it is still `old` (a concurrent erasure wins); True if replaced."""

    @abstractmethod
    def shred_old_versions(self) -> None:
        """Rewrite the table so no replaced wrapped key stays in its files (VACUUM FULL / checkpoint)."""

    @abstractmethod
    def add(self, subject_id: UUID, wrapped_key: bytes, key_id: str | None = None) -> bytes | None:
        """Store a key unless one exists; return the stored key (first writer wins), or None
        if the subject was erased: an erased subject never gets a new key."""

    @abstractmethod
    def destroy(self, subject_id: UUID) -> None:
        """Delete the key, leaving a tombstone, so that no copy stays readable in the files."""

    @abstractmethod
    def erased(self) -> list[UUID]:
        """The subjects whose key was destroyed (the tombstones): what a restore must erase again."""

    def close(self) -> None:
        pass


class SQLiteKeyStore(KeyStore):
    """One connection writes (under a lock); reads go through a connection per thread, without the lock.

    In WAL mode readers never wait for the writer nor for each other, so a get no longer queues behind
    another thread's add and its commit (issue 14: with 8 clients three quarters of the sealing time
    was waiting for the lock). A shared-cache memory database has no WAL: there reads take the lock.
    """

    def __init__(self, path: str):
        self._path = path
        self._lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()  # not the writer's: opening a reader never waits for an add
        self._shared_cache = "mode=memory" in path
        self._conn = sqlite3.connect(path, uri=True, check_same_thread=False, isolation_level=None, timeout=30)
        # Zero deleted content instead of leaving it in free pages.
        self._conn.execute("PRAGMA secure_delete=ON")
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS subject_keys ("
            "subject_id TEXT PRIMARY KEY, wrapped_key BLOB, "
            "created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, erased_at TEXT, master_key_id TEXT)"
        )
        columns = [r[1] for r in self._conn.execute("PRAGMA table_info(subject_keys)")]
        if "master_key_id" not in columns:  # a table from before rotation: ids unrecorded (NULL)
            self._conn.execute("ALTER TABLE subject_keys ADD COLUMN master_key_id TEXT")

    def _read(self, sql: str, params: Sequence[object]) -> list[tuple]:
        if self._shared_cache:
            with self._lock:
                return self._conn.execute(sql, params).fetchall()
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self._path, uri=True, check_same_thread=False, isolation_level=None, timeout=30)
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn.execute(sql, params).fetchall()

    def entry(self, subject_id: UUID) -> tuple[bytes, str | None] | None:
        rows = self._read("SELECT wrapped_key, master_key_id FROM subject_keys WHERE subject_id=?", (subject_id.hex,))
        return (bytes(rows[0][0]), rows[0][1]) if rows and rows[0][0] is not None else None

    def entries(self, subject_ids: Iterable[UUID]) -> dict[UUID, tuple[bytes, str | None]]:
        wanted = sorted({s.hex for s in subject_ids})
        found: dict[UUID, tuple[bytes, str | None]] = {}
        for i in range(0, len(wanted), 500):  # below SQLite's limit of bound parameters
            chunk = wanted[i:i + 500]
            rows = self._read("SELECT subject_id, wrapped_key, master_key_id FROM subject_keys "
                              f"WHERE subject_id IN ({','.join('?' * len(chunk))}) AND wrapped_key IS NOT NULL", chunk)
            found.update({UUID(r[0]): (bytes(r[1]), r[2]) for r in rows})
        return found

    def add(self, subject_id: UUID, wrapped_key: bytes, key_id: str | None = None) -> bytes | None:
        with self._lock:  # only the INSERT (its own commit) holds the lock
            # No fsync of its own: a key is only needed by the event that holds a value sealed with it, and
            # that event's commit (FULL) syncs the database's log, this INSERT included (issue 14, write path).
            self._conn.execute("PRAGMA synchronous=NORMAL")
            try:
                inserted = self._conn.execute(
                    "INSERT INTO subject_keys (subject_id, wrapped_key, master_key_id) VALUES (?, ?, ?) "
                    "ON CONFLICT (subject_id) DO NOTHING RETURNING wrapped_key",
                    (subject_id.hex, wrapped_key, key_id),
                ).fetchall()
            finally:
                self._conn.execute("PRAGMA synchronous=FULL")  # erasure and rotation stay durable at once
        return bytes(inserted[0][0]) if inserted else self.get(subject_id)  # no row: another writer won

    def rows(self, after: str, limit: int) -> list[tuple[str, bytes, str | None]]:
        found = self._read("SELECT subject_id, wrapped_key, master_key_id FROM subject_keys "
                           "WHERE wrapped_key IS NOT NULL AND subject_id > ? ORDER BY subject_id LIMIT ?", (after, limit))
        return [(r[0], bytes(r[1]), r[2]) for r in found]

    def rewrap(self, subject: str, old: bytes, new: bytes, key_id: str) -> bool:
        with self._lock:
            cursor = self._conn.execute(
                "UPDATE subject_keys SET wrapped_key=?, master_key_id=? WHERE subject_id=? AND wrapped_key=?",
                (new, key_id, subject, old))
        return cursor.rowcount == 1

    def shred_old_versions(self) -> None:
        with self._lock:  # secure_delete zeroed the old cells; the WAL still holds old page images
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def destroy(self, subject_id: UUID) -> None:
        with self._lock:
            # Delete then insert the tombstone: secure_delete zeroes the freed cell with the key.
            self._conn.execute("DELETE FROM subject_keys WHERE subject_id=?", (subject_id.hex,))
            self._conn.execute(
                "INSERT INTO subject_keys (subject_id, wrapped_key, erased_at) VALUES (?, NULL, CURRENT_TIMESTAMP)",
                (subject_id.hex,),
            )
            # The write-ahead log still holds earlier page images with the key: fold it in and cut it.
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def erased(self) -> list[UUID]:
        return [UUID(r[0]) for r in self._read("SELECT subject_id FROM subject_keys WHERE wrapped_key IS NULL", ())]

    def close(self) -> None:
        with self._readers_lock:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
        self._conn.close()


class PostgresKeyStore(KeyStore):
    def __init__(self, conninfo: str, schema: str = "public"):
        self._table = f'"{schema}".subject_keys'
        self._pool = ConnectionPool(conninfo, kwargs={"autocommit": True}, min_size=1, max_size=4, open=True)
        self.pool = self._pool  # shared with the session store (pool/sessionstore.py)
        self._execute(
            f"CREATE TABLE IF NOT EXISTS {self._table} ("
            "subject_id uuid PRIMARY KEY, wrapped_key bytea, "
            "created_at timestamptz NOT NULL DEFAULT now(), erased_at timestamptz, master_key_id text)"
        )
        self._execute(f"ALTER TABLE {self._table} ADD COLUMN IF NOT EXISTS master_key_id text")

    def _execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._pool.connection() as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def entry(self, subject_id: UUID) -> tuple[bytes, str | None] | None:
        rows = self._execute(f"SELECT wrapped_key, master_key_id FROM {self._table} WHERE subject_id=%s",
                             (subject_id,))
        return (bytes(rows[0][0]), rows[0][1]) if rows and rows[0][0] is not None else None

    def entries(self, subject_ids: Iterable[UUID]) -> dict[UUID, tuple[bytes, str | None]]:
        wanted = sorted(set(subject_ids))
        if not wanted:
            return {}
        rows = self._execute(f"SELECT subject_id, wrapped_key, master_key_id FROM {self._table} "
                             "WHERE subject_id = ANY(%s) AND wrapped_key IS NOT NULL", (wanted,))
        return {r[0]: (bytes(r[1]), r[2]) for r in rows}

    def add(self, subject_id: UUID, wrapped_key: bytes, key_id: str | None = None) -> bytes | None:
        inserted = self._execute(
            f"INSERT INTO {self._table} (subject_id, wrapped_key, master_key_id) VALUES (%s, %s, %s) "
            "ON CONFLICT DO NOTHING RETURNING wrapped_key",
            (subject_id, wrapped_key, key_id),
        )
        return bytes(inserted[0][0]) if inserted else self.get(subject_id)  # no row: another writer won

    def rows(self, after: str, limit: int) -> list[tuple[str, bytes, str | None]]:
        found = self._execute(
            f"SELECT subject_id::text, wrapped_key, master_key_id FROM {self._table} "
            "WHERE wrapped_key IS NOT NULL AND subject_id::text > %s ORDER BY subject_id::text LIMIT %s",
            (after, limit))
        return [(r[0], bytes(r[1]), r[2]) for r in found]

    def rewrap(self, subject: str, old: bytes, new: bytes, key_id: str) -> bool:
        with self._pool.connection() as conn:
            cursor = conn.execute(
                f"UPDATE {self._table} SET wrapped_key=%s, master_key_id=%s WHERE subject_id=%s AND wrapped_key=%s",
                (new, key_id, subject, old))
            return cursor.rowcount == 1

    def shred_old_versions(self) -> None:
        self._execute(f"VACUUM FULL {self._table}")

    def destroy(self, subject_id: UUID) -> None:
        self._execute(f"DELETE FROM {self._table} WHERE subject_id=%s", (subject_id,))
        self._execute(f"INSERT INTO {self._table} (subject_id, wrapped_key, erased_at) VALUES (%s, NULL, now())",
                      (subject_id,))
        # A dead tuple keeps its bytes until the table is rewritten; the table is small.
        self._execute(f"VACUUM FULL {self._table}")

    def erased(self) -> list[UUID]:
        return [r[0] for r in self._execute(f"SELECT subject_id FROM {self._table} WHERE wrapped_key IS NULL")]

    def close(self) -> None:
        self._pool.close()
