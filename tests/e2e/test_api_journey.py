"""The whole journey over HTTP on both backends, then what a second municipality cannot see."""

from __future__ import annotations

from datetime import date, timedelta

import re

import pytest

from tests.factories import family_data, referral_data
from tests.integration.test_api_support import ALL_STEPS, Api, http_reviewed_description, problem, start_api

# Brokered today, so placed (and ended) today: a placement may not start before its brokering.
TODAY = date.today().isoformat()
NEXT_YEAR = (date.today() + timedelta(days=365)).isoformat()


@pytest.fixture
def api(database_url: str, monkeypatch: pytest.MonkeyPatch):
    yield from start_api(database_url, monkeypatch)


def test_apply_to_end_of_placement_and_isolation(api: Api) -> None:
    # Apply and investigate.
    r = api.call("POST", "/api/families", "pool_staff", json=family_data())
    assert r.status_code == 201 and r.json()["status"] == "applied"
    family_id = r.json()["id"]
    for step in ALL_STEPS:
        r = api.call("POST", f"/api/families/{family_id}/investigation", "pool_staff",
                     json={"step": step, "outcome": "clear", "note": f"{step} utan anmärkning"})
        assert r.status_code == 200, r.text
    register = api.call("GET", "/api/families?status=under_investigation", "pool_staff").json()
    assert [i["id"] for i in register["items"]] == [family_id]
    assert "Kalle Testsson" in register["items"][0]["names"]
    # Approve, train, publish.
    assert api.call("POST", f"/api/families/{family_id}/approve", "pool_staff").status_code == 200
    r = api.call("POST", f"/api/families/{family_id}/training", "pool_staff",
                 json={"course": "ett-hem-att-vaxa-i", "completed_on": "2026-02-01"})
    assert r.status_code == 200
    # Pia writes the description, Per (a second consultant) reviews it, then it is published.
    http_reviewed_description(api, family_id, "Aktiv familj med hund, nära skog och sjö.")
    r = api.call("POST", f"/api/families/{family_id}/publish", "pool_staff")
    assert r.status_code == 200
    detail = api.call("GET", f"/api/families/{family_id}", "pool_staff").json()
    assert detail["adults"][0]["personal_number"] == "19721212-1219" and detail["status"] == "published"

    # The municipality browses, registers a referral, expresses interest.
    catalogue = api.call("GET", "/api/catalogue?kind=familjehem&child_age=9&available=true", "municipality").json()
    assert catalogue["total"] == 1
    item = catalogue["items"][0]
    assert item["id"] == family_id and item["code"]
    # Personal values must not appear outside the ids (a random UUID may contain "1972" by chance).
    shown = str({k: v for k, v in item.items() if k not in ("id", "family_id")})
    assert "Kalle" not in shown and "1972" not in shown and "19721212" not in str(item)
    assert api.call("GET", f"/api/catalogue/{family_id}", "municipality").json()["id"] == family_id
    r = api.call("POST", "/api/referrals", "municipality", json=referral_data())
    assert r.status_code == 201 and r.json()["status"] == "open"
    referral_id = r.json()["id"]
    r = api.call("POST", f"/api/referrals/{referral_id}/proposals", "pool_staff", json={"family_ids": [family_id]})
    assert r.status_code == 200
    referral = api.call("GET", f"/api/referrals/{referral_id}", "municipality").json()
    assert referral["needs"].startswith("Behöver") and referral["proposed_families"][0]["family_id"] == family_id
    assert api.call("GET", f"/api/families/{family_id}/contact", "municipality").status_code == 404
    r = api.call("POST", f"/api/catalogue/{family_id}/interest", "municipality",
                 json={"referral_id": referral_id, "message": "Vi är intresserade."})
    assert r.status_code == 201, r.text
    interest_id = r.json()["id"]
    queue = api.call("GET", "/api/interests", "pool_staff").json()
    assert queue["items"][0]["id"] == interest_id and queue["items"][0]["queue_position"] == 1

    # Broker, then the municipality sees who the family is.
    r = api.call("POST", f"/api/interests/{interest_id}/broker", "pool_staff")
    assert r.status_code == 200 and r.json()["version"] == 2
    contact = api.call("GET", f"/api/families/{family_id}/contact", "municipality")
    assert contact.status_code == 200 and "Kalle Testsson" in contact.json()["names"]
    assert contact.json()["contact"]["phone"] == "070-555 12 34"

    # Placement and its end.
    r = api.call("POST", "/api/placements", "pool_staff", json={
        "family_id": family_id, "municipality": "0184", "kind": "familjehem", "referral_id": referral_id,
        "start_date": TODAY, "planned_end_date": NEXT_YEAR, "child_birth_month": "2016-05"})
    assert r.status_code == 201, r.text
    placement_id = r.json()["id"]
    mine = api.call("GET", "/api/placements", "municipality").json()
    assert [p["id"] for p in mine["items"]] == [placement_id] and mine["items"][0]["active"]
    r = api.call("POST", f"/api/placements/{placement_id}/end", "pool_staff",
                 json={"end_date": TODAY, "reason": "moved_home"})
    assert r.status_code == 200
    assert api.call("GET", "/api/placements?active=false", "municipality").json()["total"] == 1

    # The audit shows the reads of personal data.
    audit = api.call("GET", f"/api/audit?aggregate={family_id}", "admin").json()
    vias = {i.get("access", {}).get("via") for i in audit["items"]}
    assert {"GET /api/families/{id}", "GET /api/families/{id}/contact"} <= vias

    # A second municipality sees none of it.
    other = "other_municipality"
    assert api.call("GET", "/api/referrals", other).json() == {"items": [], "total": 0, "as_of": None}
    assert api.call("GET", "/api/interests", other).json() == {"items": [], "total": 0, "as_of": None}
    assert api.call("GET", "/api/placements", other).json() == {"items": [], "total": 0, "as_of": None}
    for method, path in [("GET", f"/api/referrals/{referral_id}"), ("POST", f"/api/referrals/{referral_id}/withdraw"),
                         ("POST", f"/api/interests/{interest_id}/withdraw"),
                         ("GET", f"/api/families/{family_id}/contact")]:
        r = api.call(method, path, other)
        assert r.status_code == 404, (method, path, r.status_code)
        # Same as a missing one; the detail names the id asked for, a UUID that may hold "0184" by chance.
        text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", r.text)
        assert problem(r) and "0184" not in text and "Kalle" not in text
    r = api.call("POST", f"/api/catalogue/{family_id}/interest", other, json={"referral_id": referral_id})
    assert r.status_code == 404
