"""The `familjepool` command line."""

from __future__ import annotations

import os

import typer
import uvicorn

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

cli.add_typer(demo_cli, name="demo")

from api.cli_keys import keys as _keys  # noqa: E402

cli.add_typer(_keys, name="keys")


@cli.callback()
def root() -> None:
    """familjepool: the shared family pool of member municipalities."""


@cli.command()
def serve(host: str = typer.Option("127.0.0.1", help="Address to listen on."),
          port: int = typer.Option(8000, help="Port to listen on."),
          no_projections: bool = typer.Option(False, "--no-projections",
                                              help="Do not run the projections in this process (worker mode: "
                                                   "run `familjepool projections run` separately).")) -> None:
    """Run the web service (storage from FAMILJEPOOL_DATABASE_URL, default SQLite under var/)."""
    from api.app import create_app

    if no_projections:
        os.environ["FAMILJEPOOL_RUN_PROJECTIONS"] = "0"
    uvicorn.run(create_app(), host=host, port=port, log_level="info", **proxy_settings())


def proxy_settings() -> dict[str, object]:
    """Which proxies may set X-Forwarded-For/-Proto: FAMILJEPOOL_TRUSTED_PROXIES (comma-separated
    addresses or networks); none by default, so no client can claim another address or https."""
    trusted = os.environ.get("FAMILJEPOOL_TRUSTED_PROXIES", "").strip()
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}


def main() -> None:
    cli()
