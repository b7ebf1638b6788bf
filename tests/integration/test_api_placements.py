"""Consistent placements and proposals over HTTP on both backends: 409/422 with their codes, nothing written on
refusal; the age override shown (audited); overdue placements listed, counted, extended and ended."""

from __future__ import annotations

from datetime import date
from typing import Any

from pool.domain.referral import Referral
from tests.conftest import SOLNA
from tests.factories import family_data, referral_data
from tests.integration.test_api_support import (  # noqa: F401
    Api,
    api,
    http_published_family,
    http_referral,
    problem,
)

PLACEMENT = {"municipality": "0184", "kind": "familjehem", "start_date": "2026-10-01",
             "planned_end_date": "2027-10-01", "child_birth_month": "2016-05"}


def head(api: Api) -> int:
    return api.pool.recorder.max_notification_id() or 0


def refused(api: Api, method: str, path: str, body: Any, status: int, code: str, field: str | None = None,
            who: str = "pool_staff") -> None:
    before = head(api)
    r = api.call(method, path, who, json=body)
    assert r.status_code == status, r.text
    p = problem(r)
    assert p["code"] == code, p
    if field is not None:
        assert p["field"] == field, p
    assert head(api) == before, "a refusal wrote something"


def test_a_referral_under_an_act_that_does_not_fit_its_kind_is_422(api: Api) -> None:
    for kind, basis in [("korttidsfamilj", "SoL"), ("kontaktperson", "LVU"), ("familjehem", "LSS")]:
        refused(api, "POST", "/api/referrals", referral_data(kind=kind, legal_basis=basis), 422,
                "referral.basis_not_for_kind", "legal_basis", who="municipality")
    assert http_referral(api, kind="korttidsfamilj", legal_basis="LSS")


def test_a_family_is_proposed_only_for_a_kind_it_offers(api: Api) -> None:
    jourhem_only = http_published_family(api, kinds=["jourhem"])
    offers = http_published_family(api)
    referral_id = http_referral(api)  # familjehem
    refused(api, "POST", f"/api/referrals/{referral_id}/proposals", {"family_ids": [offers, jourhem_only]}, 409,
            "referral.family_kind_not_offered")
    r = api.call("POST", f"/api/referrals/{referral_id}/proposals", "pool_staff", json={"family_ids": [offers]})
    assert r.status_code == 200, r.text


def test_inconsistent_placements_are_refused_and_write_nothing(api: Api) -> None:
    family_id = http_published_family(api)  # familjehem and jourhem, children 4-12
    referral_id = http_referral(api)  # familjehem under SoL, decided 2026-09-01
    base = {**PLACEMENT, "family_id": family_id, "referral_id": referral_id}
    refused(api, "POST", "/api/placements", {**base, "kind": "kontaktperson", "referral_id": None}, 409,
            "family.kind_not_offered")
    refused(api, "POST", "/api/placements", {**base, "kind": "jourhem"}, 409, "placement.kind_not_referral_kind")
    refused(api, "POST", "/api/placements", {**base, "start_date": "2026-08-31"}, 422,
            "placement.start_before_decision", "start_date")
    refused(api, "POST", "/api/placements", {**base, "planned_end_date": "2026-10-01"}, 422,
            "placement.end_before_start", "planned_end_date")
    refused(api, "POST", "/api/placements", {**base, "child_birth_month": "2023-01"}, 409,
            "placement.child_age_outside_range")
    refused(api, "POST", "/api/placements", {**base, "child_birth_month": "2023-01", "age_override": True}, 422,
            "placement.override_reason_missing", "age_override_reason")
    r = api.call("POST", "/api/placements", "pool_staff",
                 json={**base, "child_birth_month": "2023-01", "age_override": True,
                       "age_override_reason": "Placeras med sitt äldre syskon."})
    assert r.status_code == 201, r.text
    placement_id = r.json()["id"]
    listed = api.call("GET", "/api/placements", "municipality").json()["items"]
    assert [(p["id"], p["age_override"]) for p in listed] == [(placement_id, True)]
    assert "Placeras med" not in str(listed)  # the reason is read one placement at a time, audited
    detail = api.call("GET", f"/api/placements/{placement_id}?purpose=SN%202026/1", "pool_staff").json()
    assert detail["age_override"] and detail["age_override_reason"] == "Placeras med sitt äldre syskon."
    assert api.call("GET", f"/api/placements/{placement_id}", "municipality").json()["age_override_reason"]
    assert api.call("GET", f"/api/placements/{placement_id}", "other_municipality").status_code == 404
    items = api.call("GET", f"/api/audit?aggregate={placement_id}", "admin").json()["items"]
    reads = [i["access"] for i in items if i["entry_type"] == "access"]
    assert len(reads) == 2 and reads[0]["fields"] == ["age_override_reason", "extensions"]


def test_a_referral_whose_act_does_not_fit_cannot_be_placed(api: Api) -> None:
    family_id = http_published_family(api, kinds=["kontaktfamilj"])
    # A referral registered before the rule: written straight to the store, as old events are.
    referral = Referral(id=api.pool.new_id(), actor=SOLNA.as_event_data(), municipality="0184", kind="kontaktfamilj",
                        legal_basis="LVU", decision_date=date(2026, 9, 1), child_birth_month="2016-05",
                        needs="x", wishes="")
    api.pool.save(referral)
    refused(api, "POST", "/api/placements", {**PLACEMENT, "family_id": family_id, "referral_id": str(referral.id),
                                             "kind": "kontaktfamilj"}, 409, "placement.referral_basis_not_for_kind")


def test_an_overdue_placement_is_listed_counted_extended_and_ended(api: Api) -> None:
    family_id = http_published_family(api)
    r = api.call("POST", "/api/placements", "pool_staff", json={
        **PLACEMENT, "family_id": family_id, "start_date": "2025-01-10", "planned_end_date": "2025-06-30"})
    assert r.status_code == 201, r.text
    overdue_id = r.json()["id"]
    r = api.call("POST", "/api/placements", "pool_staff", json={**PLACEMENT, "family_id": family_id})
    current_id = r.json()["id"]
    before = head(api)  # a placement without an override or extension opens nothing sealed: no audit entry
    plain = api.call("GET", f"/api/placements/{current_id}", "municipality").json()
    assert plain["age_override"] is False and plain["extensions"] == [] and head(api) == before
    for who in ("pool_staff", "municipality"):
        page = api.call("GET", "/api/placements?overdue=true", who).json()
        assert [(p["id"], p["overdue"], p["active"]) for p in page["items"]] == [(overdue_id, True, True)]
        assert {p["id"]: p["overdue"] for p in api.call("GET", "/api/placements?active=true", who).json()["items"]} \
            == {overdue_id: True, current_id: False}
    assert [p["id"] for p in api.call("GET", "/api/placements?overdue=false", "pool_staff").json()["items"]] \
        == [current_id]
    stats = api.call("GET", "/api/statistics", "steering").json()
    assert stats["placements_total"]["overdue"] == 1 and stats["placements_total"]["active"] == 2
    solna = next(p for p in stats["placements"] if p["municipality"] == "0184")
    assert (solna["active"], solna["overdue"]) == (2, 1)

    refused(api, "POST", f"/api/placements/{overdue_id}/extend", {"planned_end_date": "2025-06-30", "reason": "x"},
            422, "placement.extension_not_later", "planned_end_date")
    before = head(api)
    r = api.call("POST", f"/api/placements/{overdue_id}/extend", "pool_staff",
                 json={"planned_end_date": "2027-06-30", "reason": ""})
    assert r.status_code == 422 and problem(r)["errors"][0]["field"] == "reason"
    r = api.call("POST", f"/api/placements/{overdue_id}/extend", "municipality",
                 json={"planned_end_date": "2027-06-30", "reason": "x"})
    assert r.status_code == 403 and head(api) == before
    r = api.call("POST", f"/api/placements/{overdue_id}/extend", "pool_staff",
                 json={"planned_end_date": "2027-06-30", "reason": "Nytt beslut om fortsatt vård."})
    assert r.status_code == 200, r.text
    assert api.call("GET", "/api/placements?overdue=true", "pool_staff").json()["total"] == 0
    detail = api.call("GET", f"/api/placements/{overdue_id}?purpose=Dnr%202026/1", "pool_staff").json()
    assert detail["planned_end_date"] == "2027-06-30" and detail["extensions"] == [
        {"previous_planned_end_date": "2025-06-30", "planned_end_date": "2027-06-30",
         "reason": "Nytt beslut om fortsatt vård."}]

    r = api.call("POST", f"/api/placements/{overdue_id}/end", "pool_staff",
                 json={"end_date": "2026-11-30", "reason": "planned"})
    assert r.status_code == 200, r.text
    refused(api, "POST", f"/api/placements/{overdue_id}/extend", {"planned_end_date": "2028-01-01", "reason": "x"},
            409, "placement.already_ended")
    assert api.call("GET", "/api/statistics", "steering").json()["placements_total"]["active"] == 1


def test_a_placement_records_a_family_of_its_kind_only_once_capacity_allows(api: Api) -> None:
    # The consistency rules come on top of capacity: a family with one place takes one child.
    family_id = http_published_family(api, preferences={**family_data()["preferences"], "max_children": 1})
    assert api.call("POST", "/api/placements", "pool_staff",
                    json={**PLACEMENT, "family_id": family_id}).status_code == 201
    refused(api, "POST", "/api/placements", {**PLACEMENT, "family_id": family_id}, 409, "family.no_free_capacity")
