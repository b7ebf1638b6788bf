"""Tests of the allocation, invoice, statistics and report renderers (api/reports.py) on real allocations."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest

from api import reports
from pool.allocation import MemberInput, allocate
from pool.errors import NotFoundError

D = Decimal
IDS = ("5f0c1c9e-0000-4000-8000-000000000001", "5f0c1c9e-0000-4000-8000-000000000002")
# Solna with two pool placements, Sollentuna without, Upplands Väsby part-year with no placed children.
MEMBERS = [MemberInput("0184", "Solna", 12_000, 2, IDS),
           MemberInput("0163", "Sollentuna", 15_000, 5),
           MemberInput("0114", "Upplands Väsby", 9_000, 0, (), 200)]
SOURCES = {"0184": {"population": "SCB, folkmängd 0-17 år, 2025-12-31", "placed_children": "IFO, 2025-11-03"}}


@pytest.fixture
def allocation():
    return allocate(2026, D("1000000.00"), MEMBERS)


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def pdf_text(data: bytes) -> str:
    """The text drawn on the page, read from the (uncompressed) content stream."""
    assert data.startswith(b"%PDF-")
    assert b"/FlateDecode" not in data
    strings = re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", data)
    return "\n".join(re.sub(rb"\\(.)", rb"\1", s).decode("latin-1") for s in strings)


def test_rows_carry_every_input_and_money_as_text(allocation):
    rows = {r["municipality"]: r for r in reports.allocation_rows(allocation, SOURCES)}
    assert [r["municipality"] for r in reports.allocation_rows(allocation)] == ["0114", "0163", "0184"]
    solna = rows["0184"]
    assert solna["pool_placement_ids"] == list(IDS) and solna["pool_placements"] == 2
    assert solna["pool_share"] == "1.00000000000000000000"
    assert solna["population_source"] == SOURCES["0184"]["population"]
    assert solna["placed_children_source"] == "IFO, 2025-11-03"
    assert rows["0163"]["placed_children_source"] is None and rows["0163"]["population_source"] is None
    assert sum(D(r["children_part_sek"]) for r in rows.values()) == D("500000.00")
    assert all(D(r["children_part_sek"]) + D(r["placements_part_sek"]) == D(r["amount_sek"]) for r in rows.values())
    assert rows["0114"]["membership_days"] == 200
    assert all(re.fullmatch(r"\d+\.\d\d", r["amount_sek"]) for r in rows.values())
    assert sum(D(r["amount_sek"]) for r in rows.values()) == D("1000000.00")
    for r in rows.values():  # the amount is the budget times the printed share, to the öre
        assert abs(D(r["amount_sek"]) - D("1000000.00") * D(r["share"])) < D("0.01")
    doc = reports.allocation_document(allocation)
    assert doc["budget_sek"] == "1000000.00" and doc["total_sek"] == "1000000.00"
    assert doc["children_total"] == 36_000 and doc["placed_children_total"] == 7
    assert doc["reference_date"] == "2025-11-01" and doc["days_in_year"] == 365
    assert doc["status"] == "preliminary" and doc["adoption"] is None and doc["changes_since_adoption"] is None
    assert doc["pool_placements_total"] == 2 and doc["children_half_sek"] == "500000.00"
    assert any("0114 Upplands Väsby: no placed children" in n for n in doc["notes"])


def test_zero_share_is_printed_as_a_plain_decimal():
    a = allocate(2026, D("100.00"), [MemberInput("0184", "Solna", 10, 0),
                                     MemberInput("0163", "Sollentuna", 0, 3)])
    rows = {r["municipality"]: r for r in reports.allocation_rows(a)}
    assert rows["0184"]["placements_share"] == "0.00000000000000000000"
    assert "E" not in reports.allocation_csv(a)


def test_allocation_csv_has_a_header_a_row_per_member_and_a_total(allocation):
    text = reports.allocation_csv(allocation, SOURCES)
    rows = parse(text)
    assert list(rows[0]) == list(reports.ALLOCATION_COLUMNS)
    assert [r["municipality"] for r in rows] == ["0114", "0163", "0184", "total"]
    assert rows[0]["name"] == "Upplands Väsby"
    assert rows[2]["pool_placement_ids"] == " ".join(IDS)
    assert rows[3]["amount_sek"] == "1000000.00" and rows[3]["children"] == "36000"
    assert rows[3]["children_part_sek"] == rows[3]["placements_part_sek"] == "500000.00"
    assert {r["status"] for r in rows} == {"preliminary"} and {r["version"] for r in rows} == {""}
    assert sum(D(r["amount_sek"]) for r in rows[:3]) == D(rows[3]["amount_sek"])
    assert text.encode("utf-8").decode("utf-8") == text


def test_invoice_csv_states_formula_inputs_totals_and_amount(allocation):
    items = [(r["item"], r["value"]) for r in parse(reports.invoice_csv(reports.Shown(allocation, SOURCES), "0184"))]
    got = dict(items)
    solna = next(m for m in allocation.members if m.municipality == "0184")
    assert "amount = budget x share" in got["formula"]
    assert got["children"] == "12000" and got["children_total"] == "36000"
    assert got["placed_children"] == "2" and got["placed_children_total"] == "7"
    assert got["pool_placement_ids"] == " ".join(IDS) and got["pool_placements"] == "2"
    assert got["population_source"] == SOURCES["0184"]["population"]
    assert got["placed_children_source"] == "IFO, 2025-11-03" and got["status"] == "preliminary"
    assert D(got["children_part_sek"]) + D(got["placements_part_sek"]) == D(got["amount_sek"])
    assert got["amount_sek"] == f"{solna.amount_sek:.2f}" and got["share"] == f"{solna.share:f}"
    assert got["budget_sek"] == "1000000.00" and got["reference_date"] == "2025-11-01"
    notes = [v for k, v in items if k == "note"]
    assert not any(n.startswith(("0114", "0163")) for n in notes)  # other members' notes stay out


def test_invoice_pdf_shows_the_members_inputs_and_amount(allocation):
    text = pdf_text(reports.invoice_pdf(allocation, "0114"))
    vasby = next(m for m in allocation.members if m.municipality == "0114")
    amount = f"{vasby.amount_sek:,.2f}".replace(",", " ").replace(".", ",") + " kr"
    assert "Medlemskommun: 0114 Upplands Väsby" in text
    # Babel's U+00A0 (a sum never breaks over two lines) is drawn by fpdf2 as a space.
    assert amount in text and "1 000 000,00 kr" in text
    assert "9 000" in text and "36 000" in text  # c and C
    assert "200 av 365" in text and f"{vasby.pro_rata:f}".replace(".", ",") in text
    assert f"{vasby.share:f}".replace(".", ",") in text
    assert "2025-11-01" in text and "nyckelandel = 0,5 × andel barn + 0,5 × andel placeringar" in text
    assert "betalar därför i proportion till dagarna" in text
    assert "Preliminär" in text
    solna = pdf_text(reports.invoice_pdf(reports.Shown(allocation, SOURCES), "0184"))
    assert all(i in solna for i in IDS) and SOURCES["0184"]["population"] in solna
    assert "IFO, 2025-11-03" in solna and "Varav barndel" in solna


def test_unknown_member_is_not_found(allocation):
    with pytest.raises(NotFoundError):
        reports.invoice_csv(allocation, "0999")
    with pytest.raises(NotFoundError):
        reports.invoice_pdf(allocation, "0999")


def test_fallback_is_stated():
    a = allocate(2026, D("10.00"), [MemberInput("0184", "Solna", 1, 0),
                                    MemberInput("0163", "Sollentuna", 3, 0)])
    assert dict((r["item"], r["value"]) for r in parse(reports.invoice_csv(a, "0184")))["placement_key_fallback"] == "true"
    assert "Ingen medlem hade placerade barn" in pdf_text(reports.invoice_pdf(a, "0184"))


def test_non_executed_csv_has_one_row_per_decision_in_three_parts():
    from datetime import date
    row = {"referral_id": "5f0c1d2e-aaaa", "code": "F-5F0C1D", "municipality": "0184", "name": "Solna",
           "kind": "familjehem", "legal_basis": "SoL", "decision_date": date(2026, 2, 11), "days_waited": 139,
           "reason": "no_suitable_family", "executed_on": None}
    report = {"items": [row], "not_reportable": [{**row, "legal_basis": "LVU", "reason": None}],
              "executed": [{**row, "reason": None, "executed_on": date(2026, 5, 1), "days_waited": 79}]}
    rows = parse(reports.non_executed_csv(report))
    assert [(r["status"], r["legal_basis"], r["days_waited"], r["reason"], r["executed_on"]) for r in rows] == [
        ("not_executed", "SoL", "139", "no_suitable_family", ""), ("not_reportable_lvu", "LVU", "139", "", ""),
        ("executed_after_report", "SoL", "79", "", "2026-05-01")]
    assert rows[0]["decision_date"] == "2026-02-11" and rows[0]["code"] == "F-5F0C1D"
    empty = {"items": [], "not_reportable": [], "executed": []}
    assert reports.non_executed_csv(empty) == ("status,municipality,name,code,kind,legal_basis,decision_date,"
                                               "days_waited,reason,executed_on\r\n")


def test_statistics_csv_flattens_each_figure_to_a_row():
    stats = {"period": {"start": "2026-01-01", "end": "2026-12-31"}, "municipality": None,
             "supply_demand": [{"kind": "familjehem", "age_band": "0-6", "supply": 3, "demand": 5,
                                "demand_by_member": {"0184": 2}}],
             "funnel": [{"step": "approved", "count": 18, "conversion": "0.60", "median_days": 95}],
             "time_to_placement": {"count": 12, "median_days": 41, "p90_days": None},
             "shares": [{"municipality": "0184", "name": "Solna", "budget_share": D("0.18"), "pool_placements": 4}],
             "shares_note": None}
    rows = [(r["section"], r["item"], r["key"], r["value"]) for r in parse(reports.statistics_csv(stats))]
    assert ("period", "", "start", "2026-01-01") in rows
    assert ("supply_demand", "familjehem 0-6", "demand_by_member.0184", "2") in rows
    assert ("funnel", "approved", "conversion", "0.60") in rows
    assert ("time_to_placement", "", "p90_days", "") in rows
    assert ("shares", "0184 Solna", "budget_share", "0.18") in rows
    assert ("shares_note", "", "", "") in rows


def test_text_cells_cannot_become_spreadsheet_formulas():
    a = allocate(2026, D("10.00"), [MemberInput("0184", "=HYPERLINK(1)", 1, 0)])
    assert parse(reports.allocation_csv(a))[0]["name"] == "'=HYPERLINK(1)"
