"""The one place that wires the application: storage from the URL, keys, sealing."""

from __future__ import annotations

from pathlib import Path

from pool.application import PoolApplication
from pool.sealing import MasterKey, Sealer
from pool.settings import database_url, load_master_key, load_previous_master_keys, parse_database_url


def bootstrap(url: str | None = None, master_key: MasterKey | None = None, var_dir: Path = Path("var"),
              previous: list[MasterKey] | None = None) -> PoolApplication:
    """Build the application for a database URL (default: FAMILJEPOOL_DATABASE_URL)."""
    storage = parse_database_url(url or database_url())
    previous = load_previous_master_keys() if previous is None else previous
    storage.create_private_file()
    with storage.schema_setup():
        keystore = storage.keystore()
        sealer = Sealer(keystore, master_key or load_master_key(var_dir), previous)
        app = PoolApplication(env=storage.env, sealer=sealer, sessions=storage.session_store(keystore))
    app.storage = storage  # type: ignore[attr-defined]
    return app


def close(app: PoolApplication) -> None:
    if app.sessions is not None:
        app.sessions.close()
    app.sealer.keystore.close()
    app.close()
