"""`familjepool demo load`: the fictional demo data set, and the users to sign in with."""

from __future__ import annotations

import time

import typer

from api.i18n import message
from pool.bootstrap import bootstrap, close
from demo.loader import APP_URL, DemoRefusedError, DemoResult, load_demo, store_is_empty
from pool.errors import PoolError

demo_cli = typer.Typer(help="The demo data set (fictional people) for a first look at the pool.",
                       no_args_is_help=True)


@demo_cli.command("load")
def load(if_empty: bool = typer.Option(False, "--if-empty",
                                       help="On a database that already has data, do nothing and exit 0.")) -> None:
    """Load the demo data set into an EMPTY database and print its users with fresh random passwords."""
    app = bootstrap()
    try:
        if not store_is_empty(app):  # checked before anything is written: never half a demo
            if if_empty:
                typer.echo("The database already has data; no demo data loaded.")
                return
            typer.echo("error: the database already has data; the demo is only loaded into an empty one", err=True)
            raise typer.Exit(1)
        started = time.perf_counter()
        try:
            result = load_demo(app)
        except DemoRefusedError as e:
            typer.echo(f"error: {message(e)}", err=True)
            raise typer.Exit(1) from None
        except PoolError as e:
            typer.echo(f"error: loading the demo failed part-way ({message(e)}); start again from an empty database",
                       err=True)
            raise typer.Exit(1) from None
        typer.echo(report(result, time.perf_counter() - started))
    finally:
        close(app)


def report(result: DemoResult, seconds: float) -> str:
    """The summary and the table of users; the passwords are shown here once and stored nowhere else."""
    c = result.counts
    lines = [f"Loaded the demo data set (fictional people) in {seconds:.1f} s: 6 members, "
             f"{sum(c['families'].values())} families, {sum(c['referrals'].values())} referrals, "
             f"{sum(c['interests'].values())} interests, {sum(c['placements'].values())} placements.",
             f"Sign in at {APP_URL} with one of these demo users (random passwords, shown only now):", ""]
    rows = [("username", "role", "municipality", "password")]
    rows += [(u.username, u.role, u.municipality or "-", u.password) for u in result.users]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines += ["  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines += ["", "Forgot them? `familjepool users set-password USERNAME --password-stdin` sets a new one."]
    return "\n".join(lines)
