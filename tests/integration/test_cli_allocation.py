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
from tests.conftest import STAFF, STEERING, SYSTEM
from tests.factories import MEMBERS, add_members, approved_family

DATA = Path(__file__).resolve().parent.parent / "data"
PLACED = {"0114": 88, "0139": 57, "0163": 151, "0183": 112, "0184": 171, "0191": 98}


@pytest.fixture
def store(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, list[str]]]:
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
    figures = tmp_path / "placerade.csv"
    figures.write_text("kommunkod;antal\n" + "".join(f"{c};{n}\n" for c, n in PLACED.items()), encoding="utf-8")
    r = CliRunner().invoke(cli, ["import", "placed-children", str(figures), "--year", "2025"])
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
    assert by["0184"]["pool_placement_ids"] == store["0184"] and by["0139"]["pool_placement_ids"] == store["0139"]
    assert {c: m["placed_children"] for c, m in by.items()} == PLACED
    assert by["0184"]["placed_children_source"] == "placed children 0-17 on 2025-11-01 as reported (file placerade.csv)"
    assert by["0114"]["name"] == "Upplands Väsby" and by["0114"]["children"] == 10_789
    assert by["0184"]["population_source"] == \
        "SCB, folkmängd 0-17 år, 2025-12-31 (file scb_population_0_17_latin1.csv)"
    assert sum(Decimal(m["amount_sek"]) for m in doc["members"]) == Decimal("4850000.00")
    assert doc["placed_children_total"] == sum(PLACED.values()) and doc["pool_placements_total"] == 3
    assert doc["status"] == "preliminary"


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
    assert f"pool placements of 0184 (check only): {' '.join(store['0184'])}" in r.stdout
    assert "preliminary (not adopted)" in r.stdout


def test_an_adopted_allocation_is_printed_as_adopted_with_the_changes_since(store: dict[str, list[str]]) -> None:
    app = bootstrap()
    try:
        from api.allocation_reports import input_sources
        from api.cli_read import open_views

        read_models = open_views(app, timeout=60)
        try:
            app.adopt_allocation(STEERING, 2026, allocation=read_models.allocation(2026),
                                 sources=input_sources(read_models.members(), 2026))
        finally:
            read_models.close()
        app.record_placed_children(SYSTEM, "0184", 2025, children=PLACED["0184"] + 20, source="rättad")
    finally:
        close(app)
    doc = json.loads(allocation("2026", "--format", "json").stdout)
    assert doc["status"] == "adopted" and doc["adoption"]["version"] == 1
    assert {m["municipality"]: m["placed_children"] for m in doc["members"]}["0184"] == PLACED["0184"]
    assert doc["changes_since_adoption"]["changed"] is True
    r = allocation("2026")
    assert "adopted" in r.stdout and "version 1 of 1" in r.stdout and "changes since adoption" in r.stdout
    table = list(csv.DictReader(io.StringIO(allocation("2026", "--format", "csv").stdout)))
    assert {(t["status"], t["version"]) for t in table} == {("adopted", "1")}
    assert allocation("2026", "--version", "2").exit_code == 1


def test_placed_children_import_reports_and_is_harmless_to_rerun(store: dict[str, list[str]], tmp_path: Path) -> None:
    f = tmp_path / "placerade-2026.csv"
    f.write_text("0184;180\n0191;101\n0138;40\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["import", "placed-children", str(f), "--year", "2026", "--dry-run"])
    assert r.exit_code == 0, r.output
    assert "0184 Solna" in r.stdout and "new" in r.stdout and "ignored, not members (1): 0138" in r.stdout
    assert "missing from the file (4)" in r.stdout and "dry run: nothing was written" in r.stdout
    r = CliRunner().invoke(cli, ["import", "placed-children", str(f), "--year", "2026", "--source", "IFO"])
    assert r.exit_code == 0 and "recorded 2 placed-children figures for 2026" in r.stdout
    r = CliRunner().invoke(cli, ["import", "placed-children", str(f), "--year", "2026", "--source", "IFO"])
    assert r.exit_code == 0 and "unchanged" in r.stdout and "recorded 0" in r.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("0184;många\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["import", "placed-children", str(bad), "--year", "2026"])
    assert r.exit_code == 1 and "nothing was written" in r.stderr


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
    app = bootstrap()
    try:
        for code in MEMBERS:
            app.record_child_population(SYSTEM, code, 2024, children=100)
    finally:
        close(app)
    r = allocation("2025")
    assert r.exit_code == 1 and "no figure of placed children" in r.stderr and "0184 Solna" in r.stderr
    assert allocation("2026", "--format", "xml").exit_code == 2
