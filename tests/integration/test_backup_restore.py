"""`familjepool backup` and `restore` on both backends: a restored database answers as the live one,
and a family erased after the backup stays erased."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from pool.backup import backup_kind
from pool.bootstrap import bootstrap, close
from pool.sealing import MasterKey
from tests.conftest import postgres_conninfo
from tests.integration.ops_support import familjepool, ops_env
from tests.integration.test_api_allocation import settle, year_2026
from tests.integration.test_api_support import (PASSWORD, ROLE_USER, Api, http_published_family, http_referral,
                                                start_api)

READS = [  # (role, path): every list and report a role can reach
    ("municipality", "/api/catalogue"), ("municipality", "/api/catalogue?kind=jourhem"),
    ("pool_staff", "/api/families"), ("pool_staff", "/api/families?status=published"),
    ("pool_staff", "/api/families?status=erased"), ("municipality", "/api/referrals"),
    ("pool_staff", "/api/referrals"), ("municipality", "/api/interests"), ("pool_staff", "/api/interests"),
    ("municipality", "/api/placements"), ("pool_staff", "/api/placements?active=true"),
    ("municipality", "/api/allocations/2026"), ("steering", "/api/statistics?start=2025-01-01&end=2026-12-31"),
    ("steering", "/api/reports/non-executed?year=2026&quarter=3"), ("admin", "/api/members"),
    ("steering", "/api/budgets/2026"),
]


@pytest.fixture
def live(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    monkeypatch.setenv("FAMILJEPOOL_REFERRAL_RETENTION_DAYS", "0")  # a closed referral is erasable at once
    yield from start_api(database_url, monkeypatch)


@pytest.fixture
def empty_target(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database to restore into: a new SQLite file, or a new PostgreSQL database holding an
    empty schema of the live one's name (a pg_dump archive restores into its own schema name)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/restored.db"
        return
    schema = database_url.split("schema=")[1]
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = postgres_conninfo().rsplit("/", 1)[0]
    try:
        with psycopg.connect(f"{base}/{name}", autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        yield f"{base}/{name}?schema={schema}"
    finally:
        with psycopg.connect(postgres_conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def restored_api(url: str) -> Iterator[Api]:
    """The real app on the restored database; everyone signs in again (sessions were ended)."""
    with TestClient(create_app(url), raise_server_exceptions=False) as client:
        api = Api(client, client.app.state.pool)  # type: ignore[attr-defined]
        for username in set(ROLE_USER.values()):
            r = client.post("/api/auth/token", data={"username": username, "password": PASSWORD})
            assert r.status_code == 200, r.text
            api.tokens[username] = r.json()["access_token"]
        yield api


def journey(api: Api) -> dict[str, str]:
    kept = http_published_family(api)
    later = http_published_family(api, description="Lugn familj nära havet, vana vid tonåringar.")
    before = http_published_family(api, description="En familj som raderas före säkerhetskopian.")
    assert api.call("POST", f"/api/families/{before}/erase", "pool_staff").status_code == 200
    referral = http_referral(api)
    assert api.call("POST", f"/api/referrals/{referral}/proposals", "pool_staff",
                    json={"family_ids": [kept, later]}).status_code == 200
    r = api.call("POST", f"/api/catalogue/{kept}/interest", "municipality", json={"referral_id": referral})
    assert r.status_code == 201, r.text
    assert api.call("POST", f"/api/interests/{r.json()['id']}/broker", "pool_staff").status_code == 200
    r = api.call("POST", f"/api/catalogue/{later}/interest", "municipality", json={"referral_id": referral})
    assert r.status_code == 201, r.text
    closed = http_referral(api)
    assert api.call("POST", f"/api/referrals/{closed}/close", "municipality",
                    json={"outcome": "no_longer_needed", "note": "Behovet löstes."}).status_code == 200
    year_2026(api)
    return {"kept": kept, "later": later, "before": before, "closed_referral": closed}


def answers(api: Api, erased_after_backup: str) -> dict[str, Any]:
    """Every READ; the one value that may differ is when the family erased after the backup was
    erased: the restore records that erasure anew, at its own time."""
    found = {}
    for role, path in READS:
        r = api.call("GET", path, role)
        assert r.status_code == 200, (path, r.text)
        body = r.json()
        for item in body.get("items", []) if isinstance(body, dict) else []:
            if item.get("id") == erased_after_backup and "last_action_at" in item:
                item["last_action_at"] = "(the erasure's time)"
        found[f"{role} {path}"] = body
    return found


def test_backup_restore_erasures_and_equal_answers(live: Api, database_url: str, empty_target: str,
                                                   tmp_path: Path) -> None:
    ids = journey(live)
    env = ops_env(database_url, FAMILJEPOOL_MASTER_KEY=os.environ["FAMILJEPOOL_MASTER_KEY"])
    file = tmp_path / "familjepool.backup"
    done = familjepool(env, "backup", str(file))  # while the live service runs
    assert done.returncode == 0, done.stderr
    assert backup_kind(file) == database_url.split(":")[0].replace("postgresql", "postgres")
    assert oct(file.stat().st_mode & 0o777) == "0o600"

    # Erased after the backup: the backup still holds the family's key.
    assert live.call("POST", f"/api/families/{ids['later']}/erase", "pool_staff").status_code == 200
    assert live.call("POST", f"/api/referrals/{ids['closed_referral']}/erase", "municipality").status_code == 200
    settle(live)
    expected = answers(live, ids["later"])
    assert ids["later"] not in str(expected["municipality /api/catalogue"])

    target_env = {**env, "FAMILJEPOOL_DATABASE_URL": empty_target}
    done = familjepool(target_env, "restore", str(file), "--erasures-from", database_url)
    assert done.returncode == 0, done.stderr
    assert f"erased again: family {ids['later']}" in done.stdout and "Traceback" not in done.stderr
    assert f"erased again: referral {ids['closed_referral']}" in done.stdout

    app = bootstrap(empty_target, MasterKey.from_base64(env["FAMILJEPOOL_MASTER_KEY"]))
    try:
        assert not app.sealer.can_unseal(uuid.UUID(ids["later"])) and not app.sealer.can_unseal(uuid.UUID(ids["before"]))
        assert app.sealer.can_unseal(uuid.UUID(ids["kept"]))
    finally:
        close(app)
    with restored_api(empty_target) as restored:
        got = answers(restored, ids["later"])
        for key, value in expected.items():
            assert got[key] == value, (key, [{k: (a.get(k), b.get(k)) for k in a if a.get(k) != b.get(k)} for a, b in zip(got[key].get("items", []), value.get("items", []))
                                             if a != b])
        for family in (ids["later"], ids["before"]):
            r = restored.call("GET", f"/api/families/{family}", "pool_staff")
            assert r.status_code == 409 and "erased" in r.json()["code"], r.text
        r = restored.call("GET", f"/api/referrals/{ids['closed_referral']}", "municipality")
        assert r.status_code == 200 and r.json()["child_data_erased"] is True and r.json()["needs"] == ""
        r = restored.call("GET", f"/api/families/{ids['kept']}", "pool_staff")
        assert r.status_code == 200 and r.json()["adults"][0]["personal_number"] == "19721212-1219"

    # A second restore into the now full target is refused in one line, and nothing changes.
    again = familjepool(target_env, "restore", str(file))
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert again.stderr.strip().startswith("error: the target") and len(again.stderr.strip().splitlines()) == 1


def test_restore_refuses_a_file_it_cannot_restore_in_one_line(tmp_path: Path) -> None:
    env = ops_env(f"sqlite:///{tmp_path}/target.db")
    (tmp_path / "notes.txt").write_text("not a backup\n")
    (tmp_path / "pg.backup").write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
    for name, says in [("notes.txt", "is not a familjepool backup"), ("pg.backup", "is a backup of a postgres"),
                       ("missing.backup", "cannot read the backup")]:
        done = familjepool(env, "restore", str(tmp_path / name))
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 1 and len(lines) == 1 and says in lines[0], done.stderr
    # The live database is read before anything is written: unreachable, it stops the restore.
    (tmp_path / "empty.backup").write_bytes(b"SQLite format 3\x00" + b"\x00" * 84)
    done = familjepool(env, "restore", str(tmp_path / "empty.backup"), "--erasures-from",
                       "postgresql://nobody@127.0.0.1:1/gone")
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1 and "127.0.0.1:1/gone" in lines[0], done.stderr
    conn = sqlite3.connect(tmp_path / "target.db")
    try:  # nothing was written into the target
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        conn.close()
