"""Allocation, invoice bases, statistics and the non-executed report over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from pool.codes import referral_code
from tests.conftest import SIGTUNA, SOLNA, STAFF, SYSTEM
from tests.factories import MEMBERS, approved_family, referral_data
from tests.integration.test_api_support import Api, api, problem  # noqa: F401
from tests.unit.test_reports import pdf_text

CHILDREN_2025 = {"0114": 10_789, "0139": 6_831, "0163": 17_297, "0183": 12_595, "0184": 15_820, "0191": 9_685}
# Every placed child 0-17 of each member on 1 November 2025, as the members report them.
PLACED_2025 = {"0114": 92, "0139": 61, "0163": 143, "0183": 118, "0184": 176, "0191": 104}


def settle(api: Api) -> None:
    assert api.client.app.state.read_models.wait_for(api.pool.recorder.max_notification_id(), timeout=10)  # type: ignore


def place(api: Api, municipality: str, start: str, kind: str = "familjehem", birth: str = "2016-05") -> str:
    family = approved_family(api.pool, kinds=[kind])
    return str(api.pool.start_placement(STAFF, family_id=family, municipality=municipality, kind=kind,
                                        start_date=start, planned_end_date="2027-10-01",
                                        child_birth_month=birth).id)


def year_2026(api: Api, population: bool = True, placed: bool = True) -> dict[str, Any]:
    """Budget 2026; figures for 1 Nov 2025; Solna has two pool placements then, Sigtuna one."""
    if population:
        for code, n in CHILDREN_2025.items():
            api.pool.record_child_population(SYSTEM, code, 2025, children=n, source=f"SCB 2025-12-31 {code}")
    if placed:
        for code, n in PLACED_2025.items():
            api.pool.record_placed_children(SYSTEM, code, 2025, children=n, source=f"IFO {code}")
    api.pool.set_budget(SYSTEM, 2026, amount_sek="7300000.00")
    ids = {"solna": sorted([place(api, "0184", "2025-06-01"), place(api, "0184", "2025-10-31", kind="jourhem")]),
           "sigtuna": [place(api, "0191", "2025-01-15")]}
    place(api, "0184", "2025-06-01", kind="kontaktfamilj")  # not an out-of-home placement
    place(api, "0184", "2025-11-02")  # after the reference date
    settle(api)
    return ids


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_allocation_json_is_traced_to_its_inputs(api: Api) -> None:
    ids = year_2026(api)
    r = api.call("GET", "/api/allocations/2026", "municipality")
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["year"] == 2026 and doc["budget_sek"] == "7300000.00" and doc["total_sek"] == "7300000.00"
    assert doc["reference_date"] == "2025-11-01" and doc["placement_key_fallback"] is False
    by = {m["municipality"]: m for m in doc["members"]}
    assert sorted(by) == sorted(MEMBERS)
    assert {c: m["children"] for c, m in by.items()} == CHILDREN_2025
    assert by["0184"]["population_source"] == "SCB 2025-12-31 0184"
    assert {c: m["placed_children"] for c, m in by.items()} == PLACED_2025
    assert by["0184"]["placed_children_source"] == "IFO 0184"
    assert by["0184"]["pool_placements"] == 2 and by["0184"]["pool_placement_ids"] == ids["solna"]
    assert Decimal(by["0184"]["pool_share"]) == round(Decimal(2) / Decimal(176), 20)
    assert by["0191"]["pool_placement_ids"] == ids["sigtuna"]
    assert by["0163"]["pool_placements"] == 0 and by["0163"]["pool_placement_ids"] == []
    assert doc["children_total"] == sum(CHILDREN_2025.values())
    assert doc["placed_children_total"] == sum(PLACED_2025.values()) and doc["pool_placements_total"] == 3
    assert sum(Decimal(m["amount_sek"]) for m in doc["members"]) == Decimal("7300000.00")
    assert sum(Decimal(m["children_part_sek"]) for m in doc["members"]) == Decimal("3650000.00")
    assert sum(Decimal(m["placements_part_sek"]) for m in doc["members"]) == Decimal("3650000.00")
    assert doc["status"] == "preliminary" and doc["adoption"] is None and doc["changes_since_adoption"] is None
    for m in doc["members"]:
        assert set(m) >= {"municipality", "name", "children", "placed_children", "children_share",
                          "placements_share", "share", "amount_sek", "membership_days", "pro_rata"}
        assert abs(Decimal(m["amount_sek"]) - Decimal("7300000.00") * Decimal(m["share"])) < Decimal("0.01")
    r = api.call("GET", "/api/allocations/2026?format=csv", "steering")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    table = rows(r.text)
    assert [t["amount_sek"] for t in table[:-1]] == [by[c]["amount_sek"] for c in sorted(MEMBERS)]
    assert table[-1]["municipality"] == "total" and table[-1]["amount_sek"] == "7300000.00"
    assert table[-1]["children_part_sek"] == table[-1]["placements_part_sek"] == "3650000.00"
    assert {t["status"] for t in table} == {"preliminary"}


def test_invoice_basis_for_own_member_only(api: Api) -> None:
    ids = year_2026(api)
    doc = api.call("GET", "/api/allocations/2026", "steering").json()
    solna = next(m for m in doc["members"] if m["municipality"] == "0184")
    r = api.call("GET", "/api/allocations/2026/invoices/0184?format=csv", "municipality")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    items = {row["item"]: row["value"] for row in rows(r.text)}
    assert items["amount_sek"] == solna["amount_sek"] and items["share"] == solna["share"]
    assert items["children"] == "15820" and items["children_total"] == str(doc["children_total"])
    assert items["pool_placement_ids"] == " ".join(ids["solna"])
    assert items["placed_children"] == "176" and items["placed_children_total"] == str(sum(PLACED_2025.values()))
    assert items["population_source"] == "SCB 2025-12-31 0184" and items["placed_children_source"] == "IFO 0184"
    assert items["status"] == "preliminary"
    r = api.call("GET", "/api/allocations/2026/invoices/0184", "municipality")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = pdf_text(r.content)
    amount = f"{Decimal(solna['amount_sek']):,.2f}".replace(",", " ").replace(".", ",") + " kr"
    assert amount in text and "15 820" in text and "7 300 000,00 kr" in text
    assert all(i in text for i in ids["solna"]) and "2025-11-01" in text and "Preliminär" in text
    assert problem(api.call("GET", "/api/allocations/2026/invoices/0191", "municipality"))["status"] == 404
    assert api.call("GET", "/api/allocations/2026/invoices/0191?format=pdf", "steering").status_code == 200
    assert api.call("GET", "/api/allocations/2026/invoices/0999", "admin").status_code == 404
    assert api.call("GET", "/api/allocations/2026/invoices/0184?format=xls", "admin").status_code == 422


def test_refusals_are_problems(api: Api) -> None:
    assert problem(api.call("GET", "/api/allocations/2026", "steering"))["status"] == 404  # no budget
    year_2026(api, population=False)
    api.pool.record_child_population(SYSTEM, "0184", 2025, children=15_820)
    settle(api)
    body = problem(api.call("GET", "/api/allocations/2026", "steering"))
    assert body["status"] == 409 and body["type"].endswith("missing-population")
    assert "0191 Sigtuna" in body["detail"] and "0184" not in body["detail"].split("for", 1)[1]
    assert problem(api.call("GET", "/api/allocations/2026/invoices/0184", "municipality"))["status"] == 409
    assert api.call("GET", "/api/allocations/1999", "steering").status_code == 422


def test_a_missing_placed_children_figure_refuses_naming_the_member_and_adopts_nothing(api: Api) -> None:
    year_2026(api, placed=False)  # the pool's own placements exist, but never stand in for the figure
    for code, n in PLACED_2025.items():
        if code != "0163":
            api.pool.record_placed_children(SYSTEM, code, 2025, children=n)
    settle(api)
    body = problem(api.call("GET", "/api/allocations/2026", "steering"))
    assert body["status"] == 409 and body["type"].endswith("missing-placed-children")
    assert body["code"] == "allocation.missing_placed_children" and "0163 Sollentuna" in body["detail"]
    assert "0184" not in body["detail"]
    before = api.pool.recorder.max_notification_id()
    assert problem(api.call("POST", "/api/allocations/2026/adopt", "steering", json={}))["status"] == 409
    assert api.pool.recorder.max_notification_id() == before  # nothing was written
    assert api.pool.adopted_allocation(2026) is None


def test_placed_children_are_recorded_by_the_steering_group_or_the_administrator(api: Api) -> None:
    r = api.call("PUT", "/api/members/0184/placed-children/2025", "steering",
                 json={"children": 176, "source": "IFO, uttag 2025-11-03"})
    assert r.status_code == 200, r.text
    assert r.json() == {"municipality": "0184", "year": 2025, "children": 176, "source": "IFO, uttag 2025-11-03",
                        "version": r.json()["version"]}
    assert api.call("PUT", "/api/members/0184/placed-children/2025", "admin", json={"children": 177}).status_code == 200
    settle(api)
    listed = {m["municipality"]: m for m in api.call("GET", "/api/members", "steering").json()["items"]}
    assert listed["0184"]["placed_children"] == {"2025": {"children": 177, "source": ""}}
    before = api.pool.member("0184").version
    for who, body, status in (("municipality", {"children": 3}, 403), ("pool_staff", {"children": 3}, 403),
                              ("steering", {"children": -1}, 422), ("steering", {"children": 100_001}, 422),
                              ("steering", {}, 422)):
        assert api.call("PUT", "/api/members/0184/placed-children/2025", who, json=body).status_code == status
    assert api.call("PUT", "/api/members/0138/placed-children/2025", "steering", json={"children": 1}).status_code == 404
    assert api.pool.member("0184").version == before  # refusals record no figure


def test_statistics_period_member_and_csv(api: Api) -> None:
    year_2026(api)
    r = api.call("GET", "/api/statistics?start=2025-01-01&end=2025-12-31", "steering")
    assert r.status_code == 200, r.text
    stats = r.json()
    assert stats["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    solna = next(p for p in stats["placements"] if p["municipality"] == "0184")
    assert solna["started"] == 4 and stats["placements_total"]["started"] == 5
    assert api.call("GET", "/api/statistics", "pool_staff").json()["period"]["start"].endswith("-01-01")
    one = api.call("GET", "/api/statistics?start=2025-01-01&end=2025-12-31&municipality=0191", "admin").json()
    assert one["municipality"] == "0191" and [p["municipality"] for p in one["placements"]] == ["0191"]
    r = api.call("GET", "/api/statistics?start=2025-01-01&end=2025-12-31&format=csv", "steering")
    assert r.headers["content-type"].startswith("text/csv")
    assert {"section": "placements", "item": "0184 Solna", "key": "started", "value": "4"} in rows(r.text)
    for bad in ("start=2026-02-01&end=2026-01-31", "municipality=0999", "start=1999-12-31", "format=xml"):
        assert problem(api.call("GET", f"/api/statistics?{bad}", "steering"))["status"] == 422, bad
    assert api.call("GET", "/api/statistics", "municipality").status_code == 403


def test_non_executed_report_by_quarter_and_member(api: Api) -> None:
    ids = {}
    for key, who, decided in (("a", SOLNA, "2026-01-10"), ("b", SOLNA, "2026-02-01"), ("c", SIGTUNA, "2026-01-20"),
                              ("d", SOLNA, "2026-05-01")):
        ids[key] = str(api.pool.register_referral(who, **referral_data(decision_date=decided)).id)
    ids["lvu"] = str(api.pool.register_referral(SOLNA, **referral_data(decision_date="2026-01-15",
                                                                       legal_basis="LVU")).id)
    r = api.call("PUT", f"/api/referrals/{ids['b']}/non-execution-reason", "municipality",
                 json={"reason": "person_declined"})
    assert r.status_code == 200, r.text
    for bad in ({"reason": "staff on leave"}, {"reason": "other", "note": "x"}, {}):
        assert problem(api.call("PUT", f"/api/referrals/{ids['b']}/non-execution-reason", "municipality",
                                json=bad))["status"] == 422, bad
    assert problem(api.call("PUT", f"/api/referrals/{ids['c']}/non-execution-reason", "municipality",
                            json={"reason": "other"}))["status"] == 404  # Sigtuna's referral, asked by Solna
    assert problem(api.call("PUT", f"/api/referrals/{ids['b']}/non-execution-reason", "municipality",
                            json={"reason": "person_declined"}))["code"] == "referral.reason_unchanged"
    settle(api)
    r = api.call("GET", "/api/reports/non-executed?year=2026&quarter=2", "steering")
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["quarter_end"], report["decided_before"], report["total"]) == ("2026-06-30", "2026-03-30", 3)
    assert [(i["referral_id"], i["legal_basis"], i["decision_date"], i["days_waited"], i["reason"])
            for i in report["items"]] == [(ids["a"], "SoL", "2026-01-10", 171, None),
                                          (ids["b"], "SoL", "2026-02-01", 149, "person_declined"),
                                          (ids["c"], "SoL", "2026-01-20", 161, None)]
    assert [i["referral_id"] for i in report["not_reportable"]] == [ids["lvu"]] and report["executed"] == []
    own = api.call("GET", "/api/reports/non-executed?year=2026&quarter=2", "municipality").json()
    assert {row["municipality"] for row in own["items"] + own["not_reportable"]} == {"0184"}
    other = api.call("GET", "/api/reports/non-executed?year=2026&quarter=2&format=csv", "other_municipality")
    assert [(x["status"], x["code"], x["days_waited"]) for x in rows(other.text)] == [
        ("not_executed", referral_code(ids["c"]), "161")]
    assert api.call("GET", "/api/reports/non-executed?year=2026&quarter=1", "admin").json()["items"] == []
    for bad in ("year=2026&quarter=5", "year=2026", "quarter=2"):
        assert problem(api.call("GET", f"/api/reports/non-executed?{bad}", "steering"))["status"] == 422, bad
    assert api.call("GET", "/api/reports/non-executed", "pool_staff").status_code == 200
