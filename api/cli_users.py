"""`familjepool users …`: sign-in accounts (the CLI acts as the system actor for the operator)."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from api.i18n import message
from pool.actors import Actor
from pool.application import PoolApplication
from pool.bootstrap import bootstrap, close
from pool.errors import PoolError

users = typer.Typer(help="Manage sign-in accounts: add, list, disable, enable, set-password.", no_args_is_help=True)


def operator() -> Actor:
    """The system actor, named after the operator running the command (recorded in the audit trail)."""
    try:
        name = getpass.getuser()
    except Exception:  # no user name in this environment
        name = "operator"
    return Actor.system(f"cli:{name}")


@contextmanager
def opened() -> Iterator[PoolApplication]:
    app = bootstrap()
    try:
        yield app
    except PoolError as e:
        typer.echo(f"error: {message(e)}", err=True)
        raise typer.Exit(1) from None
    finally:
        close(app)


def read_password(password_stdin: bool) -> str:
    if not password_stdin:
        typer.echo("error: pass --password-stdin and give the password on standard input", err=True)
        raise typer.Exit(2)
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        typer.echo("error: no password on standard input", err=True)
        raise typer.Exit(2)
    return password


@users.command("add")
def add(username: str = typer.Argument(..., help="Lower-case letters, digits, . _ -"),
        role: str = typer.Option(..., help="pool_staff, municipality, steering or admin"),
        municipality: str | None = typer.Option(None, help="A member's kommunkod (role municipality only)"),
        password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input")) -> None:
    """Add a user; the password (12+ characters, not guessable) is read from standard input and stored as an argon2 hash."""
    password = read_password(password_stdin)
    with opened() as app:
        app.add_user(operator(), username, role=role, municipality=municipality, password=password)
    typer.echo(f"added {username.strip().lower()} ({role}{', ' + municipality if municipality else ''})")


@users.command("list")
def list_users() -> None:
    """List users with role, municipality and whether they are disabled."""
    from api.cli_read import open_views

    with opened() as app:
        read_models = open_views(app)
        try:
            offset = 0
            while True:
                page = read_models.users(limit=200, offset=offset)
                for row in page.items:
                    state = "disabled" if row["disabled"] else "enabled"
                    typer.echo(f"{row['username']}\t{row['role']}\t{row['municipality'] or '-'}\t{state}")
                offset += len(page.items)
                if not page.items or offset >= page.total:
                    break
        finally:
            read_models.close()


@users.command("disable")
def disable(username: str) -> None:
    """Disable a user: sign-in and every token the user holds stop working at once."""
    with opened() as app:
        app.disable_user(operator(), username)
    typer.echo(f"disabled {username}")


@users.command("enable")
def enable(username: str) -> None:
    """Enable a disabled user again."""
    with opened() as app:
        app.enable_user(operator(), username)
    typer.echo(f"enabled {username}")


@users.command("set-password")
def set_password(username: str,
                 password_stdin: bool = typer.Option(False, "--password-stdin",
                                                     help="Read the new password from standard input")) -> None:
    """Set a user's password (read from standard input); earlier tokens stop working."""
    password = read_password(password_stdin)
    with opened() as app:
        app.set_password(operator(), username, password=password)
    typer.echo(f"password of {username} changed")


@users.command("set-email")
def set_email(username: str = typer.Argument(..., help="The user's username"),
              email: str = typer.Argument("", help="The address for notices; leave out (or \"\") to remove it")) -> None:
    """Set (or remove) the e-mail address a user's notices go to; it is stored sealed (personal data)."""
    with opened() as app:
        app.set_user_email(operator(), username, email=email)
    typer.echo(f"{'set' if email else 'removed'} the e-mail address of {username.strip().lower()}")


@users.command("set-contacts")
def set_contacts(username: str = typer.Argument(..., help="A pool staff user's username"),
                 municipalities: list[str] = typer.Argument(None, help="Kommunkoder of members; none: all members")) -> None:
    """Assign pool staff their members (kontaktkommuner): their notices of new interests come from these only."""
    with opened() as app:
        app.set_contact_municipalities(operator(), username, municipalities=list(municipalities or []))
    typer.echo(f"{username.strip().lower()} follows {', '.join(municipalities) if municipalities else 'all members'}")


@users.command("set-follows")
def set_follows(username: str = typer.Argument(..., help="A pool staff user's username"),
                family_ids: list[str] = typer.Argument(None, help="Ids of the families they follow; none: no family")) -> None:
    """Assign pool staff the families they follow: these come on their work list whatever their municipality."""
    with opened() as app:
        app.set_followed_families(operator(), username, family_ids=list(family_ids or []))
    typer.echo(f"{username.strip().lower()} follows {len(family_ids or [])} families")
