"""Sign-in over HTTP: tokens, expiry, disabled users, lockout; 401/403/404/405 as problem+json."""

from __future__ import annotations

import time

from api.auth import TokenService, signing_key
from tests.conftest import SYSTEM
from tests.integration.test_api_support import PASSWORD, Api, api, problem  # noqa: F401


def login(api: Api, username: str, password: str, client_host: str | None = None):
    return api.client.post("/api/auth/token", data={"username": username, "password": password})


def test_login_issues_a_bearer_token(api: Api) -> None:
    r = login(api, "sara.solna", PASSWORD)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 8 * 3600
    me = api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json() == {"username": "sara.solna", "role": "municipality", "municipality": "0184"}


def test_wrong_credentials_and_missing_tokens_are_401(api: Api) -> None:
    r = login(api, "sara.solna", "wrong password!")
    assert r.status_code == 401 and problem(r) and r.headers["www-authenticate"] == "Bearer"
    assert login(api, "nobody", PASSWORD).status_code == 401
    r = api.client.get("/api/referrals")
    assert r.status_code == 401 and problem(r) and r.headers["www-authenticate"].startswith("Bearer")
    for bad in ("garbage", "a.b", api.tokens["sara.solna"][:-2] + "xx"):
        r = api.client.get("/api/referrals", headers={"Authorization": f"Bearer {bad}"})
        assert r.status_code == 401 and problem(r)
    r = api.client.post("/api/auth/token", data={"username": "sara.solna"})
    assert r.status_code == 422 and problem(r)["errors"][0]["field"] == "password"


def test_tokens_expire_and_die_with_a_disabled_user_or_a_new_password(api: Api) -> None:
    # Expiry is in whole seconds (issued at int(now)): 3 s leaves at least 2 s for the first call under load.
    service = TokenService(api.pool, signing_key(api.pool), lifetime=3)
    token = service.issue(api.pool.authenticate("sara.solna", PASSWORD))
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/api/auth/me", headers=headers).status_code == 200
    time.sleep(3.1)
    assert api.client.get("/api/auth/me", headers=headers).status_code == 401
    headers = api.headers("sara.solna")
    api.pool.disable_user(SYSTEM, "sara.solna")
    assert api.client.get("/api/auth/me", headers=headers).status_code == 401
    assert login(api, "sara.solna", PASSWORD).status_code == 401
    api.pool.enable_user(SYSTEM, "sara.solna")
    assert api.client.get("/api/auth/me", headers=headers).status_code == 200
    api.pool.set_password(SYSTEM, "sara.solna", password="another long password")
    assert api.client.get("/api/auth/me", headers=headers).status_code == 401


def test_repeated_failures_lock_the_username(api: Api) -> None:
    for _ in range(5):
        assert login(api, "pia.staff", "not the password").status_code == 401
    r = login(api, "pia.staff", PASSWORD)  # even the right password waits out the lock
    assert r.status_code == 429 and problem(r) and int(r.headers["retry-after"]) > 800
    assert login(api, "sara.solna", PASSWORD).status_code == 200  # other users are not affected


def test_unknown_paths_and_methods_are_problems(api: Api) -> None:
    r = api.call("GET", "/api/nothing-here", "admin")
    assert r.status_code == 404 and problem(r)
    r = api.call("DELETE", "/api/referrals", "admin")
    assert r.status_code == 405 and problem(r)
    r = api.call("POST", "/api/referrals/not-a-uuid/withdraw", "municipality")
    assert r.status_code == 422 and problem(r)["errors"][0]["field"] == "referral_id"


def test_openapi_and_docs_are_served(api: Api) -> None:
    doc = api.client.get("/api/openapi.json").json()
    assert "/api/families" in doc["paths"] and "/api/auth/token" in doc["paths"]
    error = doc["paths"]["/api/families"]["post"]["responses"]["422"]
    assert "application/problem+json" in error["content"]
    assert api.client.get("/api/docs").status_code == 200
    assert api.client.get("/api/health").status_code == 404  # not a monitoring address (api/observability.py)
