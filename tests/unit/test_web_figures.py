"""Tests of the steering pages' tables and charts built from allocations and statistics."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from api.web.charts import sv_sek
from api.web.figures import (
    allocation_section,
    changes_table,
    non_executed_table,
    statistics_sections,
)
from pool.adoption import allocation_changes
from pool.allocation import MemberInput, allocate

D = Decimal
SIX = [
    MemberInput("0184", "Solna", 12_000, 36, ("p1", "p2", "p3")),
    MemberInput("0163", "Sollentuna", 15_000, 44),
    MemberInput("0191", "Sigtuna", 8_400, 50),
    MemberInput("0183", "Sundbyberg", 9_600, 0),
    MemberInput("0114", "Upplands Väsby", 9_000, 30),
    MemberInput("0139", "Upplands-Bro", 6_000, 16, (), 184),
]

STATS = {
    "period": {"start": "2026-01-01", "end": "2026-12-31"}, "municipality": None,
    "supply_demand": [{"kind": "familjehem", "age_band": "0-6", "supply": 3, "demand": 5,
                       "demand_by_member": {"0184": 2, "0191": 3}}],
    "waiting": [{"status": "applied", "count": 4, "median_days": 12, "p90_days": 40, "oldest_days": 51}],
    "funnel": [{"step": "applied", "count": 30, "conversion": None, "median_days": None},
               {"step": "approved", "count": 18, "conversion": "0.60", "median_days": 95}],
    "time_to_placement": {"count": 12, "median_days": 41, "p90_days": 120},
    "time_from_decision": [{"step": "proposal", "count": 14, "median_days": 9, "p90_days": 30},
                           {"step": "brokering", "count": 13, "median_days": 25, "p90_days": 70},
                           {"step": "placement", "count": 12, "median_days": 41, "p90_days": 120}],
    "cost_per_placement": [{"municipality": "0184", "name": "Solna", "year": 2026, "amount_sek": "1230000.00",
                            "placements_started": 4, "contact_assignments_started": 2,
                            "cost_per_placement_sek": "307500.00"}],
    "placements": [{"municipality": "0184", "name": "Solna", "started": 4, "ended": 2, "breakdowns": 1}],
    "placements_total": {"started": 14, "ended": 7, "breakdowns": 2},
    "shares": [{"municipality": "0184", "name": "Solna", "budget_share": "0.18", "pool_placements": 4,
                "placements_share": "0.28"}],
    "shares_note": None,
}


def test_parts_sum_exactly_per_member_and_per_column():
    a = allocate(2026, D("3000000.00"), SIX)
    for m in a.members:
        assert m.children_part_sek + m.placements_part_sek == m.amount_sek
        assert m.children_part_sek >= 0 and m.placements_part_sek >= 0
    assert sum(m.children_part_sek for m in a.members) == D("1500000.00")
    by = {m.municipality: m for m in a.members}
    # Sundbyberg has no placed children: everything it pays is its children part.
    assert (by["0183"].children_part_sek, by["0183"].placements_part_sek) == (by["0183"].amount_sek, D("0.00"))


def test_parts_with_key_fallback_are_half_and_half():
    a = allocate(2026, D("1000000.00"), [MemberInput("0184", "Solna", 1, 0), MemberInput("0191", "Sigtuna", 1, 0)])
    assert [(m.children_part_sek, m.placements_part_sek) for m in a.members] == [(D("250000.00"), D("250000.00"))] * 2


def test_allocation_section_table_and_chart():
    a = allocate(2026, D("3000000.00"), SIX)
    section = allocation_section(a)
    assert len(section.table.rows) == 6
    assert section.table.footer[7] == sv_sek(D("3000000.00"))
    assert section.table.columns[7] == "Belopp"
    solna = next(r for r in section.table.rows if r[0] == "0184 Solna")
    assert solna[2] == "36" and solna[3].startswith("3 (8,3")  # 3 pool placements of 36 placed children
    assert section.table.footer[8] == section.table.footer[9] == sv_sek(D("1500000.00"))
    assert "0139 Upplands-Bro: medlem 184 av 365 dagar 2026, betalar därför i proportion till dagarna." in section.notes
    assert any(n.startswith("0183 Sundbyberg: inga placerade barn den 2025-11-01") for n in section.notes)
    svg = ET.fromstring(section.chart)
    assert svg.get("role") == "img"


def test_changes_table_shows_the_difference_per_member():
    adopted = allocate(2026, D("3000000.00"), SIX)
    later = allocate(2026, D("3000000.00"), [MemberInput("0184", "Solna", 12_000, 40, ("p1", "p2", "p3", "p4")),
                                             *SIX[1:]])
    rows = allocation_changes(adopted, later)
    table = changes_table(rows, 2026)
    solna = next(r for r in table.rows if r[0] == "0184 Solna")
    assert solna[2] == "36 → 40" and solna[3] == "3 → 4" and solna[6].startswith("+")
    assert table.footer[6] == sv_sek(D("0.00"))  # the budget is the same: what one pays more, others pay less


def test_fallback_note_in_swedish():
    a = allocate(2026, D("1000000.00"), [MemberInput("0184", "Solna", 1, 0)])
    assert allocation_section(a).notes == ("Ingen medlem hade placerade barn den 2025-11-01: placeringshälften "
                                           "fördelas efter antalet barn.",)


def test_statistics_sections_render_every_part():
    sections = statistics_sections(STATS)
    assert [s.id for s in sections] == ["tillgang", "vantetider", "tratt", "tid-till-placering", "placeringar",
                                        "andelar", "kostnad-per-placering"]
    for s in sections:
        ET.fromstring(s.chart)
        assert s.table.rows and all(len(r) == len(s.table.columns) for r in s.table.rows)
    funnel = sections[2].table.rows
    assert funnel[0][2] == "–" and funnel[1][2] == "60\u00a0%"
    assert sections[3].table.rows[1] == ["Första förmedling", "13", "25", "70"]
    assert sections[6].table.rows[0][2:4] == ["4", "2"] and sections[6].table.rows[0][-1] == sv_sek(D("307500.00"))


def test_statistics_sections_tolerate_empty_statistics():
    for s in statistics_sections({"shares": [], "shares_note": "ingen budget"}):
        ET.fromstring(s.chart)
    assert statistics_sections({"shares_note": "ingen budget"})[-2].notes == ("ingen budget",)


def test_non_executed_table_lists_each_decision_with_its_reason():
    from datetime import date
    row = {"code": "5f0c1d2e", "municipality": "0184", "name": "Solna", "kind": "familjehem", "legal_basis": "SoL",
           "decision_date": date(2026, 2, 11), "days_waited": 139, "reason": "no_suitable_family", "executed_on": None}
    t = non_executed_table([row, {**row, "reason": None}], 2026, 3)
    assert t.footer[-2] == "2" and t.caption == "Ej verkställda beslut kvartal 3 2026"
    assert t.rows[0][1:] == ["5f0c1d2e", "familjehem", "SoL", "2026-02-11", "139", "Ingen lämplig familj"]
    assert t.rows[1][-1] == "Ej angivet"
    done = non_executed_table([{**row, "executed_on": date(2026, 5, 1)}], 2026, 2, executed=True, caption="x")
    assert done.columns[-1] == "Verkställt" and done.rows[0][-1] == "2026-05-01"