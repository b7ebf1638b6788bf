"""One setting, FAMILJEPOOL_DATABASE_URL, chooses storage; mapped onto eventsourcing's modules."""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import ParseResult, parse_qs, unquote, urlparse

from psycopg.conninfo import make_conninfo

from pool.ddl import schema_setup
from pool.keystore import KeyStore, PostgresKeyStore, SQLiteKeyStore
from pool.sealing import MasterKey
from pool.sessionstore import PostgresSessionStore, SessionStore, SQLiteSessionStore

DEFAULT_DATABASE_URL = "sqlite:///var/familjepool.db"


class SettingsError(ValueError):
    """The configuration cannot be used; the message says which setting and why."""


@dataclass(frozen=True)
class Storage:
    url: str
    backend: str  # "sqlite" or "postgres"
    env: dict[str, str] = field(default_factory=dict)  # for eventsourcing's InfrastructureFactory
    sqlite_path: str | None = None
    conninfo: str | None = None
    schema: str = "public"

    def schema_setup(self) -> AbstractContextManager[None]:
        """Held while this process creates tables: one process at a time per PostgreSQL schema."""
        if self.backend == "postgres":
            return schema_setup(conninfo=self.conninfo or "", schema=self.schema)
        return schema_setup(sqlite_path=self.sqlite_path)

    def keystore(self) -> KeyStore:
        if self.backend == "sqlite":
            return SQLiteKeyStore(self.sqlite_path or "")
        return PostgresKeyStore(self.conninfo or "", self.schema)

    def session_store(self, keystore: KeyStore) -> SessionStore:
        if self.backend == "sqlite":
            return SQLiteSessionStore(self.sqlite_path or "")
        assert isinstance(keystore, PostgresKeyStore)
        return PostgresSessionStore(keystore.pool, self.schema)

    def create_private_file(self) -> None:
        """Create the SQLite file readable by its owner only (its -wal and -shm files take the same mode)."""
        path = self.sqlite_path
        if self.backend != "sqlite" or not path or path.startswith("file:") or os.path.exists(path):
            return
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def parse_database_url(url: str) -> Storage:
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path.db, sqlite:////absolute/path.db, or sqlite:///file:NAME?mode=memory&cache=shared
        path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else ""
        if not path:
            raise SettingsError("FAMILJEPOOL_DATABASE_URL: an SQLite URL needs a file, e.g. sqlite:///var/familjepool.db")
        if path == ":memory:":
            raise SettingsError("sqlite :memory: gives every pooled connection its own empty database; "
                                "use a file or file:NAME?mode=memory&cache=shared")
        if not path.startswith("file:"):
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise SettingsError(f"FAMILJEPOOL_DATABASE_URL: cannot create the folder of {path}: {e.strerror}") from None
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path, "SQLITE_LOCK_TIMEOUT": "30"}
        return Storage(url=url, backend="sqlite", env=env, sqlite_path=path)
    if parsed.scheme in ("postgresql", "postgres"):
        return _postgres_storage(url, parsed)
    raise SettingsError(f"FAMILJEPOOL_DATABASE_URL must start with sqlite:/// or postgresql://, not {parsed.scheme or url!r}")


def _postgres_storage(url: str, parsed: ParseResult) -> Storage:
    """Parts missing from the URL come from libpq's own PG* variables (PGHOST, PGPASSWORD, ...)."""
    env_of = os.environ.get
    dbname = unquote(parsed.path.strip("/")) or env_of("PGDATABASE", "")
    if not dbname:
        raise SettingsError("FAMILJEPOOL_DATABASE_URL: a PostgreSQL URL needs a database name (in the URL or PGDATABASE)")
    try:
        port = parsed.port or int(env_of("PGPORT", "5432"))
    except ValueError as e:
        raise SettingsError(f"FAMILJEPOOL_DATABASE_URL: the port is not a number ({e})") from None
    schema = parse_qs(parsed.query).get("schema", ["public"])[0]
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": unquote(parsed.hostname or "") or env_of("PGHOST", "127.0.0.1"),
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(parsed.username or "") or env_of("PGUSER", "postgres"),
        "POSTGRES_PASSWORD": unquote(parsed.password or "") or env_of("PGPASSWORD", ""),
        "POSTGRES_CONNECT_TIMEOUT": "10",
        "POSTGRES_POOL_SIZE": "5",
        "POSTGRES_MAX_OVERFLOW": "10",
        # Deliberately not POSTGRES_ENABLE_DB_FUNCTIONS: in 9.5.6 it breaks projections.
    }
    if schema != "public":
        env["POSTGRES_SCHEMA"] = schema
    # make_conninfo quotes: a password with spaces, quotes or backslashes stays one value.
    conninfo = make_conninfo(host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], dbname=dbname,
                             user=env["POSTGRES_USER"], connect_timeout="10",
                             password=env["POSTGRES_PASSWORD"] or None)
    return Storage(url=url, backend="postgres", env=env, conninfo=conninfo, schema=schema)


def load_master_key(var_dir: Path = Path("var")) -> MasterKey:
    """The key-encryption key: FAMILJEPOOL_MASTER_KEY, else a file (created 0600 on first use)."""
    if os.environ.get("FAMILJEPOOL_MASTER_KEY"):
        return MasterKey.from_base64(os.environ["FAMILJEPOOL_MASTER_KEY"])
    path = Path(os.environ.get("FAMILJEPOOL_MASTER_KEY_FILE", var_dir / "master.key"))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(MasterKey.generate_base64())
    return MasterKey.from_base64(path.read_text())


PREVIOUS_KEYS_SETTING = "FAMILJEPOOL_PREVIOUS_MASTER_KEYS"


def load_previous_master_keys() -> list[MasterKey]:
    """Master keys being rotated away (comma-separated base64): they still open what they wrapped."""
    text = os.environ.get(PREVIOUS_KEYS_SETTING, "")
    try:
        return [MasterKey.from_base64(part) for part in text.split(",") if part.strip()]
    except ValueError as e:
        raise SettingsError(f"{PREVIOUS_KEYS_SETTING}: {e}") from None


def load_audit_key(var_dir: Path = Path("var")) -> bytes:
    """The audit trail's HMAC key: FAMILJEPOOL_AUDIT_KEY, else a file (created 0600 on first use).

    Kept out of the database on purpose: whoever can write the database cannot forge the chain.
    """
    text = os.environ.get("FAMILJEPOOL_AUDIT_KEY")
    if not text:
        path = Path(os.environ.get("FAMILJEPOOL_AUDIT_KEY_FILE", var_dir / "audit.key"))
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside, then linked in: a second process never reads a half-written key.
            tmp = path.with_name(f".{path.name}.{os.getpid()}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(base64.b64encode(os.urandom(32)).decode())
            try:
                os.link(tmp, path)
            except FileExistsError:  # another process created it first
                pass
            finally:
                tmp.unlink()
        text = path.read_text()
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        raise SettingsError("FAMILJEPOOL_AUDIT_KEY must be base64 of at least 32 random bytes") from None
    if len(key) < 32:
        raise SettingsError("FAMILJEPOOL_AUDIT_KEY must be base64 of at least 32 random bytes")
    return key


def purpose_required(env: Mapping[str, str] | None = None) -> bool:
    """FAMILJEPOOL_REQUIRE_PURPOSE=1: pool staff must give a purpose (case reference) to read personal data."""
    value = (env if env is not None else os.environ).get("FAMILJEPOOL_REQUIRE_PURPOSE", "")
    return value.strip().lower() in ("1", "true", "yes", "on")


def description_review_required(env: Mapping[str, str] | None = None) -> bool:
    """FAMILJEPOOL_REQUIRE_DESCRIPTION_REVIEW: on unless "false" (or 0/no/off): a second consultant reviews."""
    value = (env if env is not None else os.environ).get("FAMILJEPOOL_REQUIRE_DESCRIPTION_REVIEW", "")
    return value.strip().lower() not in ("false", "0", "no", "off")


def database_url() -> str:
    return os.environ.get("FAMILJEPOOL_DATABASE_URL", DEFAULT_DATABASE_URL)


RETENTION_SETTING = "FAMILJEPOOL_REFERRAL_RETENTION_DAYS"
# A closed referral's child data (needs, wishes, closing note) is kept a year by default, for
# questions and complaints after the case; the municipality's own record (personakt) is elsewhere.
DEFAULT_REFERRAL_RETENTION_DAYS = 365


def referral_retention_days(env: Mapping[str, str] | None = None) -> int:
    """Days after closing before a referral's child data may be erased (FAMILJEPOOL_REFERRAL_RETENTION_DAYS)."""
    text = (env if env is not None else os.environ).get(RETENTION_SETTING, "").strip()
    if not text:
        return DEFAULT_REFERRAL_RETENTION_DAYS
    if not text.isdigit() or int(text) > 36500:
        raise SettingsError(f"{RETENTION_SETTING} must be a whole number of days (0-36500), not {text!r}")
    return int(text)
