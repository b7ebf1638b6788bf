"""HTTP hardening: no-store and nosniff, HSTS over https, offline API docs, quiet 404s, admin without
personal data, the audit newest first, the password policy in the admin form, a private SQLite file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from fastapi.testclient import TestClient

from pool.bootstrap import bootstrap, close
from pool.errors import PermissionDeniedError
from pool.sealing import MasterKey
from tests.conftest import ADMIN, SYSTEM
from tests.integration.test_api_support import PASSWORD, Api, api, http_published_family, problem  # noqa: F401
from tests.integration.test_web_session import csrf_of, sign_in


def test_no_store_and_nosniff_on_api_and_pages_but_static_files_may_be_cached(api: Api) -> None:
    family_id = http_published_family(api)
    browser = TestClient(api.client.app)
    assert sign_in(browser, "pia.staff").status_code == 303
    for response in (api.call("GET", "/api/auth/me", "pool_staff"), api.call("GET", f"/api/families/{family_id}",
                     "pool_staff"), api.client.get("/api/nothing-here"), api.client.get("/api/health"),
                     browser.get(f"/pool/familjer/{family_id}"), browser.get("/"), api.client.get("/api/openapi.json")):
        assert response.headers["cache-control"] == "no-store", response.request.url
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "strict-transport-security" not in response.headers  # plain http
    static = api.client.get("/static/style.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("cache-control", "")
    assert static.headers["x-content-type-options"] == "nosniff"


def test_hsts_over_https(api: Api) -> None:
    secure = TestClient(api.client.app, base_url="https://testserver")
    for path in ("/api/health", "/", "/static/style.css"):
        assert secure.get(path).headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_api_docs_load_their_assets_from_this_server(api: Api) -> None:
    for page in ("/api/docs", "/api/redoc"):
        html = api.client.get(page).text
        assert "cdn" not in html.lower() and "/api/docs-static/" in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        assert api.client.get(f"/api/docs-static/{asset}").status_code == 200


def test_a_404_does_not_echo_the_path(api: Api) -> None:
    r = api.call("GET", "/api/families-191212121212", "pool_staff")
    assert r.status_code == 404 and "191212121212" not in r.text and problem(r)["detail"] == "no such resource"
    r = api.call("DELETE", "/api/referrals?pnr=191212121212", "pool_staff")
    assert r.status_code == 405 and "191212121212" not in r.text and "/api/referrals" not in r.text


def test_the_admin_reads_no_personal_data(api: Api) -> None:
    family_id = http_published_family(api)
    for path in ("/api/families", f"/api/families/{family_id}", f"/api/families/{family_id}/contact"):
        assert api.call("GET", path, "admin").status_code in (403, 404), path
        assert api.call("GET", path, "pool_staff").status_code == 200, path
    try:
        api.pool.family_personal_data(ADMIN, family_id, via="test")
        raise AssertionError("the admin opened personal data")
    except PermissionDeniedError:
        pass


def test_the_audit_is_newest_first(api: Api) -> None:
    http_published_family(api)
    items = api.call("GET", "/api/audit?limit=200", "admin").json()["items"]
    positions = [item["position"] for item in items]
    assert len(positions) > 3 and positions == sorted(positions, reverse=True)


def test_the_admin_form_refuses_short_and_guessable_passwords_in_swedish(api: Api) -> None:
    admin = TestClient(api.client.app)
    assert sign_in(admin, "adam.admin").status_code == 303
    for password, message in (("kort ord", "12–256 tecken"), ("aaaaaaaaaaaa", "lätt att gissa"),
                              ("password1234", "lätt att gissa"), ("ny.person2026", "lätt att gissa")):
        token = csrf_of(admin.get("/admin/anvandare/ny").text)
        r = admin.post("/admin/anvandare/ny", data={"username": "ny.person", "role": "steering", "password": password,
                                                    "password_again": password, "csrf_token": token})
        assert r.status_code == 422 and message in r.text, password
        token = csrf_of(admin.get("/admin/anvandare/pia.staff/losenord").text)
        password = password.replace("ny.person", "pia.staff")  # the user's own name counts as guessable
        r = admin.post("/admin/anvandare/pia.staff/losenord",
                       data={"password": password, "password_again": password, "csrf_token": token})
        assert r.status_code == 422 and message in r.text, password
    assert api.client.post("/api/auth/token", data={"username": "pia.staff", "password": PASSWORD}).status_code == 200


def test_the_web_logout_ends_the_cookie_as_a_bearer_token_too(api: Api) -> None:
    browser = TestClient(api.client.app)
    assert sign_in(browser, "sara.solna").status_code == 303
    cookie = browser.cookies.get("fp_session")
    assert api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {cookie}"}).status_code == 200
    browser.post("/logga-ut", data={"csrf_token": csrf_of(browser.get("/katalog").text)})
    assert api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {cookie}"}).status_code == 401


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "private.db"
    app = bootstrap(f"sqlite:///{path}", MasterKey.from_base64(MasterKey.generate_base64()))
    try:
        app.put_member(SYSTEM, "0184", name="Solna", joined_on="2020-01-01")
        files = [p for p in tmp_path.iterdir() if p.name.startswith("private.db")]
        assert len(files) >= 2  # the database and its write-ahead log
        for p in files:
            assert stat.S_IMODE(os.stat(p).st_mode) == 0o600, p
    finally:
        close(app)
