"""Sign-in over HTTP: tokens, expiry, disabled users, lockout; 401/403/404/405 as problem+json."""

from __future__ import annotations

import time

from api.auth import SessionService, token_hash
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


def use_sessions(api: Api, **settings: int) -> SessionService:
    """Give the running app a session service with short timeouts (the same database and store)."""
    service = SessionService(api.pool, **settings)
    api.client.app.state.sessions = service  # type: ignore[attr-defined]
    return service


def me(api: Api, token: str) -> int:
    return api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_session_ends_at_its_absolute_lifetime(api: Api) -> None:
    service = use_sessions(api, lifetime=2)
    token = service.issue(api.pool.authenticate("sara.solna", PASSWORD))
    assert me(api, token) == 200
    time.sleep(2.1)
    assert me(api, token) == 401
    assert api.pool.sessions.get(token_hash(token)) is None  # the expired row is gone too


def test_a_session_ends_when_idle_but_not_while_used(api: Api) -> None:
    # Generous margins: a loaded 2-core machine can take most of a second to answer one request.
    service = use_sessions(api, idle_timeout=5)
    token = service.issue(api.pool.authenticate("sara.solna", PASSWORD))
    for _ in range(3):  # 6 s in all, longer than the idle timeout, but never 5 s unused
        time.sleep(2.0)
        assert me(api, token) == 200
    time.sleep(5.2)
    assert me(api, token) == 401


def test_disable_enable_and_a_new_password_end_earlier_sessions(api: Api) -> None:
    token = api.tokens["sara.solna"]
    api.pool.disable_user(SYSTEM, "sara.solna")
    assert me(api, token) == 401
    assert login(api, "sara.solna", PASSWORD).status_code == 401
    api.pool.enable_user(SYSTEM, "sara.solna")
    assert me(api, token) == 401  # re-enabling does not revive the old session
    token = login(api, "sara.solna", PASSWORD).json()["access_token"]
    assert me(api, token) == 200
    api.pool.set_password(SYSTEM, "sara.solna", password="another long password")
    assert me(api, token) == 401
    assert login(api, "sara.solna", "another long password").status_code == 200


def test_api_logout_ends_the_token_and_the_database_holds_only_its_hash(api: Api) -> None:
    token = login(api, "pia.staff", PASSWORD).json()["access_token"]
    other = login(api, "pia.staff", PASSWORD).json()["access_token"]
    stored = [row[0] for row in api.pool.sessions._sql("SELECT token_hash FROM {t}sessions")]
    assert token_hash(token) in stored and not any(token in value for value in stored)
    r = api.client.post("/api/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 204
    assert me(api, token) == 401 and me(api, other) == 200  # only that session ended
    r = api.client.post("/api/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401 and problem(r)
    assert api.client.post("/api/auth/logout").status_code == 401


def test_repeated_failures_lock_the_username(api: Api) -> None:
    for _ in range(5):
        assert login(api, "pia.staff", "not the password").status_code == 401
    r = login(api, "pia.staff", PASSWORD)  # even the right password waits out the lock
    assert r.status_code == 429 and problem(r) and int(r.headers["retry-after"]) > 800
    assert login(api, "sara.solna", PASSWORD).status_code == 200  # other users are not affected


def test_the_lockout_counts_per_account_whatever_address_the_client_claims(api: Api) -> None:
    for i in range(5):
        r = api.client.post("/api/auth/token", data={"username": "stina.steering", "password": "not it"},
                            headers={"X-Forwarded-For": f"10.0.0.{i}"})
        assert r.status_code == 401
    r = api.client.post("/api/auth/token", data={"username": "stina.steering", "password": PASSWORD},
                        headers={"X-Forwarded-For": "10.9.9.9"})
    assert r.status_code == 429
    assert api.pool.sessions.failures("stina.steering")[0] == 5  # in the database, not in the process


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
