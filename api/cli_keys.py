"""`familjepool keys generate|rotate`: master keys and re-wrapping the subject keys under a new one."""

from __future__ import annotations

import typer

from pool.bootstrap import bootstrap, close
from pool.rotation import rotate as rotate_keys
from pool.sealing import MasterKey

keys = typer.Typer(help="Master keys: generate one, rotate the subject keys to the current one.",
                   no_args_is_help=True)


@keys.command()
def generate() -> None:
    """Print a new master key (base64 of 32 random bytes) for the secret store; nothing is stored."""
    typer.echo(MasterKey.generate_base64())


@keys.command()
def rotate() -> None:
    """Re-wrap every subject key under FAMILJEPOOL_MASTER_KEY, opening them with the keys in
    FAMILJEPOOL_PREVIOUS_MASTER_KEYS. Safe to run again after a stop; the service may keep running
    if it was restarted with the same two settings (see docs/operations.md)."""
    app = bootstrap()
    try:
        sealer = app.sealer
        typer.echo(f"current master key id {sealer.master_key.key_id}; "
                   f"previous: {', '.join(k for k in sealer.ring if k != sealer.master_key.key_id) or 'none'}")
        report = rotate_keys(sealer)
    finally:
        close(app)
    typer.echo(f"re-wrapped {report.rewrapped}, already current {report.already_current}, "
               f"erased or changed meanwhile {report.changed_meanwhile}")
    if not report.complete:
        typer.echo(f"error: {len(report.unopenable)} subject key(s) open with no configured master key; add the "
                   "missing key to FAMILJEPOOL_PREVIOUS_MASTER_KEYS and run again", err=True)
        raise typer.Exit(1)
    typer.echo("every subject key is wrapped by the current master key: remove FAMILJEPOOL_PREVIOUS_MASTER_KEYS, "
               "restart, then destroy the previous key (backups taken before now need it to open)")
