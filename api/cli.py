"""The `familjepool` command line."""

from __future__ import annotations

from typing import Optional

import typer

cli = typer.Typer(help="familjepool: the shared family pool of member municipalities.", no_args_is_help=True)

from api.cli_users import users as _users  # noqa: E402

cli.add_typer(_users, name="users")

from projections.cli import projections_cli  # noqa: E402

cli.add_typer(projections_cli, name="projections")

from api.cli_allocation import allocation_command  # noqa: E402
from api.cli_import import import_cli  # noqa: E402

cli.add_typer(import_cli, name="import")
cli.command("allocation")(allocation_command)

from api.cli_demo import demo_cli  # noqa: E402
from api.cli_audit import audit_cli  # noqa: E402

cli.add_typer(demo_cli, name="demo")
cli.add_typer(audit_cli, name="audit")

from api.cli_keys import keys as _keys  # noqa: E402

cli.add_typer(_keys, name="keys")

from api.cli_backup import backup_command, restore_command  # noqa: E402

cli.command("backup")(backup_command)
cli.command("restore")(restore_command)
from api.cli_notifications import notifications_cli  # noqa: E402

cli.add_typer(notifications_cli, name="notifications")


@cli.callback()
def root(ctx: typer.Context) -> None:
    """familjepool: the shared family pool of member municipalities."""
    import sys

    from api.cli_errors import check_database, url_from_argv
    from pool.settings import database_url

    # Fail in one line and at once: the connection pools would otherwise retry for 30 s.
    if ctx.invoked_subcommand and not ctx.resilient_parsing and "--help" not in sys.argv:
        check_database(url_from_argv() or database_url())


@cli.command()
def serve(host: str = typer.Option("127.0.0.1", help="Address to listen on."),
          port: int = typer.Option(8000, help="Port to listen on."),
          workers: Optional[int] = typer.Option(None, "--workers", min=1,
                                                help="Run N API processes, the projections in one separate worker "
                                                     "process and the notifier in another (default: one process "
                                                     "running all)."),
          no_projections: bool = typer.Option(False, "--no-projections",
                                              help="Do not run the projections here at all (another process runs "
                                                   "`familjepool projections run`).")) -> None:
    """Run the web service (storage from FAMILJEPOOL_DATABASE_URL, default SQLite under var/)."""
    from api.serve import serve as run_service

    run_service(host, port, workers, no_projections)


def main() -> None:
    from api.cli_errors import run_cli

    run_cli(cli)
