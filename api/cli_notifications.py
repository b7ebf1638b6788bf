"""`familjepool notifications …`: run the notifier, its status, e-mails that failed and trying them again."""

from __future__ import annotations

import signal
import threading
from typing import Optional

import typer

from pool.settings import database_url, parse_database_url

notifications_cli = typer.Typer(help="Notices and e-mail: run the notifier, list failed sends, retry them.",
                                no_args_is_help=True)
URL_OPTION = typer.Option(None, "--url", help="Database URL (default FAMILJEPOOL_DATABASE_URL).")


@notifications_cli.command()
def run(wait: bool = typer.Option(False, "--wait", help="Wait for a running notifier to stop instead of refusing."),
        url: Optional[str] = URL_OPTION) -> None:
    """Run the notifier until SIGTERM/SIGINT: the notifications projection and the SMTP sender."""
    from pool.bootstrap import bootstrap, close
    from pool.logging_config import configure_logging
    from projections.core.lock import ProjectionBusyError
    from projections.notifications.worker import Notifier

    configure_logging()
    app = bootstrap(url)
    storage = app.storage  # type: ignore[attr-defined]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    notifier = Notifier(storage, app)
    try:
        notifier.start(wait_lock=wait)
    except ProjectionBusyError as e:
        close(app)
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    smtp = f"SMTP {notifier.settings.host}:{notifier.settings.port}" if notifier.settings else \
        "no FAMILJEPOOL_SMTP_HOST: notices stay in the product only"
    typer.echo(f"running the notifier on {storage.backend} ({smtp}); stop with Ctrl-C", err=True)
    try:
        notifier.run_forever(stop)
    finally:
        notifier.stop()
        close(app)


def _outbox(url: Optional[str]):
    from projections.notifications.outbox import Outbox
    from projections.registry import NOTIFICATIONS, open_view

    storage = parse_database_url(url or database_url())
    return Outbox(open_view(storage, NOTIFICATIONS))


@notifications_cli.command()
def failed(all_: bool = typer.Option(False, "--all", help="Also rows waiting for their next try."),
           url: Optional[str] = URL_OPTION) -> None:
    """List e-mails the notifier gave up on (and with --all those it will try again)."""
    outbox = _outbox(url)
    states = ("failed", "retry") if all_ else ("failed",)
    marks = ",".join("?" * len(states))
    rows = outbox.view.query(
        "SELECT o.outbox_id, o.state, o.attempts, o.next_attempt_at, o.last_error, u.username "
        "FROM {s}notification_outbox o LEFT JOIN {s}nt_users u ON u.user_id = o.user_id "
        f"WHERE o.state IN ({marks}) ORDER BY o.created_at, o.outbox_id", list(states))
    for r in rows:
        typer.echo(f"{r['outbox_id']}\t{r['state']}\t{r['attempts']} attempts\tnext {r['next_attempt_at'][:19]}\t"
                   f"{r['username'] or '-'}\t{r['last_error'] or '-'}")
    typer.echo(f"{len(rows)} e-mail(s)", err=True)
    outbox.view.datastore.close()


@notifications_cli.command()
def status(url: Optional[str] = URL_OPTION) -> None:
    """The notifier's position, lag, runner and state (like `projections status`), and the outbox by state."""
    from projections.rebuild import status as view_status
    from projections.registry import NOTIFICATIONS

    storage = parse_database_url(url or database_url())
    for r in view_status(storage, [NOTIFICATIONS]):
        typer.echo(f"{r['name']}  position {r['position']}  head {r['head']}  lag {r['lag']}  {r['runner']}  "
                   f"{r['state']}  parked {r['parked']}")
    outbox = _outbox(url)
    counts = outbox.view.query("SELECT state, COUNT(*) AS n FROM {s}notification_outbox GROUP BY state ORDER BY state")
    typer.echo("outbox: " + (", ".join(f"{c['state']} {c['n']}" for c in counts) or "empty"))
    outbox.view.datastore.close()


@notifications_cli.command()
def resume(park: bool = typer.Option(False, "--park", help="Step over the event instead of trying it again."),
           url: Optional[str] = URL_OPTION) -> None:
    """A notifier halted at an event it cannot apply: try the event again (after a fix) or park it."""
    from projections.core.failures import FailureLog
    from projections.core.storage import open_datastore
    from projections.registry import NOTIFICATIONS

    storage = parse_database_url(url or database_url())
    datastore = open_datastore(storage)
    try:
        nid = FailureLog(storage, datastore).request(NOTIFICATIONS, "park" if park else "retry")
    finally:
        datastore.close()
    if nid is None:
        typer.echo("the notifier is not halted")
        raise typer.Exit(1)
    typer.echo(f"asked the notifier to {'park' if park else 'try again'} event {nid}")


@notifications_cli.command()
def retry(url: Optional[str] = URL_OPTION) -> None:
    """Try the failed e-mails again at the notifier's next round (their attempts start over)."""
    outbox = _outbox(url)
    typer.echo(f"{outbox.retry_failed()} e-mail(s) will be tried again")
    outbox.view.datastore.close()


if __name__ == "__main__":  # `python -m api.cli_notifications run` (serve --workers starts it so)
    notifications_cli()
