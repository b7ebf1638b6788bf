"""Decisions and their reasons over HTTP on both backends: a concern needs a motivation; staff read the reasons."""

from __future__ import annotations

from tests.factories import family_data
from tests.integration.test_api_support import ALL_STEPS, Api, api, problem  # noqa: F401


def investigated(api: Api, concern: str | None = None) -> str:
    r = api.call("POST", "/api/families", "pool_staff", json=family_data())
    assert r.status_code == 201, r.text
    family = r.json()["id"]
    for step in ALL_STEPS:
        r = api.call("POST", f"/api/families/{family}/investigation", "pool_staff",
                     json={"step": step, "outcome": "concern" if step == concern else "clear", "note": "ok"})
        assert r.status_code == 200, r.text
    return family


def test_a_concern_needs_a_motivation_which_staff_read_audited(api: Api) -> None:
    family = investigated(api, concern="social_register")
    before = api.pool.recorder.max_notification_id()
    r = api.call("POST", f"/api/families/{family}/approve", "pool_staff", json={})
    body = problem(r)
    assert (r.status_code, body["code"], body["errors"][0]["field"]) == (422, "family.concern_needs_motivation",
                                                                         "motivation")
    assert api.pool.recorder.max_notification_id() == before
    motivation = "Anmärkningen gäller 2009 och är utredd med referenser."
    r = api.call("POST", f"/api/families/{family}/approve", "pool_staff", json={"motivation": motivation})
    assert r.status_code == 200, r.text
    detail = api.call("GET", f"/api/families/{family}?purpose=Dnr%202026/7", "pool_staff").json()
    assert detail["approval_motivation"] == motivation and detail["closing_reason"] is None
    stored = api.pool.recorder.select_notifications(start=1, limit=10_000)
    assert all(motivation.encode() not in e.state for e in stored)  # sealed in the event store

    rejected = investigated(api)
    assert api.call("POST", f"/api/families/{rejected}/approve", "pool_staff").status_code == 200  # no concern
    other = investigated(api)
    r = api.call("POST", f"/api/families/{other}/reject", "pool_staff", json={"reason": "Drog tillbaka sin ansökan."})
    assert r.status_code == 200, r.text
    detail = api.call("GET", f"/api/families/{other}?purpose=Dnr%202026/8", "pool_staff").json()
    assert detail["closing_reason"] == "Drog tillbaka sin ansökan."
    audit = api.call("GET", f"/api/audit?subject_id={other}", "pool_staff").json()["items"]
    reads = [e["access"] for e in audit if e.get("access")]
    assert any("closing reason" in a["fields"] and a["purpose"] == "Dnr 2026/8" for a in reads), reads
