"""No table holds personal data in plain text; erasure leaves nothing that opens (both backends)."""

import re

import pytest
import subprocess
from pathlib import Path

from pool.bootstrap import bootstrap, close
from pool.domain.family import Family
from pool.errors import ErasedError
from tests.conftest import SOLNA, STAFF, postgres_conninfo
from tests.factories import add_members, family_data, published_family, referral_data

PLAIN = ["Kalle Testsson", "Testsson", "Provsdotter", "19721212-1219", "197212121219", "19800101-0019",
         "Provgränd 7", "070-555 12 34", "testsson@example.se", "hemligt om hemmet",
         "Behöver lugn miljö och stöd i skolan", "Passar vårt barn"]


def raw_bytes(app) -> bytes:
    """Everything the database holds, as an attacker with the files (SQLite) or a dump (PostgreSQL) sees it."""
    storage = app.storage
    if storage.backend == "sqlite":
        base = Path(storage.sqlite_path)
        return b"".join(p.read_bytes() for p in base.parent.glob(base.name + "*"))
    dump = subprocess.run(["pg_dump", "--data-only", f"--schema={storage.schema}", postgres_conninfo()],
                          check=True, capture_output=True)
    # bytea columns (event state, keys) are dumped as hex: decode them so the scan sees their bytes.
    decoded = [bytes.fromhex(h.decode()) for h in re.findall(rb"\\\\x((?:[0-9a-f]{2})+)", dump.stdout)]
    return dump.stdout + b"\n".join(decoded)


def found(raw: bytes, values) -> list[str]:
    hits = []
    for value in values:
        forms = {value.encode(), value.encode("unicode_escape"), value.encode("latin-1", "ignore"),
                 value.encode("ascii", "backslashreplace")}
        if any(form and form in raw for form in forms):
            hits.append(value)
    return hits


def test_personal_data_is_never_stored_in_plain_text_and_erasure_shreds_it(database_url, master_key):
    app = bootstrap(database_url, master_key)
    try:
        add_members(app)
        family_id = published_family(app, description="Ett par med trädgård och katt.")
        app.record_training(STAFF, family_id, course="ett-hem-att-vaxa-i", completed_on="2026-04-01")
        referral = app.register_referral(SOLNA, **referral_data())
        app.express_interest(SOLNA, family_id, referral_id=referral.id, message="Passar vårt barn")
        other = app.apply_family(STAFF, **family_data()).id
        app.record_investigation_step(STAFF, other, step="interview", outcome="concern", note="hemligt om hemmet")
        wrapped_key = app.sealer.keystore.get(family_id)

        raw = raw_bytes(app)
        # The scan does read the stored data: non-personal values are there.
        assert b"ett-hem-att-vaxa-i" in raw
        assert found(raw, PLAIN) == []
        assert found(raw, ["Ett par med trädgård och katt"]) == []  # the description is sealed too
        assert wrapped_key in raw  # the (wrapped) key is there before erasure ...

        app.erase_family(STAFF, family_id)
        raw_after = raw_bytes(app)
        assert found(raw_after, PLAIN) == []
        assert wrapped_key not in raw_after  # ... and nowhere after it
        assert app.sealer.keystore.get(family_id) is None
        assert b"ett-hem-att-vaxa-i" in raw_after  # history without personal data survives
    finally:
        close(app)


def test_an_erased_subject_never_gets_a_new_key(app):
    add_members(app)
    family_id = published_family(app)
    app.erase_family(STAFF, family_id)
    before = app.recorder.max_notification_id()
    with pytest.raises(ErasedError):
        app.withdraw_family(STAFF, family_id, reason="flyttat")
    with pytest.raises(ErasedError):
        app.record_training(STAFF, family_id, course="handledning", completed_on="2026-01-01")
    assert app.sealer.keystore.get(family_id) is None
    assert app.recorder.max_notification_id() == before


def test_erasing_again_completes_an_interrupted_erasure(app):
    add_members(app)
    family_id = published_family(app)
    family = app.load(Family, family_id)
    family.erase(STAFF.as_event_data())
    app.commit(family)  # the event is saved, then the process dies before the key is destroyed
    assert app.sealer.can_unseal(family_id)
    app.erase_family(STAFF, family_id)
    assert not app.sealer.can_unseal(family_id)
    with pytest.raises(ErasedError):
        app.erase_family(STAFF, family_id)
