"""The key store: many keys in one read; on SQLite a read does not wait for a writer's lock (issue 14)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest

from pool.keystore import KeyStore, SQLiteKeyStore
from pool.sealing import MasterKey, Sealer
from pool.settings import parse_database_url


@pytest.fixture
def store(database_url: str) -> Iterator[KeyStore]:
    keystore = parse_database_url(database_url).keystore()
    try:
        yield keystore
    finally:
        keystore.close()


def test_entries_reads_many_keys_and_leaves_out_erased_and_unknown(store: KeyStore) -> None:
    live, erased, unknown = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert store.add(live, b"wrapped-live", "k1") == b"wrapped-live"
    assert store.add(live, b"second writer", "k2") == b"wrapped-live"  # the first writer wins
    store.add(erased, b"wrapped-erased", "k1")
    store.destroy(erased)
    assert store.add(erased, b"again", "k1") is None  # an erased subject never gets a new key
    assert store.entries([live, erased, unknown]) == {live: (b"wrapped-live", "k1")}
    assert store.get_many([live, unknown]) == {live: b"wrapped-live"}
    assert store.entries([]) == {}


def test_unseal_each_opens_a_page_and_marks_erased_subjects(store: KeyStore) -> None:
    sealer = Sealer(store, MasterKey.from_base64(MasterKey.generate_base64()))
    a, b = uuid.uuid4(), uuid.uuid4()
    values = {a: [sealer.seal(a, "Kalle"), sealer.seal(a, "Lisa")], b: [sealer.seal(b, "Olle")]}
    sealer.destroy(b)
    assert sealer.unseal_each(values) == {a: ["Kalle", "Lisa"], b: None}


def test_sqlite_reads_do_not_wait_for_the_writers_lock(fresh_sqlite_url: str) -> None:
    store = parse_database_url(fresh_sqlite_url).keystore()
    assert isinstance(store, SQLiteKeyStore)
    try:
        subject = uuid.uuid4()
        store.add(subject, b"wrapped", "k1")
        found: list[object] = []
        with store._lock:  # another thread's add holds the writer (its INSERT and commit)
            reader = threading.Thread(target=lambda: found.append(store.entry(subject)))
            reader.start()
            reader.join(timeout=5)
            assert not reader.is_alive(), "a read waited for the writer's lock"
        assert found == [(b"wrapped", "k1")]
    finally:
        store.close()
