"""Adopted allocations over HTTP on SQLite and PostgreSQL: later events never change them, the diff shows them."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import SYSTEM
from tests.integration.test_api_allocation import PLACED_2025, place, rows, settle, year_2026
from tests.integration.test_api_support import Api, api, problem  # noqa: F401
from tests.unit.test_reports import pdf_text


def amounts(doc: dict) -> dict[str, str]:
    return {m["municipality"]: m["amount_sek"] for m in doc["members"]}


def test_an_adopted_allocation_is_unchanged_by_later_events_and_the_diff_is_right(api: Api) -> None:
    year_2026(api)
    preliminary = api.call("GET", "/api/allocations/2026", "steering").json()
    r = api.call("POST", "/api/allocations/2026/adopt", "steering", json={})
    assert r.status_code == 201, r.text
    adopted = r.json()
    assert adopted["status"] == "adopted" and adopted["adoption"]["version"] == 1
    assert adopted["adoption"]["adopted_by"] == "stina.steering"
    assert amounts(adopted) == amounts(preliminary)
    assert adopted["changes_since_adoption"]["changed"] is False
    # Later: a back-dated placement in Sundbyberg, a corrected population figure and a corrected placed figure.
    late = place(api, "0183", "2025-09-15")
    api.pool.record_child_population(SYSTEM, "0191", 2025, children=9_985, source="SCB, rättad")
    api.pool.record_placed_children(SYSTEM, "0183", 2025, children=PLACED_2025["0183"] + 40, source="IFO, rättad")
    settle(api)
    doc = api.call("GET", "/api/allocations/2026", "municipality").json()
    assert doc["status"] == "adopted" and amounts(doc) == amounts(adopted)
    assert {m["municipality"]: (m["children"], m["placed_children"], m["pool_placement_ids"])
            for m in doc["members"]} == {m["municipality"]: (m["children"], m["placed_children"],
                                                             m["pool_placement_ids"]) for m in adopted["members"]}
    # The diff: today's inputs give what a fresh computation gives, member by member.
    today = api.client.app.state.read_models.allocation(2026)  # type: ignore[attr-defined]
    now = {m.municipality: m for m in today.members}
    changes = doc["changes_since_adoption"]
    assert changes["computable"] and changes["changed"]
    by = {c["municipality"]: c for c in changes["members"]}
    for code, c in by.items():
        assert Decimal(c["current_amount_sek"]) == now[code].amount_sek
        assert Decimal(c["difference_sek"]) == now[code].amount_sek - Decimal(amounts(adopted)[code])
    assert sum(Decimal(c["difference_sek"]) for c in by.values()) == 0  # same budget
    assert (by["0183"]["adopted_placed_children"], by["0183"]["current_placed_children"]) == (
        PLACED_2025["0183"], PLACED_2025["0183"] + 40)
    assert (by["0183"]["adopted_pool_placements"], by["0183"]["current_pool_placements"]) == (0, 1)
    assert late in now["0183"].pool_placement_ids
    assert (by["0191"]["adopted_children"], by["0191"]["current_children"]) == (9_685, 9_985)
    assert Decimal(by["0183"]["difference_sek"]) > 0 and Decimal(by["0184"]["difference_sek"]) < 0
    assert not by["0114"]["changed"] or Decimal(by["0114"]["difference_sek"]) != 0
    # The CSV, the invoice bases (CSV, PDF) show the adopted version.
    table = rows(api.call("GET", "/api/allocations/2026?format=csv", "steering").text)
    assert {(t["status"], t["version"]) for t in table} == {("adopted", "1")}
    assert {t["municipality"]: t["amount_sek"] for t in table[:-1]} == amounts(adopted)
    items = {i["item"]: i["value"] for i in rows(api.call(
        "GET", "/api/allocations/2026/invoices/0183?format=csv", "steering").text)}
    assert items["amount_sek"] == amounts(adopted)["0183"] and items["status"] == "adopted"
    assert items["version"] == "1" and items["placed_children"] == str(PLACED_2025["0183"])
    text = pdf_text(api.call("GET", "/api/allocations/2026/invoices/0183", "steering").content)
    assert "Fastställd av styrgruppen" in text and "version 1" in text


def test_re_adoption_needs_a_reason_and_every_version_stays_readable(api: Api) -> None:
    year_2026(api)
    assert api.call("POST", "/api/allocations/2026/adopt", "admin", json={}).status_code == 403
    assert api.call("POST", "/api/allocations/2026/adopt", "municipality", json={}).status_code == 403
    assert api.pool.adopted_allocation(2026) is None
    first = api.call("POST", "/api/allocations/2026/adopt", "steering", json={}).json()
    api.pool.record_child_population(SYSTEM, "0184", 2025, children=16_820, source="SCB, rättad")
    settle(api)
    before = api.pool.recorder.max_notification_id()
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        body_ = problem(api.call("POST", "/api/allocations/2026/adopt", "steering", json=body))
        assert body_["status"] == 422 and body_["code"] == "allocation.reason_required"
    assert api.pool.recorder.max_notification_id() == before  # nothing was written
    r = api.call("POST", "/api/allocations/2026/adopt", "steering",
                 json={"reason": "Rättat befolkningstal för Solna (SCB)"})
    assert r.status_code == 201, r.text
    second = r.json()
    assert second["adoption"] == {**second["adoption"], "version": 2, "versions": 2,
                                  "reason": "Rättat befolkningstal för Solna (SCB)"}
    assert {m["municipality"]: m["children"] for m in second["members"]}["0184"] == 16_820
    assert second["changes_since_adoption"]["changed"] is False
    one = api.call("GET", "/api/allocations/2026?version=1", "steering").json()
    assert one["adoption"]["version"] == 1 and one["adoption"]["versions"] == 2
    assert amounts(one) == amounts(first) != amounts(second)
    assert one["changes_since_adoption"]["changed"] is True  # today's inputs differ from version 1
    assert rows(api.call("GET", "/api/allocations/2026?version=1&format=csv", "steering").text)[0]["version"] == "1"
    assert problem(api.call("GET", "/api/allocations/2026?version=3", "steering"))["status"] == 404
    assert problem(api.call("GET", "/api/allocations/2027?version=1", "steering"))["status"] == 404
    assert api.call("GET", "/api/allocations/2026/invoices/0184?format=csv&version=1", "municipality").status_code == 200


def test_an_adopted_year_still_reads_when_todays_inputs_give_no_allocation(api: Api) -> None:
    year_2026(api)
    assert api.call("POST", "/api/allocations/2026/adopt", "steering", json={}).status_code == 201
    api.pool.put_member(SYSTEM, "0138", name="Tyresö", joined_on="2025-06-01")  # no figures yet
    settle(api)
    doc = api.call("GET", "/api/allocations/2026", "steering").json()
    assert doc["status"] == "adopted" and "0138" not in amounts(doc)
    changes = doc["changes_since_adoption"]
    assert changes["computable"] is False and "0138 Tyresö" in changes["problem"]
