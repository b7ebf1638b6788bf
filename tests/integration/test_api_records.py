"""Maintaining records over HTTP on both backends: household, contact, offer; closing and erasing a referral."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest

from tests.integration.test_api_support import Api, api, http_published_family, http_referral, problem, start_api  # noqa: F401

ADULT = {"name": "Mona Nysson", "personal_number": "19721212-1219"}
CONTACT = {"address": "Nygatan 1", "postal_code": "19131", "city": "Sollentuna", "phone": "070-999 88 77",
           "email": ""}
PREFS = {"child_age_min": 4, "child_age_max": 12, "max_children": 2, "siblings_ok": True, "languages": ["sv"]}


@pytest.fixture
def api_no_retention(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    monkeypatch.setenv("FAMILJEPOOL_REFERRAL_RETENTION_DAYS", "0")
    yield from start_api(database_url, monkeypatch)


def start_placement(api: Api, family_id: str, kind: str) -> None:
    r = api.call("POST", "/api/placements", "pool_staff", json={
        "family_id": family_id, "municipality": "0184", "kind": kind, "start_date": "2026-02-01",
        "planned_end_date": "2027-02-01", "child_birth_month": "2016-05"})
    assert r.status_code == 201, r.text


def test_household_contact_and_offer_are_updated_and_the_catalogue_follows(api: Api) -> None:
    family_id = http_published_family(api)
    referral_id = http_referral(api)  # familjehem: matching suggests the family until it no longer offers it

    def suggested() -> bool:
        r = api.call("GET", f"/api/referrals/{referral_id}/suggestions", "pool_staff")
        assert r.status_code == 200, r.text
        return family_id in [i["family_id"] for i in r.json()["items"]]

    assert suggested()
    version = api.call("GET", f"/api/families/{family_id}", "pool_staff").json()["version"]
    r = api.call("PUT", f"/api/families/{family_id}/contact", "pool_staff",
                 json={"contact": CONTACT, "home_municipality": "0191"}, headers={"If-Match": str(version)})
    assert r.status_code == 200, r.text
    assert r.json()["version"] == version + 1
    r = api.call("PUT", f"/api/families/{family_id}/household", "pool_staff",
                 json={"adults": [ADULT], "children_at_home_birth_years": [2020]})
    assert r.status_code == 200, r.text
    r = api.call("PUT", f"/api/families/{family_id}/offer", "pool_staff",
                 json={"kinds": ["jourhem"], "preferences": {**PREFS, "max_children": 3}})
    assert r.status_code == 200, r.text
    assert not suggested()
    family = api.call("GET", f"/api/families/{family_id}", "pool_staff").json()
    assert family["contact"]["phone"] == "070-999 88 77"
    assert [a["name"] for a in family["adults"]] == ["Mona Nysson"]
    assert family["record"]["home_municipality"] == "0191" and family["record"]["kinds"] == ["jourhem"]
    item = api.call("GET", f"/api/catalogue/{family_id}", "municipality").json()
    assert item["kinds"] == ["jourhem"] and item["area"]["code"] == "0191"
    assert item["preferences"]["max_children"] == 3 and item["household"]["children_at_home"] == ["0-6"]
    assert "Nygatan" not in str(item) and "Mona" not in str(item)
    stored = [e.state for e in api.pool.recorder.select_events(UUID(family_id))]
    assert not any(b"Nygatan" in s or b"Mona" in s for s in stored)  # sealed in the events


def test_bad_input_is_422_and_writes_nothing(api: Api) -> None:
    family_id = http_published_family(api)
    before = api.pool.recorder.max_notification_id()
    r = api.call("PUT", f"/api/families/{family_id}/household", "pool_staff",
                 json={"adults": [{"name": "X", "personal_number": "19721212-1218"}]})
    assert r.status_code == 422 and problem(r)["errors"][0]["field"] == "adults[0].personal_number"
    r = api.call("PUT", f"/api/families/{family_id}/contact", "pool_staff",
                 json={"contact": CONTACT, "home_municipality": "9999"})
    assert r.status_code == 422
    r = api.call("PUT", f"/api/families/{family_id}/offer", "pool_staff",
                 json={"kinds": [], "preferences": PREFS})
    assert r.status_code == 422
    r = api.call("PUT", f"/api/families/{family_id}/offer", "pool_staff",
                 json={"kinds": ["familjehem"], "preferences": {**PREFS, "languages": ["klingonska"]}})
    assert r.status_code == 422
    r = api.call("PUT", f"/api/families/{family_id}/contact", "municipality", json={"contact": CONTACT})
    assert r.status_code == 403
    assert api.pool.recorder.max_notification_id() == before


def test_an_offer_change_never_breaks_an_active_placement(api: Api) -> None:
    family_id = http_published_family(api)
    start_placement(api, family_id, "familjehem")
    start_placement(api, family_id, "jourhem")
    before = api.pool.recorder.max_notification_id()
    r = api.call("PUT", f"/api/families/{family_id}/offer", "pool_staff",
                 json={"kinds": ["jourhem"], "preferences": PREFS}, headers={"Accept-Language": "sv"})
    assert r.status_code == 409 and problem(r)["code"] == "family.kind_in_use"
    assert "familjehem" in problem(r)["detail"]
    r = api.call("PUT", f"/api/families/{family_id}/offer", "pool_staff",
                 json={"kinds": ["familjehem", "jourhem"], "preferences": {**PREFS, "max_children": 1}})
    assert r.status_code == 409 and problem(r)["code"] == "family.capacity_below_placements"
    assert api.pool.recorder.max_notification_id() == before
    r = api.call("PUT", f"/api/families/{family_id}/offer", "pool_staff",
                 json={"kinds": ["familjehem", "jourhem", "kontaktfamilj"], "preferences": PREFS})
    assert r.status_code == 200, r.text


def test_a_referral_is_closed_with_an_outcome_by_its_municipality_or_staff(api: Api) -> None:
    referral_id = http_referral(api)
    before = api.pool.recorder.max_notification_id()
    r = api.call("POST", f"/api/referrals/{referral_id}/close", "municipality", json={"outcome": "placed_through_pool"})
    assert r.status_code == 409 and problem(r)["code"] == "referral.outcome_needs_placement"
    r = api.call("POST", f"/api/referrals/{referral_id}/close", "municipality", json={"outcome": "klar"})
    assert r.status_code == 422
    r = api.call("POST", f"/api/referrals/{referral_id}/close", "other_municipality", json={"outcome": "withdrawn"})
    assert r.status_code == 404
    r = api.call("POST", f"/api/referrals/{referral_id}/close", "municipality",
                 json={"outcome": "withdrawn", "closed_on": "2026-08-31"})  # the decision is of 2026-09-01
    assert r.status_code == 422 and problem(r)["code"] == "referral.closed_before_decision"
    assert api.pool.recorder.max_notification_id() == before
    r = api.call("POST", f"/api/referrals/{referral_id}/close", "municipality",
                 json={"outcome": "placed_elsewhere", "note": "Placerad i egen familj."})
    assert r.status_code == 200, r.text
    body = api.call("GET", f"/api/referrals/{referral_id}", "pool_staff").json()
    assert body["status"] == "closed" and body["outcome"] == "placed_elsewhere"
    assert body["note"] == "Placerad i egen familj." and body["child_data_erased"] is False
    r = api.call("POST", f"/api/referrals/{referral_id}/close", "pool_staff", json={"outcome": "withdrawn"})
    assert r.status_code == 409 and problem(r)["code"] == "referral.already_ended"
    staff_closed = http_referral(api)
    r = api.call("POST", f"/api/referrals/{staff_closed}/close", "pool_staff", json={"outcome": "no_longer_needed"})
    assert r.status_code == 200, r.text


def test_erasing_before_the_retention_period_is_refused(api: Api) -> None:
    referral_id = http_referral(api)
    api.call("POST", f"/api/referrals/{referral_id}/close", "municipality", json={"outcome": "no_longer_needed"})
    before = api.pool.recorder.max_notification_id()
    r = api.call("POST", f"/api/referrals/{referral_id}/erase", "municipality")
    assert r.status_code == 409 and problem(r)["code"] == "referral.retention_not_passed"
    assert "365" in problem(r)["detail"]
    assert api.pool.recorder.max_notification_id() == before
    assert api.call("GET", f"/api/referrals/{referral_id}", "municipality").json()["needs"]


def test_a_closed_referral_is_erased_after_the_retention_period(api_no_retention: Api) -> None:
    api = api_no_retention
    referral_id = http_referral(api)
    r = api.call("POST", f"/api/referrals/{referral_id}/erase", "pool_staff")
    assert r.status_code == 409 and problem(r)["code"] == "referral.not_closed"
    api.call("POST", f"/api/referrals/{referral_id}/close", "municipality", json={"outcome": "withdrawn", "note": "N"})
    r = api.call("POST", f"/api/referrals/{referral_id}/erase", "municipality")
    assert r.status_code == 200, r.text
    body = api.call("GET", f"/api/referrals/{referral_id}", "municipality").json()
    assert body["child_data_erased"] is True and body["needs"] == "" and body["note"] == ""
    assert body["outcome"] == "withdrawn" and body["status"] == "closed"
    assert not api.pool.sealer.can_unseal(UUID(referral_id))
    r = api.call("POST", f"/api/referrals/{referral_id}/erase", "pool_staff")
    assert r.status_code == 409 and problem(r)["code"] == "referral.already_erased"
