"""The browser session over HTTP: cookie flags, CSRF on every form (nothing written without it), logout, lockout."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.factories import referral_data
from tests.integration.test_api_support import PASSWORD, Api, start_api


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One app for the module, on SQLite: the web layer is the same over both backends (the API tests cover them)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web-session')}/familjepool.db"
    with pytest.MonkeyPatch.context() as mp:
        yield from start_api(url, mp)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD):
    token = csrf_of(client.get("/").text)
    return client.post("/", data={"username": username, "password": password, "csrf_token": token},
                       follow_redirects=False)


def cookie_header(response, name: str) -> str:
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith(name + "="))


def test_session_cookie_is_httponly_lax_and_secure_over_https(api: Api) -> None:
    plain = TestClient(api.client.app)
    r = sign_in(plain, "sara.solna")
    assert r.status_code == 303 and r.headers["location"] == "/katalog"
    flags = cookie_header(r, "fp_session").lower()
    assert "httponly" in flags and "samesite=lax" in flags and "secure" not in flags
    secure = TestClient(api.client.app, base_url="https://testserver")
    flags = cookie_header(sign_in(secure, "sara.solna"), "fp_session").lower()
    assert "httponly" in flags and "samesite=lax" in flags and "secure" in flags
    page = secure.get("/katalog")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "unsafe-inline" not in page.headers["content-security-policy"]


def test_a_post_without_a_valid_csrf_token_is_refused_and_writes_nothing(api: Api) -> None:
    sara, sam = TestClient(api.client.app), TestClient(api.client.app)
    assert sign_in(sara, "sara.solna").status_code == 303 and sign_in(sam, "sam.sigtuna").status_code == 303
    sams_token = csrf_of(sam.get("/forfragningar/ny").text)
    head = api.pool.recorder.max_notification_id()
    for token in [None, "", "not-a-token", sams_token]:  # missing, empty, forged, another session's
        data = referral_data() if token is None else {**referral_data(), "csrf_token": token}
        r = sara.post("/forfragningar/ny", data=data, follow_redirects=False)
        assert r.status_code == 403 and "säkerhetskoden" in r.text, token
    assert api.pool.recorder.max_notification_id() == head  # not one event was written
    read_models = api.client.app.state.read_models
    before = read_models.referrals("0184").total
    token = csrf_of(sara.get("/forfragningar/ny").text)
    r = sara.post("/forfragningar/ny", data={**referral_data(), "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and read_models.referrals("0184").total == before + 1
    # Logging in and out are forms too.
    anonymous = TestClient(api.client.app)
    r = anonymous.post("/", data={"username": "sara.solna", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403 and "fp_session" not in r.headers.get("set-cookie", "")
    assert sara.post("/logga-ut", data={}, follow_redirects=False).status_code == 403
    assert sara.get("/katalog", follow_redirects=False).status_code == 200


def test_logout_ends_the_session_and_errors_are_swedish_pages(api: Api) -> None:
    sara = TestClient(api.client.app)
    sign_in(sara, "sara.solna")
    cookie = sara.cookies.get("fp_session")
    token = csrf_of(sara.get("/katalog").text)
    r = sara.post("/logga-ut", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    replay = TestClient(api.client.app, cookies={"fp_session": cookie})
    r = replay.get("/katalog", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"  # the old cookie no longer signs in
    r = replay.get("/finns-inte")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html") and 'lang="sv"' in r.text
    assert api.client.get("/api/finns-inte").headers["content-type"].startswith("application/problem+json")


def test_failed_web_logins_lock_the_api_too(api: Api) -> None:
    browser = TestClient(api.client.app)
    for _ in range(5):
        assert sign_in(browser, "stina.steering", "wrong password").status_code == 401
    r = sign_in(browser, "stina.steering")
    assert r.status_code == 429 and "För många misslyckade inloggningar" in r.text
    r = api.client.post("/api/auth/token", data={"username": "stina.steering", "password": PASSWORD})
    assert r.status_code == 429


def test_web_routes_are_not_in_the_openapi_document(api: Api) -> None:
    paths = api.client.get("/api/openapi.json").json()["paths"]
    assert all(p.startswith("/api/") for p in paths)


def test_a_page_without_the_read_side_says_so_in_swedish(api: Api) -> None:
    client = TestClient(api.client.app)
    assert sign_in(client, "sara.solna").status_code == 303
    state = api.client.app.state
    read_models, state.read_models = state.read_models, None
    try:
        r = client.get("/katalog")
    finally:
        state.read_models = read_models
    assert r.status_code == 503 and "tillfälligt otillgänglig" in r.text
    assert client.get("/katalog").status_code == 200
