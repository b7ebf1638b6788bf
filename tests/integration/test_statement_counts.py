"""Upper bounds on the SQL statements a request runs, on both backends (issue 14's profile)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.factories import family_data, referral_data
from tests.integration.statements import StatementLog, install
from tests.integration.test_api_support import Api, http_published_family, start_api


@pytest.fixture
def traced(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Api, StatementLog]]:
    log = install(monkeypatch)  # before the app opens its connections
    for api in start_api(database_url, monkeypatch):
        yield api, log


def test_the_register_page_reads_the_keys_of_its_names_at_once(traced: tuple[Api, StatementLog]) -> None:
    api, log = traced
    for _ in range(6):  # two sealed adult names each
        assert api.call("POST", "/api/families", "pool_staff", json=family_data()).status_code == 201
    with log.counting():
        r = api.call("GET", "/api/families?limit=50", "pool_staff")
    assert r.status_code == 200 and len(r.json()["items"]) == 6
    assert all(len(i["names"]) == 2 for i in r.json()["items"])
    # Before: one key read per sealed name (12 here, 100 for a page of 50).
    assert log.matching("subject_keys") == 1, log.by(prefix="")



def test_a_post_runs_a_bounded_number_of_statements(traced: tuple[Api, StatementLog]) -> None:
    """POST /api/referrals: the request's own statements, and what the projections commit for it."""
    api, log = traced
    assert api.call("POST", "/api/referrals", "municipality", json=referral_data()).status_code == 201
    time.sleep(0.3)  # the first request's lazy work (connections, caches) is not what this counts
    with log.counting():
        r = api.call("POST", "/api/referrals", "municipality", json=referral_data())
        assert r.status_code == 201, r.text
        time.sleep(0.3)  # the views have answered (the POST waited for them); let their threads settle
    request = log.by(prefix="AnyIO worker")
    # Session, the member's events, the referral's new key (one INSERT ... RETURNING for both sealed fields;
    # SQLite: between two PRAGMA synchronous), the event insert (PostgreSQL: lock, notify, insert), their
    # commits. Before the write-path work: 16.
    assert len(request) <= 12, request
    views = [s for t, s in log.statements if not t.startswith(("AnyIO worker", "notifier"))]
    # No head query per event on PostgreSQL (the subscription says whether more is in hand), and no
    # tracking row from the catalogue, which ignores Referral.Created (a lazy skip).
    assert not any("MAX(notification_id) AS head" in s for s in views), views
    assert not any("catalogue_tracking" in s and s.startswith("INSERT") for s in views), views
    tracking_writes = [s for s in views if s.startswith("INSERT") and "_tracking" in s]
    assert len(tracking_writes) <= 5, tracking_writes  # the five views of six that apply the event


def test_a_catalogue_page_opens_its_descriptions_with_one_key_read(traced: tuple[Api, StatementLog]) -> None:
    api, log = traced
    for _ in range(3):
        http_published_family(api)
    with log.counting():
        r = api.call("GET", "/api/catalogue?limit=50", "municipality")
    assert r.status_code == 200 and len(r.json()["items"]) == 3
    assert all(i["description"] for i in r.json()["items"])
    assert log.matching("subject_keys") == 1, log.by(prefix="")  # before: one per family on the page
