"""`familjepool backup FILE` and `familjepool restore FILE`: a whole database, and no erased person back."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Optional
from uuid import UUID

import typer
from eventsourcing.utils import get_topic

from api.cli_errors import database_error_line, redacted
from pool.actors import Actor
from pool.backup import BackupError, load_backup, take_backup
from pool.bootstrap import bootstrap, close
from pool.domain.family import Family
from pool.domain.referral import Referral
from pool.errors import NotFoundError, RuleViolationError
from pool.settings import Storage, database_url, parse_database_url
from projections.core.storage import open_reader
from projections.rebuild import RebuildFailed, rebuild
from projections.registry import NAMES

ERASED_TOPICS = [get_topic(Family.Erased),  # type: ignore[attr-defined]
                 get_topic(Referral.ChildDataErased)]  # type: ignore[attr-defined]
PAGE = 1000
URL_OPTION = typer.Option(None, "--database-url", help="Storage URL (default: FAMILJEPOOL_DATABASE_URL).")


def backup_command(
    file: Path = typer.Argument(..., help="Where to write the backup (overwritten; mode 0600)."),
    url: Optional[str] = URL_OPTION,
) -> None:
    """Copy the whole database (events, subject key table, sessions, views) into FILE while the
    service runs: a pg_dump custom archive of the schema, or an SQLite file. The master key is NOT
    in it; keep the two apart (docs/operations.md)."""
    storage = parse_database_url(url or database_url())
    started = time.monotonic()
    try:
        take_backup(storage, file)
    except BackupError as e:
        _fail(str(e))
    typer.echo(f"backed up {redacted(storage.url)} to {file} ({file.stat().st_size:,} bytes, "
               f"{time.monotonic() - started:.1f} s); the master key is not in it")


def restore_command(
    file: Path = typer.Argument(..., help="A file written by `familjepool backup`."),
    erasures_from: Optional[str] = typer.Option(
        None, "--erasures-from", help="The live database's URL: erasures recorded there after the backup "
                                      "are made again in the restored one (strongly advised)."),
    url: Optional[str] = URL_OPTION,
) -> None:
    """Restore FILE into an EMPTY database (or schema), erase again everyone erased in it or in
    --erasures-from, end every session, and rebuild all views."""
    storage = parse_database_url(url or database_url())
    if erasures_from and parse_database_url(erasures_from).url == storage.url:
        _fail("--erasures-from names the restore target itself; give the live database's URL")
    live: set[UUID] = set()
    if erasures_from:  # read first: an unreachable live database stops the restore before it writes
        try:
            live = erased_subjects(parse_database_url(erasures_from))
        except Exception as e:  # noqa: BLE001 - a storage failure is one line, naming the live URL
            line = database_error_line(e, erasures_from)
            if line is None:
                raise
            _fail(line.removeprefix("error: "))
        typer.echo(f"{len(live)} erased subject(s) in {redacted(erasures_from)}")
    try:
        load_backup(storage, file)
    except BackupError as e:
        _fail(str(e))
    typer.echo(f"restored {file} into {redacted(storage.url)}")
    reapply_erasures(storage, live)
    for name in NAMES:
        try:
            applied = rebuild(storage, name)
        except RebuildFailed as e:
            _fail(str(e))
        typer.echo(f"rebuilt {name}: {applied} events")
    typer.echo("restore complete; every session ended: users sign in again")


def erased_subjects(storage: Storage) -> set[UUID]:
    """Everyone erased in a database: its `Erased` events and its key table's tombstones."""
    found = set(_erased_events(storage))
    with storage.schema_setup():
        keystore = storage.keystore()
    try:
        found.update(keystore.erased())
    finally:
        keystore.close()
    return found


def _erased_events(storage: Storage) -> list[UUID]:
    reader = open_reader(storage, create_table=False)
    try:
        found, after = [], 0
        while True:
            page = reader.recorder.select_notifications(after, PAGE, topics=ERASED_TOPICS, inclusive_of_start=False)
            found.extend(n.originator_id for n in page)
            if len(page) < PAGE:
                return found
            after = page[-1].id
    finally:
        reader.close()


def reapply_erasures(storage: Storage, live: set[UUID]) -> None:
    """Make the restored database forget everyone erased in it or in the live one.

    A family erased after the backup gets its `Erased` event again (so the views drop it as the
    live ones did); every such subject's key is destroyed, tombstone included, so it can never be
    given a new one. Sessions in the backup are ended: a token signed out after the backup must
    not come back to life.
    """
    recorded = set(_erased_events(storage))
    app = bootstrap(storage.url)
    try:
        actor = Actor.system("restore")
        for family_id in sorted(live - recorded):
            try:
                app.erase_family(actor, family_id)
                typer.echo(f"erased again: family {family_id} (erased after the backup)")
            except NotFoundError:
                _reerase_referral(app, actor, family_id)  # a referral's child data, or not in the backup
            except RuleViolationError as e:
                typer.echo(f"warning: family {family_id} could not be erased as a record ({e.code}); "
                           "its key is destroyed, so its personal data cannot be read", err=True)
        keystore = app.sealer.keystore
        tombstones = set(keystore.erased())
        for subject in sorted(recorded | live):
            if subject not in tombstones:
                keystore.destroy(subject)
        typer.echo(f"erasures applied: {len(recorded | live)} subject(s) have no key")
        if app.sessions is not None:
            app.sessions.purge(float("inf"), float("inf"))
    finally:
        close(app)


def _fail(line: str) -> None:
    typer.echo(f"error: {line}", err=True)
    raise typer.Exit(1)


def _reerase_referral(app: Any, actor: Actor, subject: UUID) -> None:
    """A referral whose child data was erased after the backup gets its `ChildDataErased` again."""
    try:
        app.reapply_referral_erasure(actor, subject)
        typer.echo(f"erased again: referral {subject} (child data erased after the backup)")
    except NotFoundError:
        pass  # not in the backup: the tombstone keeps it from ever getting a key
    except RuleViolationError:
        pass  # already recorded
