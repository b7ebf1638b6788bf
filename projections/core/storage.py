"""Opening the event store for reading and the datastore the views write to, per backend."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from pool.base import DateAsISO
from pool.settings import Storage, parse_database_url
from projections.core.view import APPLICATION_NAME


class EventReader(Application[UUID]):
    """Reads the pool's event store (no commands, no keys): same name, same transcodings."""

    name = APPLICATION_NAME

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())


def as_storage(storage_or_url: Storage | str) -> Storage:
    return parse_database_url(storage_or_url) if isinstance(storage_or_url, str) else storage_or_url


def reader_env(storage: Storage, create_table: bool = True) -> dict[str, str]:
    env = dict(storage.env)
    if not create_table:  # runner threads: the tables exist; concurrent DDL upsets PostgreSQL
        env["CREATE_TABLE"] = "false"
    if storage.backend == "postgres":
        env.update({"POSTGRES_POOL_SIZE": "1", "POSTGRES_MAX_OVERFLOW": "3"})
    return env


def open_reader(storage: Storage, create_table: bool = True) -> EventReader:
    if not create_table:
        return EventReader(env=reader_env(storage, create_table))
    with storage.schema_setup():
        return EventReader(env=reader_env(storage, create_table))


def open_datastore(storage: Storage, pool_size: int = 1, max_overflow: int = 3) -> Any:
    if storage.backend == "sqlite":
        return SQLiteDatastore(db_name=storage.sqlite_path or "", lock_timeout=30, pool_size=pool_size + max_overflow)
    env = storage.env
    return PostgresDatastore(dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"],
                             user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"], connect_timeout=10,
                             pool_size=pool_size, max_overflow=max_overflow, schema=storage.schema)
