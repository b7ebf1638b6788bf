"""One clear line instead of a traceback when the database cannot be used (every CLI command, serve)."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from urllib.parse import urlparse, urlunparse

import psycopg
import typer

from pool.settings import SettingsError, database_url, parse_database_url


def redacted(url: str) -> str:
    """The URL with its password replaced, fit for a message or a log."""
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@", 1)
    return urlunparse(parsed._replace(netloc=netloc))


def first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0].strip()


def _root_cause(error: BaseException) -> BaseException:
    seen = error
    while seen.__cause__ is not None or (seen.__context__ is not None and not seen.__suppress_context__):
        seen = seen.__cause__ or seen.__context__  # type: ignore[assignment]
    return seen


def database_error_line(error: BaseException, url: str | None = None) -> str | None:
    """The one line an operator reads for a storage failure; None if `error` is not one."""
    from eventsourcing.persistence import PersistenceError
    from psycopg_pool import PoolTimeout

    from projections.core.lock import ProjectionBusyError

    if isinstance(error, ProjectionBusyError):
        return f"error: {error}"
    if isinstance(error, SettingsError):
        return f"error: {error}"
    if isinstance(error, (psycopg.Error, PersistenceError, PoolTimeout, sqlite3.Error)):
        cause = _root_cause(error)
        where = redacted(url or database_url())
        return f"error: cannot use the database {where}: {first_line(cause)}"
    return None


def check_database(url: str) -> None:
    """Connect once and look for the schema, so `serve` fails before it starts its workers."""
    storage = parse_database_url(url)
    if storage.backend == "sqlite":
        path = storage.sqlite_path or ""
        conn = sqlite3.connect(path if path.startswith("file:") else f"file:{path}", uri=True, timeout=10)
        try:
            conn.execute("SELECT 1")
        finally:
            conn.close()
        return
    with psycopg.connect(storage.conninfo or "", autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [storage.schema]).fetchone()
    if row is None:
        raise SettingsError(f"the schema {storage.schema!r} does not exist in database "
                            f"{storage.env['POSTGRES_DBNAME']!r} ({redacted(url)}); create it or fix ?schema=")


def run_cli(cli: Callable[..., object]) -> None:
    """Run the typer app; a storage failure ends it with one line on stderr and exit status 1."""
    try:
        cli()
    except Exception as e:  # noqa: BLE001 - only storage errors are translated; the rest re-raise
        line = database_error_line(e, url_from_argv())
        if line is None:
            raise
        typer.echo(line, err=True)
        sys.exit(1)


def url_from_argv() -> str | None:
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--database-url" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--database-url="):
            return arg.split("=", 1)[1]
    return None
