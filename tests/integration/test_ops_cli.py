"""The CLI as an operator meets it: a bad database is one line, a running worker never a traceback."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from pool.settings import parse_database_url
from tests.conftest import postgres_conninfo
from tests.integration.ops_support import FAMILJEPOOL, familjepool, ops_env

PASSWORD = "a long password"
ODD_PASSWORD = "p@ss w:rd/'\"\\%?#"


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_any_password_survives_the_url_and_the_conninfo() -> None:
    url = f"postgresql://anna:{quote(ODD_PASSWORD, safe='')}@db.example:6543/pool?schema=s1"
    storage = parse_database_url(url)
    assert storage.env["POSTGRES_PASSWORD"] == ODD_PASSWORD
    parts = conninfo_to_dict(storage.conninfo or "")
    assert parts["password"] == ODD_PASSWORD and parts["host"] == "db.example" and parts["port"] == "6543"


def test_pg_variables_fill_what_the_url_leaves_out(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"PGHOST": "db.internal", "PGPORT": "5433", "PGUSER": "pool", "PGPASSWORD": ODD_PASSWORD,
                        "PGDATABASE": "familjepool"}.items():
        monkeypatch.setenv(name, value)
    storage = parse_database_url("postgresql://")
    parts = conninfo_to_dict(storage.conninfo or "")
    assert parts == {"host": "db.internal", "port": "5433", "dbname": "familjepool", "user": "pool",
                     "password": ODD_PASSWORD, "connect_timeout": "10"}


@pytest.mark.postgres
def test_pg_variables_and_an_encoded_password_reach_the_server(fresh_postgres_url: str) -> None:
    schema = fresh_postgres_url.split("schema=")[1]
    info = conninfo_to_dict(postgres_conninfo())
    env = ops_env(f"postgresql://?schema={schema}", PGHOST=info.get("host", "127.0.0.1"),
                  PGPORT=str(info.get("port", 5432)), PGUSER=info.get("user", "postgres"),
                  PGDATABASE=info["dbname"], PGPASSWORD=ODD_PASSWORD)  # trust auth: sent, not checked
    added = familjepool(env, "users", "add", "anna.admin", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    url = (f"postgresql://{info.get('user', 'postgres')}:{quote(ODD_PASSWORD, safe='')}@{info.get('host', '127.0.0.1')}:"
           f"{info.get('port', 5432)}/{info['dbname']}?schema={schema}")
    listed = familjepool(ops_env(url), "users", "list")
    assert listed.returncode == 0 and listed.stdout.startswith("anna.admin\tadmin"), listed.stderr


@pytest.mark.postgres
def test_an_unusable_database_is_one_line_from_every_command(fresh_postgres_url: str, tmp_path: Path) -> None:
    base = postgres_conninfo().rsplit("/", 1)[0]
    cases = {
        f"postgresql://postgres:{quote(ODD_PASSWORD, safe='')}@127.0.0.1:1/familjepool": "127.0.0.1",
        f"{base}/no_such_database_here": "no_such_database_here",
        f"{postgres_conninfo()}?schema=no_such_schema": "no_such_schema",
        "mysql://localhost/pool": "FAMILJEPOOL_DATABASE_URL",
    }
    commands = [["projections", "status"], ["allocation", "2026"], ["demo", "load"], ["serve", "--port", "1"],
                ["serve", "--workers", "2", "--port", "1"]]
    runs = [(url, ["users", "list"]) for url in cases] + [(url, command) for url in list(cases)[:3]
                                                          for command in commands[list(cases).index(url)::3]]
    for url, command in runs:  # every URL and every command at least once (each run costs seconds)
        started = time.monotonic()
        line = one_line_error(familjepool(ops_env(url), *command, timeout=60))
        assert cases[url] in line, (url, command, line)
        assert ODD_PASSWORD not in line and quote(ODD_PASSWORD, safe="") not in line
        assert time.monotonic() - started < 20, (command, "no 30 s pool timeout first")


def test_an_unwritable_sqlite_database_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    line = one_line_error(familjepool(ops_env(f"sqlite:///{blocker}/sub/pool.db"), "users", "list"))
    assert "pool.db" in line or "file" in line


def test_reading_commands_while_a_worker_holds_the_locks(database_url: str) -> None:
    env = ops_env(database_url)
    added = familjepool(env, "users", "add", "adam.admin", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    worker = subprocess.Popen([FAMILJEPOOL, "projections", "run"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while "running" not in familjepool(env, "projections", "status").stdout.splitlines()[-1]:
            assert worker.poll() is None and time.monotonic() < deadline, worker.stderr.read() if worker.stderr else ""
            time.sleep(0.3)
        added = familjepool(env, "users", "add", "sara.steering", "--role", "steering", "--password-stdin",
                            input=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
        listed = familjepool(env, "users", "list")  # reads the views the worker keeps: waits, never refuses
        assert listed.returncode == 0 and "Traceback" not in listed.stderr, listed.stderr
        assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == ["adam.admin", "sara.steering"]
        for command in (["projections", "rebuild", "audit"], ["projections", "run"]):
            line = one_line_error(familjepool(env, *command))
            assert "another runner is already running" in line, line
    finally:
        worker.terminate()
        worker.wait(timeout=30)
