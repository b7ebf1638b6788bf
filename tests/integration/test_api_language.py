"""Problem details over real HTTP in the language of Accept-Language, with their codes, on both backends."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from uuid import uuid4

import httpx
import pytest
import uvicorn

from api.app import create_app
from pool.sealing import MasterKey
from tests.browser.conftest import free_port
from tests.conftest import SYSTEM
from tests.factories import MEMBERS, family_data, referral_data

PASSWORD = "correct horse battery"
SV = {"Accept-Language": "sv-SE,sv;q=0.9,en;q=0.8"}


@pytest.fixture
def http(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
    """The real app behind uvicorn on a free port, a staff and a municipality user, an HTTP client."""
    monkeypatch.setenv("FAMILJEPOOL_MASTER_KEY", MasterKey.generate_base64())
    monkeypatch.setenv("FAMILJEPOOL_DATABASE_URL", database_url)
    app = create_app(database_url)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="language-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    pool = app.state.pool
    for code, name in MEMBERS.items():
        pool.put_member(SYSTEM, code, name=name, joined_on="2020-01-01")
    pool.add_user(SYSTEM, "pia.staff", role="pool_staff", password=PASSWORD)
    pool.add_user(SYSTEM, "sara.solna", role="municipality", municipality="0184", password=PASSWORD)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            client.app_pool = pool  # type: ignore[attr-defined]
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def signed_in(http: httpx.Client, username: str) -> dict[str, str]:
    r = http.post("/api/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def problem(r: httpx.Response, status: int, code: str, lang: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.headers["content-language"] == lang
    body = r.json()
    assert body["code"] == code and body["status"] == status, body
    return body


def test_a_rule_violation_in_swedish_and_english(http: httpx.Client) -> None:
    staff = signed_in(http, "pia.staff")
    r = http.post("/api/families", json=family_data(), headers=staff)
    assert r.status_code == 201, r.text
    family_id = r.json()["id"]
    before = http.app_pool.recorder.max_notification_id()  # type: ignore[attr-defined]
    body = problem(http.post(f"/api/families/{family_id}/approve", json={}, headers={**staff, **SV}),
                   409, "family.checklist_incomplete", "sv")
    assert body["title"] == "Konflikt"
    assert body["detail"].startswith("Utredningen är inte klar. Saknas: utdrag ur belastningsregistret, ")
    assert body["detail"].endswith(" och hembesök.")
    body = problem(http.post(f"/api/families/{family_id}/approve", json={}, headers=staff),
                   409, "family.checklist_incomplete", "en")
    assert body["title"] == "Conflict" and "incomplete; missing: police register extract" in body["detail"]
    assert http.app_pool.recorder.max_notification_id() == before  # type: ignore[attr-defined]


def test_invalid_input_names_its_field_and_code(http: httpx.Client) -> None:
    solna = signed_in(http, "sara.solna")
    future = (date.today() + timedelta(days=3)).isoformat()
    body = problem(http.post("/api/referrals", json=referral_data(decision_date=future), headers={**solna, **SV}),
                   422, "referral.decision_in_future", "sv")
    assert body["field"] == "decision_date" and body["detail"] == "Beslutsdatumet får inte ligga i framtiden."
    assert body["errors"] == [{"field": "decision_date", "code": "referral.decision_in_future",
                               "message": "Beslutsdatumet får inte ligga i framtiden."}]
    body = problem(http.post("/api/referrals", json=referral_data(decision_date=future), headers=solna),
                   422, "referral.decision_in_future", "en")
    assert body["detail"] == "decision_date lies in the future"


def test_the_frameworks_validation_errors_get_a_code_and_swedish(http: httpx.Client) -> None:
    solna = signed_in(http, "sara.solna")
    bad = {k: v for k, v in referral_data().items() if k != "needs"}
    body = problem(http.post("/api/referrals", json={**bad, "kind": "slott"}, headers={**solna, **SV}),
                   422, "request.invalid", "sv")
    assert body["detail"] == "Begäran är inte giltig: kontrollera kind och needs."
    assert {(e["field"], e["code"], e["message"]) for e in body["errors"]} == {
        ("kind", "request.field_invalid", "Värdet är inte giltigt."), ("needs", "request.missing", "Uppgiften saknas.")}
    body = problem(http.post("/api/referrals", json=bad, headers=solna), 422, "request.invalid", "en")
    assert body["field"] == "needs" and body["detail"] == "the request is not valid: check needs"
    assert body["errors"][0]["message"] == "needs is required"


def test_not_found_and_unknown_paths_in_swedish(http: httpx.Client) -> None:
    staff = signed_in(http, "pia.staff")
    body = problem(http.get(f"/api/families/{uuid4()}", headers={**staff, **SV}), 404, "family.not_found", "sv")
    assert body["title"] == "Finns inte" and body["detail"] == "Familjen finns inte."
    body = problem(http.get("/api/nothing-here", headers=SV), 404, "http.not_found", "sv")
    assert body["detail"] == "Det finns ingen sådan resurs."  # the path is not echoed
    body = problem(http.get("/api/families", headers={"Accept-Language": "de, en;q=0.5"}), 401, "http.unauthorized",
                   "en")
    assert "sign in" in body["detail"]
    body = problem(http.get("/api/families", headers={"Accept-Language": "sv"}), 401, "http.unauthorized", "sv")
    assert body["detail"].startswith("Du är inte inloggad")
