"""`familjepool projections run|status|rebuild|failures|retry|acknowledge`: operate the read-model projections."""

from __future__ import annotations

import os
import signal
import threading
from typing import Optional

import typer

from pool.settings import database_url, parse_database_url
from projections.registry import NAMES
from projections.core.lock import ProjectionBusyError
from projections.core.failures import FailureLog
from projections.core.storage import open_datastore
from projections.parallel import Outcome, concurrent, ordered, rebuild_concurrently, rebuild_one
from projections.rebuild import status as view_status
from projections.runtime import ProjectionRuntime

projections_cli = typer.Typer(help="Run, inspect and rebuild the read-model projections.", no_args_is_help=True)

URL_OPTION = typer.Option(None, "--database-url", help="Storage URL (default: FAMILJEPOOL_DATABASE_URL).")


def _names(names: Optional[list[str]]) -> list[str]:
    chosen = list(names or NAMES)
    unknown = [n for n in chosen if n not in NAMES]
    if unknown:
        raise typer.BadParameter(f"unknown projection {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    return chosen


@projections_cli.command()
def run(
    projection: Optional[list[str]] = typer.Option(None, "--projection", "-p", help="Only these projections."),
    wait: bool = typer.Option(False, "--wait", help="Wait for a running runner to stop instead of refusing."),
    batch_size: int = typer.Option(500, help="Events per view transaction."),
    url: Optional[str] = URL_OPTION,
) -> None:
    """Run the projections in this process until SIGTERM/SIGINT (worker mode)."""
    from pool.logging_config import configure_logging

    configure_logging()  # a failing runner logs a JSON line, as the API processes do
    storage = parse_database_url(url or database_url())
    names = _names(projection)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    runtime = ProjectionRuntime(storage, names, batch_size=batch_size)
    try:
        if wait:
            typer.echo("waiting for the projection locks (another runner may hold them)...")
        runtime.start(wait_lock=wait)
    except ProjectionBusyError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"running projections {', '.join(names)} on {storage.backend}; stop with Ctrl-C", err=True)
    try:
        runtime.run_forever(stop)
    finally:
        runtime.stop()


@projections_cli.command()
def status(url: Optional[str] = URL_OPTION) -> None:
    """Print each projection's position, the head of the event store and the lag."""
    rows = view_status(url or database_url())
    typer.echo(f"{'projection':<14}{'position':>10}{'head':>10}{'lag':>8}  {'runner':<9}{'parked':>7}  state")
    for r in rows:
        typer.echo(f"{r['name']:<14}{r['position']:>10}{r['head']:>10}{r['lag']:>8}  {r['runner']:<9}"
                   f"{r['parked']:>7}  {r['state']}")


@projections_cli.command()
def rebuild(
    name: Optional[str] = typer.Argument(None, help=f"One of: {', '.join(NAMES)}."),
    all_: bool = typer.Option(False, "--all", help="Rebuild every projection."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Projections rebuilt at once, each in a process of its "
                             "own (PostgreSQL; SQLite rebuilds one at a time). Default: the number of CPUs."),
    batch_size: int = typer.Option(1000, help="Events per view transaction."),
    url: Optional[str] = URL_OPTION,
) -> None:
    """Drop a view and replay it from the first event (the runner for it must be stopped)."""
    if all_ == (name is not None):
        raise typer.BadParameter("name one projection or pass --all")
    names = ordered(list(NAMES) if all_ else _names([name]))  # type: ignore[list-item]
    target = url or database_url()
    jobs = max(1, jobs or os.cpu_count() or 1)
    if concurrent(target, names, jobs):
        outcomes = rebuild_concurrently(target, names, jobs, batch_size)  # a line as each one finishes
    else:
        outcomes = (_with_progress(target, n, batch_size) for n in names)
    code = 0
    for outcome in outcomes:  # one failing rebuild says so; the others still finish and report
        typer.echo(outcome.line(), err=outcome.error is not None)
        code = max(code, outcome.exit_code)
    if code:
        raise typer.Exit(code)


def _with_progress(target: str, name: str, batch_size: int) -> Outcome:
    with typer.progressbar(length=1, label=f"rebuilding {name:<13}") as bar:
        done = 0

        def progress(position: int, head: int) -> None:
            nonlocal done
            bar.length = max(head, 1)
            bar.update(max(position - done, 0))
            done = max(done, position)

        outcome = rebuild_one(target, name, batch_size, progress)
    if outcome.error is not None:
        typer.echo("", err=True)  # the error on a line of its own, after the bar
    return outcome


def _failure_log(url: Optional[str]) -> tuple[FailureLog, object]:
    storage = parse_database_url(url or database_url())
    datastore = open_datastore(storage)
    return FailureLog(storage, datastore), datastore


@projections_cli.command()
def failures(url: Optional[str] = URL_OPTION) -> None:
    """List the events a projection could not apply (event, topic, error type; never a value)."""
    log, datastore = _failure_log(url)
    try:
        rows = log.rows()
    finally:
        datastore.close()  # type: ignore[attr-defined]
    if not rows:
        typer.echo("no failed events")
    for r in rows:
        typer.echo(f"{r['projection']:<14}{r['notification_id']:>10}  {r['state']:<9}{r['failed_at']}  "
                   f"{r['originator_id']}:{r['originator_version']}  {r['topic']}  {r['error_type']}")


@projections_cli.command()
def retry(
    name: str = typer.Argument(..., help=f"One of: {', '.join(NAMES)}."),
    park: bool = typer.Option(False, "--park", help="Step over the event instead of trying it again."),
    url: Optional[str] = URL_OPTION,
) -> None:
    """Resume a projection halted at a bad event: try the event again (after a fix) or park it."""
    _names([name])
    log, datastore = _failure_log(url)
    try:
        nid = log.request(name, "park" if park else "retry")
    finally:
        datastore.close()  # type: ignore[attr-defined]
    if nid is None:
        typer.echo(f"projection {name} is not halted")
        raise typer.Exit(1)
    action = "park" if park else "try again"
    typer.echo(f"asked the runner of {name} to {action} event {nid}; it does within a second "
               "(see `familjepool projections status`)")


@projections_cli.command()
def acknowledge(name: str = typer.Argument(..., help=f"One of: {', '.join(NAMES)}."),
                url: Optional[str] = URL_OPTION) -> None:
    """Accept the events a projection parked (the view lacks them; a rebuild after a fix restores them)."""
    _names([name])
    log, datastore = _failure_log(url)
    try:
        count = log.acknowledge(name)
    finally:
        datastore.close()  # type: ignore[attr-defined]
    typer.echo(f"{name}: {count} parked event(s) acknowledged")
