"""`familjepool keys rotate`: after it, the old master key opens nothing the database keeps (both backends)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from typer.testing import CliRunner

from api.auth import signing_key
from api.cli import cli
from pool.bootstrap import bootstrap, close
from pool.errors import ErasedError
from pool.rotation import rotate
from pool.sealing import MasterKey, MasterKeyMissingError, Sealer, is_sealed
from tests.conftest import SOLNA, STAFF
from tests.factories import add_members, published_family, referral_data
from tests.integration.test_sealing_at_rest import raw_bytes


def sealed_value(app: Any, family_id: UUID) -> str:
    return next(v for v in app.repository.get(family_id).adults[0].values() if is_sealed(v))


def opens(ring: list[MasterKey], rows: list[tuple[str, bytes, str | None]], store: Any) -> int:
    sealer = Sealer(store, ring[0], ring[1:])
    count = 0
    for subject, wrapped, key_id in rows:
        try:
            sealer.unwrap(UUID(subject), wrapped, key_id)
            count += 1
        except MasterKeyMissingError:
            pass
    return count


def keys_rotate(database_url: str, current: MasterKey, previous: list[MasterKey], b64: dict[str, str]) -> Any:
    env = {"FAMILJEPOOL_DATABASE_URL": database_url, "FAMILJEPOOL_MASTER_KEY": b64[current.key_id],
           "FAMILJEPOOL_PREVIOUS_MASTER_KEYS": ",".join(b64[k.key_id] for k in previous)}
    return CliRunner().invoke(cli, ["keys", "rotate"], env=env)


def test_rotation_rewraps_every_key_so_the_old_master_key_opens_no_copy(database_url: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    b64 = {}
    for _ in range(2):
        text = MasterKey.generate_base64()
        b64[MasterKey.from_base64(text).key_id] = text
    old, new = (MasterKey.from_base64(t) for t in b64.values())

    app = bootstrap(database_url, old, previous=[])
    try:
        add_members(app)
        family = published_family(app)
        erased = published_family(app)
        app.register_referral(SOLNA, **referral_data())
        token_key = signing_key(app)
        sealed, sealed_erased = (sealed_value(app, f) for f in (family, erased))
        app.erase_family(STAFF, erased)
        before = app.sealer.keystore.rows("", 1000)  # a copy of the key table, as a backup or a replica holds it
        assert before and all(key_id == old.key_id for _, _, key_id in before)
    finally:
        close(app)

    # The service restarted with the new key current and the old one previous: mixed rows open.
    app = bootstrap(database_url, new, previous=[old])
    try:
        store = app.sealer.keystore
        first = before[0]
        key, _ = app.sealer.unwrap(UUID(first[0]), first[1], first[2])
        assert store.rewrap(first[0], first[1], new.wrap(UUID(first[0]), key), new.key_id)  # then a crash
        assert app.sealer.unseal(family, sealed)
        result = keys_rotate(database_url, new, [], b64)  # without the old key: refuses, changes nothing else
        assert result.exit_code == 1 and "FAMILJEPOOL_PREVIOUS_MASTER_KEYS" in result.output
        result = keys_rotate(database_url, new, [old], b64)
        assert result.exit_code == 0, result.output
        assert f"re-wrapped {len(before) - 1}, already current 1" in result.output
        assert rotate(app.sealer).rewrapped == 0  # run again: nothing left
        after = store.rows("", 1000)
        assert [s for s, _, _ in after] == [s for s, _, _ in before]
        assert all(key_id == new.key_id for _, _, key_id in after)

        # The old key is destroyed: the copy opens with no key left, the live table with the new one alone.
        assert opens([new], before, store) == 0
        assert opens([old], after, store) == 0
        assert opens([new], after, store) == len(after)
        leftover = raw_bytes(app)
        assert not [s for s, wrapped, _ in before if wrapped in leftover]
    finally:
        close(app)

    app = bootstrap(database_url, new, previous=[])
    try:
        assert app.sealer.unseal(family, sealed)
        assert signing_key(app) == token_key  # signed-in sessions survive the rotation
        with pytest.raises(ErasedError):
            app.sealer.unseal(erased, sealed_erased)
    finally:
        close(app)
