"""Logical backups of one database (pg_dump/pg_restore of the schema, SQLite's online backup API)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from pool.settings import Storage

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """A backup or restore cannot go ahead; the message is the one line the operator reads."""


def backup_kind(path: Path) -> str:
    """'sqlite' or 'postgres': what database a backup file was taken of."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as e:
        raise BackupError(f"cannot read the backup {path}: {e.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgres"
    raise BackupError(f"{path} is not a familjepool backup (neither a pg_dump custom archive nor an SQLite file)")


def take_backup(storage: Storage, path: Path) -> None:
    """Write a consistent copy of everything in the database (schema) to `path` (mode 0600).

    The copy is one snapshot, taken while the service runs: pg_dump reads in one repeatable-read
    transaction, SQLite's backup API copies the pages of one read transaction.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    os.close(fd)  # mkstemp creates it 0600; the tools write into it
    tmp = Path(tmp_name)
    try:
        if storage.backend == "sqlite":
            source = sqlite3.connect(f"file:{storage.sqlite_path}?mode=ro", uri=True, timeout=30)
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        else:
            _run([_tool("pg_dump"), "--format=custom", f"--schema={storage.schema}", "--no-owner",
                  "--no-privileges", f"--file={tmp}"], storage, with_dbname=True)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def table_count(storage: Storage) -> int:
    """How many tables, sequences and functions the target already holds (0: empty)."""
    if storage.backend == "sqlite":
        conn = sqlite3.connect(storage.sqlite_path or "", timeout=30)
        try:
            row = conn.execute("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchone()
        finally:
            conn.close()
        return int(row[0])
    with psycopg.connect(storage.conninfo or "", autocommit=True) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "        WHERE n.nspname = %(s)s AND c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f')) "
            "     + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "        WHERE n.nspname = %(s)s)", {"s": storage.schema}).fetchone()
    return int(row[0]) if row else 0


def load_backup(storage: Storage, path: Path) -> None:
    """Copy a backup into the (empty) target; on PostgreSQL in one transaction, all or nothing."""
    kind = backup_kind(path)
    if kind != storage.backend:
        raise BackupError(f"{path} is a backup of a {kind} database; restore it into a {kind} URL, "
                          f"not {storage.backend}")
    count = table_count(storage)
    if count:
        where = storage.sqlite_path if storage.backend == "sqlite" else f"schema {storage.schema!r}"
        raise BackupError(f"the target {where} is not empty ({count} tables or other objects); "
                          "restore only into an empty database or schema")
    if storage.backend == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(storage.sqlite_path or "", timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        os.chmod(storage.sqlite_path or "", 0o600)
        return
    _restore_postgres(storage, path)


def _restore_postgres(storage: Storage, path: Path) -> None:
    listing = _run([_tool("pg_restore"), "--list", str(path)], storage)
    # A table's entry reads "ID; OID OID TABLE SCHEMA NAME OWNER" (its rows: "... TABLE DATA SCHEMA ...").
    schemas = {parts[4] for parts in map(str.split, listing.splitlines())
               if len(parts) > 5 and not parts[0].startswith(";") and parts[3] == "TABLE" and parts[4] != "DATA"}
    if schemas != {storage.schema}:
        found = ", ".join(sorted(schemas)) or "none"
        raise BackupError(f"the backup holds schema {found}; restore it into a URL with ?schema={found} "
                          f"(an empty schema of that name), not {storage.schema!r}")
    # The target schema exists already (it is checked to be empty): skip the dump's CREATE SCHEMA.
    entries = "".join(line + "\n" for line in listing.splitlines()
                      if not (len(line.split()) > 3 and line.split()[3] == "SCHEMA"))
    with tempfile.NamedTemporaryFile("w", suffix=".list") as chosen:
        chosen.write(entries)
        chosen.flush()
        _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              f"--use-list={chosen.name}", str(path)], storage, with_dbname=True)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client, "
                          "the major version of the server or newer)")
    return found


def _run(command: list[str], storage: Storage, with_dbname: bool = False) -> str:
    """Run a PostgreSQL client tool; the password goes in its environment, never on the command line."""
    env = dict(os.environ)
    if storage.backend == "postgres":
        parts = conninfo_to_dict(storage.conninfo or "")
        password = parts.pop("password", None)
        if password:
            env["PGPASSWORD"] = str(password)
        if with_dbname:
            command = [*command, f"--dbname={make_conninfo(**parts)}"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise BackupError(f"{Path(command[0]).name} failed: {lines[0] if lines else done.returncode}")
    return done.stdout
