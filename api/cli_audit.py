"""`familjepool audit verify`: check the audit chain and name the first entry that was tampered with."""

from __future__ import annotations

import json

import typer

from pool.settings import database_url

audit_cli = typer.Typer(help="The audit trail.", no_args_is_help=True)


@audit_cli.command("verify")
def verify_command(as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON.")) -> None:
    """Walk the audit chain against the event store; exit 1 at the first changed, removed or inserted entry."""
    from projections.audit.verify import verify

    result = verify(database_url())
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))
    elif result.ok:
        typer.echo(f"audit chain intact: {result.entries} entries, verified up to position {result.position}")
    else:
        assert result.problem is not None
        typer.echo(f"audit chain BROKEN at position {result.problem.position} ({result.problem.kind}): "
                   f"{result.problem.message}; intact up to position {result.position}", err=True)
    if not result.ok:
        raise typer.Exit(1)
