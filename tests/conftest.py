"""Shared fixtures: every storage test runs on a fresh SQLite file and a fresh PostgreSQL schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

# Before anything imports pool.reference (its hasher is made at import), and inherited by the servers the
# tests start: argon2's cheapest profile, since ~1 000 tests hash thousands of passwords (pool/passwords.py;
# tests/unit/test_passwords.py checks that nothing else weakens the production profile).
os.environ["FAMILJEPOOL_PASSWORD_HASHING"] = "cheapest-for-tests"

from pool.actors import Actor, Role
from pool.application import PoolApplication
from pool.bootstrap import bootstrap, close
from pool.sealing import MasterKey

TEST_PG_URL = os.environ.get("FAMILJEPOOL_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/familjepool_test")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def postgres_conninfo() -> str:
    return TEST_PG_URL.split("?")[0]


@pytest.fixture(scope="session")
def postgres_available() -> None:
    """Fail (never skip) when the PostgreSQL test server cannot be reached."""
    try:
        with psycopg.connect(postgres_conninfo(), connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as e:
        pytest.fail(f"PostgreSQL test server unreachable at {postgres_conninfo()}: {e}. "
                    "Run `make test` (it starts the server) or set FAMILJEPOOL_TEST_DATABASE_URL.", pytrace=False)


@contextmanager
def postgres_schema(prefix: str = "t") -> Iterator[str]:
    """The URL of a fresh schema on the test server, dropped with everything in it afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{postgres_conninfo()}?schema={schema}"
    finally:
        with psycopg.connect(postgres_conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def fresh_postgres_url(postgres_available: None) -> Iterator[str]:
    with postgres_schema() as url:
        yield url


@pytest.fixture
def fresh_sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/familjepool.db"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """A URL of an empty database, once per backend."""
    return request.getfixturevalue(f"fresh_{request.param}_url")


@pytest.fixture
def master_key() -> MasterKey:
    return MasterKey.from_base64(MasterKey.generate_base64())


@pytest.fixture
def app(database_url: str, master_key: MasterKey) -> Iterator[PoolApplication]:
    application = bootstrap(database_url, master_key)
    try:
        yield application
    finally:
        close(application)


SYSTEM = Actor.system("test-operator")
STAFF = Actor(uuid.uuid4(), "pia.staff", Role.POOL_STAFF)
SECOND_STAFF = Actor(uuid.uuid4(), "per.staff", Role.POOL_STAFF)  # reviews what Pia writes ("granskad av")
SOLNA = Actor(uuid.uuid4(), "sara.solna", Role.MUNICIPALITY, "0184")
SIGTUNA = Actor(uuid.uuid4(), "sam.sigtuna", Role.MUNICIPALITY, "0191")
STEERING = Actor(uuid.uuid4(), "stina.steering", Role.STEERING)
ADMIN = Actor(uuid.uuid4(), "adam.admin", Role.ADMIN)
