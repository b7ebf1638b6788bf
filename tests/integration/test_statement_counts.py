"""Upper bounds on the SQL statements a request runs, on both backends (issue 14's profile)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.factories import family_data
from tests.integration.statements import StatementLog, install
from tests.integration.test_api_support import Api, start_api


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
