"""Versions and ETags over HTTP on both backends: GET a record, write with If-Match, a stale ETag is 412."""

from __future__ import annotations

from tests.factories import family_data
from tests.integration.test_api_support import Api, api, http_published_family, http_referral, problem  # noqa: F401


def etag_of(api: Api, path: str, who: str) -> str:
    r = api.call("GET", path, who)
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == f'"{r.json()["version"]}"', (path, r.headers.get("etag"), r.json().get("version"))
    return r.headers["etag"]


def test_a_conditional_write_after_a_get_and_a_stale_one(api: Api) -> None:
    family_id = api.call("POST", "/api/families", "pool_staff", json=family_data()).json()["id"]
    etag = etag_of(api, f"/api/families/{family_id}", "pool_staff")
    assert etag == '"1"'
    r = api.call("POST", f"/api/families/{family_id}/investigation", "pool_staff",
                 json={"step": "interview", "outcome": "clear"}, headers={"If-Match": etag})
    assert r.status_code == 200 and r.json()["version"] == 2
    assert etag_of(api, f"/api/families/{family_id}", "pool_staff") == '"2"'
    # The ETag read before that write is stale now: 412, and nothing is written.
    r = api.call("POST", f"/api/families/{family_id}/reject", "pool_staff", json={"reason": "x"},
                 headers={"If-Match": etag})
    assert r.status_code == 412 and problem(r)["type"].endswith("version-mismatch")
    assert api.call("GET", f"/api/families/{family_id}", "pool_staff").json()["status"] != "rejected"
    # Weak form and * are taken too.
    r = api.call("POST", f"/api/families/{family_id}/investigation", "pool_staff",
                 json={"step": "home_visit", "outcome": "clear"}, headers={"If-Match": 'W/"2"'})
    assert r.status_code == 200 and r.json()["version"] == 3
    r = api.call("POST", f"/api/families/{family_id}/investigation", "pool_staff",
                 json={"step": "police_register", "outcome": "clear"}, headers={"If-Match": "*"})
    assert r.status_code == 200 and r.json()["version"] == 4
    assert api.call("POST", f"/api/families/{family_id}/reject", "pool_staff", json={"reason": "x"},
                    headers={"If-Match": '"2", "4"'}).status_code == 422


def test_catalogue_and_referral_carry_their_versions(api: Api) -> None:
    family_id = http_published_family(api)
    catalogue = etag_of(api, f"/api/catalogue/{family_id}", "municipality")
    assert catalogue == etag_of(api, f"/api/families/{family_id}", "pool_staff")
    r = api.call("POST", f"/api/families/{family_id}/unpublish", "pool_staff", headers={"If-Match": catalogue})
    assert r.status_code == 200
    referral_id = http_referral(api)
    etag = etag_of(api, f"/api/referrals/{referral_id}", "municipality")
    r = api.call("POST", f"/api/referrals/{referral_id}/withdraw", "municipality", headers={"If-Match": etag})
    assert r.status_code == 200 and f'"{r.json()["version"]}"' == etag_of(api, f"/api/referrals/{referral_id}",
                                                                          "municipality")
    r = api.call("POST", f"/api/referrals/{referral_id}/withdraw", "municipality", headers={"If-Match": etag})
    assert r.status_code == 412


def test_members_and_budgets_put_after_get(api: Api) -> None:
    etag = etag_of(api, "/api/members/0184", "municipality")
    body = {"name": "Solna stad", "joined_on": "2020-01-01"}
    r = api.call("PUT", "/api/members/0184", "admin", json=body, headers={"If-Match": etag})
    assert r.status_code == 200 and r.headers["etag"] == f'"{r.json()["version"]}"' != etag
    assert api.call("PUT", "/api/members/0184", "admin", json=body, headers={"If-Match": etag}).status_code == 412
    assert api.call("GET", "/api/members/1280", "admin").status_code == 404  # Malmö: a real kommun, not a member
    # If-Match: * on a record that does not exist yet: 412, nothing created.
    r = api.call("PUT", "/api/budgets/2031", "steering", json={"amount_sek": "100.00"}, headers={"If-Match": "*"})
    assert r.status_code == 412 and problem(r)["status"] == 412
    assert api.call("GET", "/api/budgets/2031", "steering").status_code == 404
    r = api.call("PUT", "/api/budgets/2031", "steering", json={"amount_sek": "100.00"})
    assert r.status_code == 201 and r.headers["etag"] == '"1"'
    etag = etag_of(api, "/api/budgets/2031", "municipality")
    r = api.call("PUT", "/api/budgets/2031", "steering", json={"amount_sek": "200.00"}, headers={"If-Match": "*"})
    assert r.status_code == 200
    r = api.call("PUT", "/api/budgets/2031", "steering", json={"amount_sek": "300.00"}, headers={"If-Match": etag})
    assert r.status_code == 412 and api.call("GET", "/api/budgets/2031", "admin").json()["amount_sek"] == "200.00"
