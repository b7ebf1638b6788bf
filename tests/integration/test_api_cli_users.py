"""`familjepool users …` against a real database: add, disable, enable, set-password."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from api.cli import cli
from pool.bootstrap import bootstrap, close
from pool.sealing import MasterKey
from tests.conftest import SYSTEM
from tests.factories import add_members, approved_family


def test_users_commands(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMILJEPOOL_DATABASE_URL", database_url)
    monkeypatch.setenv("FAMILJEPOOL_MASTER_KEY", MasterKey.generate_base64())
    app = bootstrap()
    try:
        app.put_member(SYSTEM, "0184", name="Solna", joined_on="2020-01-01")
    finally:
        close(app)
    runner = CliRunner()
    r = runner.invoke(cli, ["users", "add", "sara.solna", "--role", "municipality", "--municipality", "0184",
                            "--password-stdin"], input="a long password\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["users", "add", "x.y", "--role", "municipality", "--password-stdin"], input="a long password\n")
    assert r.exit_code == 1 and "municipality" in r.output
    r = runner.invoke(cli, ["users", "add", "short", "--role", "admin", "--password-stdin"], input="short\n")
    assert r.exit_code == 1 and "password" in r.output
    assert runner.invoke(cli, ["users", "disable", "sara.solna"]).exit_code == 0
    app = bootstrap()
    try:
        assert app.authenticate("sara.solna", "a long password") is None
    finally:
        close(app)
    assert runner.invoke(cli, ["users", "enable", "sara.solna"]).exit_code == 0
    r = runner.invoke(cli, ["users", "set-password", "sara.solna", "--password-stdin"], input="another password\n")
    assert r.exit_code == 0, r.output
    app = bootstrap()
    try:
        actor = app.authenticate("sara.solna", "another password")
        assert actor is not None and actor.municipality == "0184"
    finally:
        close(app)
    assert runner.invoke(cli, ["users", "disable", "nobody.here"]).exit_code == 1
    runner.invoke(cli, ["users", "add", "adam.admin", "--role", "admin", "--password-stdin"], input="a long password\n")
    assert runner.invoke(cli, ["users", "disable", "adam.admin"]).exit_code == 0
    r = runner.invoke(cli, ["users", "list"])
    assert r.exit_code == 0, r.output
    lines = [line.split("\t") for line in r.output.splitlines()]
    assert lines == [["adam.admin", "admin", "-", "disabled"], ["sara.solna", "municipality", "0184", "enabled"]]
    assert "argon2" not in r.output


def test_set_follows_assigns_pool_staff_the_families_they_follow(database_url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMILJEPOOL_DATABASE_URL", database_url)
    monkeypatch.setenv("FAMILJEPOOL_MASTER_KEY", MasterKey.generate_base64())
    app = bootstrap()
    try:
        add_members(app)
        app.add_user(SYSTEM, "pia.staff", role="pool_staff", password="a long password")
        family_id = str(approved_family(app))
    finally:
        close(app)
    runner = CliRunner()
    r = runner.invoke(cli, ["users", "set-follows", "pia.staff", family_id])
    assert r.exit_code == 0 and "pia.staff follows 1 families" in r.output, r.output
    r = runner.invoke(cli, ["users", "set-follows", "pia.staff", "not-an-id"])
    assert r.exit_code == 1
    app = bootstrap()
    try:
        assert app.user("pia.staff").followed_families == [family_id]
    finally:
        close(app)
