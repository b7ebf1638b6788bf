"""The databases a benchmark runs on: a fresh SQLite file and/or a fresh PostgreSQL schema, dropped afterwards."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable

import psycopg

PG = os.environ.get("FAMILJEPOOL_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/familjepool_test").split("?")[0]
CHOICES = ["both", "sqlite", "postgres"]


def on_each_backend(choice: str, bench: Callable[[str, str], None]) -> None:
    """Call bench(label, database_url) on the chosen backends, each on a database of its own."""
    if choice in ("both", "sqlite"):
        with tempfile.TemporaryDirectory() as tmp:
            bench("SQLite", f"sqlite:///{tmp}/bench.db")
    if choice in ("both", "postgres"):
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        try:
            bench("PostgreSQL", f"{PG}?schema={schema}")
        finally:
            with psycopg.connect(PG, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
