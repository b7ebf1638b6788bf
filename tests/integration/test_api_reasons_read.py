"""Issue 12 §3 on both backends: each recorded message and reason is readable by the roles it concerns,
and each read leaves an audit entry naming what was read; others get 404."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.integration.test_api_support import Api, api, http_published_family, http_referral  # noqa: F401
from tests.integration.test_web_session import sign_in


def audited_fields(api: Api, interest_id: str) -> list[tuple[str, list[str]]]:
    """The reads of the interest's sealed texts in the audit trail: who, and which fields."""
    r = api.call("GET", f"/api/audit?aggregate={interest_id}", "pool_staff")
    assert r.status_code == 200, r.text
    return [(e["actor"]["username"], e["access"]["fields"]) for e in r.json()["items"]
            if e["entry_type"] == "access" and e["access"]["subject_id"] == interest_id]


def test_message_decline_and_out_of_turn_reasons_are_read_by_those_concerned_and_audited(api: Api) -> None:
    family_id = http_published_family(api)
    r = api.call("POST", f"/api/catalogue/{family_id}/interest", "municipality",
                 json={"referral_id": http_referral(api), "message": "Barnet behöver börja skolan i januari."})
    assert r.status_code == 201, r.text
    declined = r.json()["id"]
    # Pool staff read the municipality's message, audited.
    r = api.call("GET", f"/api/interests/{declined}/reasons?purpose=Dnr%202026/1", "pool_staff")
    assert r.status_code == 200 and r.json()["message"] == "Barnet behöver börja skolan i januari."
    assert ("pia.staff", ["message"]) in audited_fields(api, declined)
    # The pool declines with a reason; Solna (whose interest it is) reads it, audited; Sigtuna cannot.
    r = api.call("POST", f"/api/interests/{declined}/decline", "pool_staff", json={"reason": "Familjen har tackat nej."})
    assert r.status_code == 200, r.text
    r = api.call("GET", f"/api/interests/{declined}/reasons", "municipality")
    assert r.status_code == 200 and r.json()["decline_reason"] == "Familjen har tackat nej."
    assert ("sara.solna", ["message", "decline_reason"]) in audited_fields(api, declined)
    assert api.call("GET", f"/api/interests/{declined}/reasons", "other_municipality").status_code == 404
    sara = TestClient(api.client.app)  # and on the interest's web page
    sign_in(sara, "sara.solna")
    page = sara.get(f"/intressen/{declined}").text
    assert "Familjen har tackat nej." in page and "Barnet behöver börja skolan i januari." in page
    # Out of turn: Sigtuna first, Solna brokered before it; Solna reads the written reason, audited.
    early = api.call("POST", f"/api/catalogue/{family_id}/interest", "other_municipality", json={}).json()["id"]
    late = api.call("POST", f"/api/catalogue/{family_id}/interest", "municipality", json={}).json()["id"]
    r = api.call("POST", f"/api/interests/{late}/broker", "pool_staff",
                 json={"reason_code": "other", "reason": "Syskon är redan placerade här."})
    assert r.status_code == 200, r.text
    r = api.call("GET", f"/api/interests/{late}/reasons", "municipality")
    assert r.status_code == 200 and r.json()["broker_reason"] == "Syskon är redan placerade här."
    assert ("sara.solna", ["broker_reason"]) in audited_fields(api, late)
    assert "Syskon" not in api.call("GET", f"/api/interests/{early}/reasons", "other_municipality").text
    # An empty message opens to nothing and records no read.
    r = api.call("GET", f"/api/interests/{early}/reasons", "pool_staff")
    assert r.json()["message"] == "" and audited_fields(api, early) == []
