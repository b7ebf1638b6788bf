"""`familjepool allocation YEAR --format table|csv|json` on SQLite and PostgreSQL, after a real import."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import cli
from pool.bootstrap import bootstrap, close
from pool.sealing import MasterKey
from tests.conftest import STAFF, SYSTEM
from tests.factories import MEMBERS, add_members, approved_family

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def store(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[str]]]:
    """Six members, SCB figures for 2025 imported with the CLI, a 2026 budget, placements on 1 Nov 2025."""
    monkeypatch.setenv("FAMILJEPOOL_DATABASE_URL", database_url)
    monkeypatch.setenv("FAMILJEPOOL_MASTER_KEY", MasterKey.generate_base64())
    app = bootstrap()
    try:
        add_members(app)
        app.set_budget(SYSTEM, 2026, amount_sek="4850000.00")
        placed = []
        for code, start in (("0184", "2025-03-01"), ("0184", "2025-09-15"), ("0139", "2024-12-01")):
            family = approved_family(app)
            placed.append((code, str(app.start_placement(
                STAFF, family_id=family, municipality=code, kind="familjehem", start_date=start,
                planned_end_date="2027-01-01", child_birth_month="2015-02").id)))
    finally:
        close(app)
    r = CliRunner().invoke(cli, ["import", "child-population", str(DATA / "scb_population_0_17_latin1.csv"),
                                 "--year", "2025"])
    assert r.exit_code == 0, r.output
    yield {code: sorted(i for c, i in placed if c == code) for code in MEMBERS}


def allocation(*args: str):
    return CliRunner().invoke(cli, ["allocation", *args])


def test_json_is_the_apis_document(store: dict[str, list[str]]) -> None:
    r = allocation("2026", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["year"] == 2026 and doc["budget_sek"] == "4850000.00" and doc["total_sek"] == "4850000.00"
    by = {m["municipality"]: m for m in doc["members"]}
    assert by["0184"]["placement_ids"] == store["0184"] and by["0139"]["placement_ids"] == store["0139"]
    assert by["0114"]["name"] == "Upplands Väsby" and by["0114"]["children"] == 10_789
    assert by["0184"]["population_source"] == \
        "SCB, folkmängd 0-17 år, 2025-12-31 (file scb_population_0_17_latin1.csv)"
    assert sum(Decimal(m["amount_sek"]) for m in doc["members"]) == Decimal("4850000.00")
    assert doc["placed_children_total"] == 3


def test_csv_and_table_show_the_same_amounts(store: dict[str, list[str]]) -> None:
    doc = json.loads(allocation("2026", "--format", "json").stdout)
    r = allocation("2026", "--format", "csv")
    assert r.exit_code == 0, r.output
    table = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(t["municipality"], t["amount_sek"]) for t in table[:-1]] == \
        [(m["municipality"], m["amount_sek"]) for m in doc["members"]]
    assert table[-1]["amount_sek"] == "4850000.00"
    r = allocation("2026")
    assert r.exit_code == 0, r.output
    assert "Cost allocation 2026: budget 4850000.00 SEK, reference date 2025-11-01" in r.stdout
    for m in doc["members"]:
        assert f"{m['municipality']} {m['name']}" in r.stdout and m["amount_sek"] in r.stdout
    assert f"placements counted for 0184: {' '.join(store['0184'])}" in r.stdout


def test_errors_go_to_stderr_with_exit_1(store: dict[str, list[str]]) -> None:
    r = allocation("2027")
    assert r.exit_code == 1 and "no budget is set for 2027" in r.stderr and not r.stdout
    app = bootstrap()
    try:
        app.set_budget(SYSTEM, 2025, amount_sek="100.00")  # no figures for 1 Nov 2024
    finally:
        close(app)
    r = allocation("2025", "--format", "csv")
    assert r.exit_code == 1 and "no population figure" in r.stderr and "0184 Solna" in r.stderr
    assert allocation("2026", "--format", "xml").exit_code == 2
