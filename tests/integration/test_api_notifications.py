"""HTTP: saved searches, notices with the unread count, the e-mail choice and address (both backends)."""

from __future__ import annotations

import time
from uuid import UUID
from collections.abc import Iterator

import pytest

from tests.conftest import STAFF
from tests.factories import published_family, referral_data
from tests.integration.test_api_support import Api, problem, start_api


@pytest.fixture
def api(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    monkeypatch.delenv("FAMILJEPOOL_SMTP_HOST", raising=False)
    yield from start_api(database_url, monkeypatch)


def notices(api: Api, who: str, count: int, timeout: float = 5.0) -> dict:
    """The notifier runs beside the API: poll until `count` notices are there."""
    deadline = time.monotonic() + timeout
    while True:
        body = api.call("GET", "/api/notifications", who).json()
        if body["total"] >= count or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def event_count(api: Api) -> int:
    return len(api.pool.recorder.select_notifications(start=1, limit=100000))


def test_a_saved_search_gives_a_notice_when_a_matching_family_is_published(api: Api) -> None:
    referral = api.call("POST", "/api/referrals", "municipality", json=referral_data()).json()
    r = api.call("POST", "/api/saved-searches", "municipality",
                 json={"criteria": {"kind": "familjehem", "child_age": 9}, "referral_id": referral["id"]})
    assert r.status_code == 201, r.text
    search_id = r.json()["id"]
    listed = api.call("GET", "/api/saved-searches", "municipality").json()["items"]
    assert [(s["id"], s["criteria"], s["referral_id"]) for s in listed] == [
        (search_id, {"kind": "familjehem", "child_age": 9}, referral["id"])]
    assert api.call("GET", "/api/saved-searches", "other_municipality").json()["items"] == []

    family_id = published_family(api.pool)
    body = notices(api, "municipality", 1)
    assert body["unread"] == 1 and body["total"] == 1
    notice = body["items"][0]
    assert notice["kind"] == "family_published" and notice["family_code"] == "FP-0001"
    assert notice["link"] == f"/katalog/{family_id}" and notice["referral_code"].startswith("F-")
    assert "FP-0001" in notice["text"] and not notice["read"]
    assert api.call("GET", "/api/notifications", "other_municipality").json()["total"] == 0

    assert api.call("POST", f"/api/notifications/{notice['id']}/read", "other_municipality").status_code == 404
    assert api.call("POST", f"/api/notifications/{notice['id']}/read", "municipality").status_code == 204
    assert api.call("GET", "/api/notifications", "municipality").json()["unread"] == 0

    assert api.call("DELETE", f"/api/saved-searches/{search_id}", "other_municipality").status_code == 404
    assert api.call("DELETE", f"/api/saved-searches/{search_id}", "municipality").status_code == 200
    assert api.call("GET", "/api/saved-searches", "municipality").json()["items"] == []
    before = event_count(api)
    again = api.call("DELETE", f"/api/saved-searches/{search_id}", "municipality")
    assert problem(again)["code"] == "saved_search.deleted" and event_count(api) == before


def test_staff_are_notified_of_a_new_interest(api: Api) -> None:
    family_id = published_family(api.pool)
    referral = api.call("POST", "/api/referrals", "municipality", json=referral_data()).json()
    api.pool.propose_families(STAFF, UUID(referral["id"]), family_ids=[family_id])
    r = api.call("POST", f"/api/catalogue/{family_id}/interest", "municipality",
                 json={"referral_id": referral["id"]})
    assert r.status_code in (200, 201), r.text
    body = notices(api, "pool_staff", 1)
    assert [n["kind"] for n in body["items"]] == ["proposal_answered"]
    assert body["items"][0]["link"] == f"/pool/forfragningar/{referral['id']}"
    assert api.call("POST", "/api/notifications/read", "pool_staff").status_code == 204
    assert api.call("GET", "/api/notifications?unread=true", "pool_staff").json()["total"] == 0


def test_refused_saved_searches_write_nothing(api: Api) -> None:
    before = event_count(api)
    for who, payload, status, code in [
        ("municipality", {"criteria": {}}, 422, "saved_search.empty"),
        ("municipality", {"criteria": {"area": "9999"}}, 422, None),
        ("municipality", {"criteria": {"language": "xx"}}, 422, "family.preferences_languages"),
        ("pool_staff", {"criteria": {"kind": "familjehem"}}, 403, None),
        ("steering", {"criteria": {"kind": "familjehem"}}, 403, None),
    ]:
        r = api.call("POST", "/api/saved-searches", who, json=payload)
        assert r.status_code == status, (payload, r.text)
        if code:
            assert problem(r)["code"] == code
    other = api.call("POST", "/api/referrals", "other_municipality", json=referral_data()).json()
    before = event_count(api)
    r = api.call("POST", "/api/saved-searches", "municipality",
                 json={"criteria": {"kind": "familjehem"}, "referral_id": other["id"]})
    assert r.status_code == 404 and event_count(api) == before


def test_the_user_chooses_e_mail_and_the_admin_sets_the_address(api: Api) -> None:
    assert api.call("GET", "/api/auth/me/notifications", "municipality").json() == {
        "mode": "immediate", "has_email": False}
    r = api.call("PUT", "/api/auth/me/notifications", "municipality", json={"mode": "daily"})
    assert r.json() == {"mode": "daily", "has_email": False}
    before = event_count(api)
    assert api.call("PUT", "/api/auth/me/notifications", "municipality", json={"mode": "daily"}).status_code == 200
    assert event_count(api) == before  # unchanged: nothing written
    assert api.call("PUT", "/api/auth/me/notifications", "municipality", json={"mode": "often"}).status_code == 422

    assert api.call("PUT", "/api/users/sara.solna/email", "municipality",
                    json={"email": "sara@solna.example"}).status_code == 403
    r = api.call("PUT", "/api/users/sara.solna/email", "admin", json={"email": "inte en adress"})
    assert problem(r)["code"] == "value.not_an_email" and event_count(api) == before
    assert api.call("PUT", "/api/users/sara.solna/email", "admin",
                    json={"email": "sara@solna.example"}).status_code == 204
    assert api.call("GET", "/api/auth/me/notifications", "municipality").json()["has_email"] is True
    stored = [n for n in api.pool.recorder.select_notifications(start=1, limit=100000) if n.topic.endswith("EmailSet")]
    assert stored and b"sara@solna.example" not in stored[-1].state  # sealed at rest
    assert api.call("GET", "/api/notifications/outbox", "admin").json() == []
    assert api.call("GET", "/api/notifications/outbox", "municipality").status_code == 403
