"""`familjepool import child-population` on real-shaped SCB and plain files, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import cli
from pool.application import PoolApplication
from pool.bootstrap import bootstrap, close
from pool.sealing import MasterKey
from tests.conftest import SYSTEM
from tests.factories import MEMBERS, add_members

DATA = Path(__file__).resolve().parent.parent / "data"
EXPECTED_2025 = {"0114": 10_789, "0139": 6_831, "0163": 17_297, "0183": 12_595, "0184": 15_820, "0191": 9_685}
EXPECTED_2024 = {"0114": 10_758, "0139": 6_798, "0163": 17_225, "0183": 12_546, "0184": 15_827, "0191": 9_671}


@pytest.fixture
def store(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database with the six members; the CLI finds it through the environment, as in production."""
    monkeypatch.setenv("FAMILJEPOOL_DATABASE_URL", database_url)
    monkeypatch.setenv("FAMILJEPOOL_MASTER_KEY", MasterKey.generate_base64())
    app = bootstrap()
    try:
        add_members(app)
    finally:
        close(app)
    yield database_url


def figures(year: int) -> dict[str, dict]:
    app: PoolApplication = bootstrap()
    try:
        return {code: app.member(code).child_population.get(year) for code in MEMBERS}
    finally:
        close(app)


def run(*args: str):
    return CliRunner().invoke(cli, ["import", "child-population", *args])


@pytest.mark.parametrize("name", ["scb_population_0_17_latin1.csv", "scb_population_0_17_utf8bom.csv"])
def test_scb_export_records_each_members_children(store: str, name: str) -> None:
    r = run(str(DATA / name), "--year", "2025")
    assert r.exit_code == 0, r.output
    got = figures(2025)
    assert {code: f["children"] for code, f in got.items()} == EXPECTED_2025
    assert all(f["source"] == f"SCB, folkmängd 0-17 år, 2025-12-31 (file {name})" for f in got.values())
    assert "0114 Upplands Väsby" in r.stdout and "10789" in r.stdout
    assert "ignored, not members (1): 2180 Göteborg" in r.stdout
    assert "missing" not in r.stdout
    assert "encoding " + ("cp1252" if "latin1" in name else "utf-8-sig") in r.stdout
    assert "recorded 6 figures for 2025" in r.stdout
    # The other year's column of the same file, recorded for that year; 2025 stays as it was.
    assert run(str(DATA / name), "--year", "2024").exit_code == 0
    assert {code: f["children"] for code, f in figures(2024).items()} == EXPECTED_2024
    assert {code: f["children"] for code, f in figures(2025).items()} == EXPECTED_2025


def test_running_it_again_writes_nothing_new(store: str) -> None:
    path = str(DATA / "scb_population_0_17_utf8bom.csv")
    assert run(path, "--year", "2025").exit_code == 0
    app = bootstrap()
    try:
        versions = {code: app.member(code).version for code in MEMBERS}
    finally:
        close(app)
    r = run(path, "--year", "2025")
    assert r.exit_code == 0 and r.stdout.count("unchanged") == 6 and "recorded 0 figures" in r.stdout
    app = bootstrap()
    try:
        assert {code: app.member(code).version for code in MEMBERS} == versions
    finally:
        close(app)


def test_a_garbled_row_refuses_the_file_and_writes_nothing(store: str, tmp_path: Path) -> None:
    lines = (DATA / "scb_population_0_17_latin1.csv").read_bytes().split(b"\r\n")
    # A row of Solna, well after complete rows of four other members, with a figure that is no count.
    row = next(i for i, line in enumerate(lines) if line.startswith(b'"0184 Solna";"9 \xe5r";"kvinnor"'))
    lines[row] = lines[row].rsplit(b";", 1)[0] + b';"2 9O"'
    garbled = tmp_path / "garbled.csv"
    garbled.write_bytes(b"\r\n".join(lines))
    r = run(str(garbled), "--year", "2025")
    assert r.exit_code == 1
    assert f"line {row + 1}" in r.stderr and "nothing was written" in r.stderr
    assert figures(2025) == {code: None for code in MEMBERS}


def test_a_truncated_export_is_refused(store: str, tmp_path: Path) -> None:
    text = (DATA / "scb_population_0_17_utf8bom.csv").read_text("utf-8-sig").splitlines()
    cut = tmp_path / "cut.csv"
    cut.write_text("\n".join(line for line in text if '"17 år";"kvinnor"' not in line or "Sigtuna" not in line),
                   "utf-8")
    r = run(str(cut), "--year", "2025")
    assert r.exit_code == 1 and "0191 Sigtuna" in r.stderr and "17" in r.stderr
    assert figures(2025) == {code: None for code in MEMBERS}


def test_plain_csv_with_a_source(store: str) -> None:
    r = run(str(DATA / "plain_children.csv"), "--year", "2025", "--source", "SCB 2025-12-31, sammanställd")
    assert r.exit_code == 0, r.output
    assert figures(2025) == {code: {"children": n, "source": "SCB 2025-12-31, sammanställd"}
                             for code, n in EXPECTED_2025.items()}
    assert "plain format" in r.stdout


def test_dry_run_reports_and_writes_nothing(store: str) -> None:
    r = run(str(DATA / "scb_population_0_17_latin1.csv"), "--year", "2025", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "dry run: nothing was written" in r.stdout and "15820" in r.stdout
    assert figures(2025) == {code: None for code in MEMBERS}


def test_members_missing_from_the_file_are_reported(store: str, tmp_path: Path) -> None:
    app = bootstrap()
    try:
        app.record_child_population(SYSTEM, "0139", 2025, children=6000, source="earlier")
    finally:
        close(app)
    part = tmp_path / "part.csv"
    part.write_text("kommunkod;barn\n0184;15820\n0139;6831\n9999;12\n", "utf-8")
    r = run(str(part), "--year", "2025")
    assert r.exit_code == 0, r.output
    assert "replaces 6000 (earlier)" in r.stdout
    assert "ignored, not members (1): 9999" in r.stdout
    assert "missing from the file (4): 0114 Upplands Väsby, 0163 Sollentuna, 0183 Sundbyberg, 0191 Sigtuna" \
        in r.stdout
    got = figures(2025)
    assert got["0184"]["children"] == 15820 and got["0139"]["children"] == 6831 and got["0163"] is None


def test_a_file_without_members_is_refused(store: str, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("kommunkod,children\n2180,113682\n", "utf-8")
    r = run(str(other), "--year", "2025")
    assert r.exit_code == 1 and "no region in the file is a member" in r.stderr
    assert run(str(tmp_path / "absent.csv"), "--year", "2025").exit_code == 2
    assert run(str(DATA / "plain_children.csv"), "--year", "1999").exit_code == 2


def test_an_earlier_scb_column_can_be_recorded_for_the_year(store: str) -> None:
    r = run(str(DATA / "scb_population_0_17_utf8bom.csv"), "--year", "2025", "--scb-year", "2024")
    assert r.exit_code == 0, r.output
    got = figures(2025)
    assert {code: f["children"] for code, f in got.items()} == EXPECTED_2024
    assert got["0184"]["source"].startswith("SCB, folkmängd 0-17 år, 2024-12-31")


def test_scb_long_layout_end_to_end(store: str) -> None:
    """SCB's long table (one row per region, age, sex and year) with a source line, through the CLI."""
    r = run(str(DATA / "scb_long_layout.csv"), "--year", "2025")
    assert r.exit_code == 0, r.output
    got = figures(2025)
    assert got["0184"]["children"] == 7866 and got["0191"]["children"] == 8118
    assert got["0184"]["source"] == "SCB, folkmängd 0-17 år, 2025-12-31 (file scb_long_layout.csv)"
    assert all(got[code] is None for code in MEMBERS if code not in ("0184", "0191"))
    assert "other years ignored: 2024" in r.stdout
    assert "text after the data: Källa: SCB, Befolkningsstatistik" in r.stdout
    assert "recorded 2 figures for 2025" in r.stdout


def test_excel_resaved_file_lists_the_regions_it_ignored(store: str) -> None:
    r = run(str(DATA / "scb_wide_excel_resaved.csv"), "--year", "2025")
    assert r.exit_code == 0, r.output
    assert figures(2025)["0184"]["children"] == 7866
    assert "regions that are not municipalities ignored: Riket and 01 Stockholms län" in r.stdout
