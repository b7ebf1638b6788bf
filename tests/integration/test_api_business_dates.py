"""Business dates over HTTP on both backends (issue 11): back-dated steps, publication, interest and brokering
are accepted in order, refused (422, nothing written) in the future or before what they follow, and the
statistics count in them; the checklist keeps each step's date and history (issue 12)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.factories import family_data
from tests.integration.test_api_support import ALL_STEPS, Api, api, http_referral, http_reviewed_description, problem  # noqa: F401


def ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def refused(api: Api, path: str, who: str, json: dict, code: str, field: str) -> None:
    before = api.pool.recorder.max_notification_id()
    r = api.call("POST", path, who, json=json)
    body = problem(r)
    assert (r.status_code, body["code"], body["errors"][0]["field"]) == (422, code, field), body
    assert api.pool.recorder.max_notification_id() == before  # nothing written


def test_a_back_dated_history_is_accepted_in_order_and_counted_in_its_dates(api: Api) -> None:
    r = api.call("POST", "/api/families", "pool_staff", json=family_data(applied_on=ago(100)))
    assert r.status_code == 201, r.text
    family = r.json()["id"]
    step = f"/api/families/{family}/investigation"
    refused(api, step, "pool_staff", {"step": "interview", "outcome": "clear", "step_done_on": ago(101)},
            "value.date_before_predecessor", "step_done_on")
    refused(api, step, "pool_staff", {"step": "interview", "outcome": "clear", "step_done_on": ago(-1)},
            "value.date_in_future", "step_done_on")
    for name in ALL_STEPS:
        r = api.call("POST", step, "pool_staff", json={"step": name, "outcome": "clear", "note": "ok",
                                                      "step_done_on": ago(90)})
        assert r.status_code == 200, r.text
    # Recorded again: the checklist keeps the earlier record with its date.
    r = api.call("POST", step, "pool_staff", json={"step": "interview", "outcome": "clear", "note": "Andra samtalet.",
                                                  "step_done_on": ago(80)})
    assert r.status_code == 200, r.text
    approve = f"/api/families/{family}/approve"
    refused(api, approve, "pool_staff", {"approved_on": ago(85)}, "value.date_before_predecessor", "approved_on")
    assert api.call("POST", approve, "pool_staff", json={"approved_on": ago(70)}).status_code == 200
    http_reviewed_description(api, family, "Aktiv familj med hund, nära skog och sjö.")
    publish = f"/api/families/{family}/publish"
    refused(api, publish, "pool_staff", {"published_on": ago(75)}, "value.date_before_predecessor", "published_on")
    refused(api, publish, "pool_staff", {"published_on": ago(-2)}, "value.date_in_future", "published_on")
    assert api.call("POST", publish, "pool_staff", json={"published_on": ago(60)}).status_code == 200

    detail = api.call("GET", f"/api/families/{family}?purpose=Dnr%202026/9", "pool_staff").json()
    interview = detail["checklist"]["interview"]
    assert (interview["step_done_on"], interview["note"]) == (ago(80), "Andra samtalet.")
    assert [(h["step_done_on"], h["note"]) for h in interview["history"]] == [(ago(90), "ok")]
    assert detail["checklist"]["police_register"]["history"] == []

    referral = http_referral(api, decision_date=ago(50), child_birth_month="2016-05")
    interest = f"/api/catalogue/{family}/interest"
    refused(api, interest, "municipality", {"referral_id": referral, "interest_on": ago(55)},
            "value.date_before_predecessor", "interest_on")
    r = api.call("POST", interest, "municipality", json={"referral_id": referral, "interest_on": ago(40)})
    assert r.status_code == 201, r.text
    interest_id = r.json()["id"]
    broker = f"/api/interests/{interest_id}/broker"
    refused(api, broker, "pool_staff", {"brokered_on": ago(41)}, "value.date_before_predecessor", "brokered_on")
    assert api.call("POST", broker, "pool_staff", json={"brokered_on": ago(30)}).status_code == 200
    placement = {"family_id": family, "municipality": "0184", "kind": "familjehem", "referral_id": referral,
                 "start_date": ago(31), "planned_end_date": ago(-300), "child_birth_month": "2016-05"}
    refused(api, "/api/placements", "pool_staff", placement, "value.date_before_predecessor", "start_date")
    r = api.call("POST", "/api/placements", "pool_staff", json={**placement, "start_date": ago(20)})
    assert r.status_code == 201, r.text

    assert api.client.app.state.read_models.wait_for(  # type: ignore[attr-defined]
        api.pool.recorder.max_notification_id(), timeout=10)
    stats = api.call("GET", f"/api/statistics?start={ago(365)}&end={ago(0)}", "steering").json()
    funnel = {s["step"]: s for s in stats["funnel"]}
    assert [funnel[s]["count"] for s in ("applied", "approved", "published", "first_placement")] == [1, 1, 1, 1]
    assert [funnel[s]["median_days"] for s in ("approved", "published", "first_placement")] == [30, 10, 40]
    steps = {s["step"]: s["median_days"] for s in stats["time_from_decision"]}
    assert (steps["brokering"], steps["placement"]) == (20, 30)
    mine = api.call("GET", "/api/interests", "municipality").json()["items"]
    assert [i["expressed_at"][:10] for i in mine] == [ago(40)]
