"""The placement pages over HTTP on both backends: nothing is written before the confirmation step, refusals
show by their fields, overdue placements show as "Förfallen" to staff and municipality."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.conftest import STAFF
from tests.factories import family_data, published_family
from tests.integration.test_api_support import Api, start_api
from tests.integration.test_web_session import csrf_of, sign_in


@pytest.fixture
def api(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    yield from start_api(database_url, monkeypatch)


def browser(api: Api, username: str) -> TestClient:
    client = TestClient(api.client.app)
    assert sign_in(client, username).status_code == 303
    return client


def field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="err-([^"]+)">([^<]+)</p>', html))


def head(api: Api) -> int:
    return api.pool.recorder.max_notification_id() or 0


def written_since(api: Api, position: int) -> list[str]:
    """Topics written after `position`, leaving out the audit of pages read (a refused form shows the page)."""
    return [n.topic for n in api.pool.recorder.select_notifications(start=position + 1, limit=1000)
            if not n.topic.startswith("pool.domain.access:")]


def test_overdue_placements_are_extended_and_ended_only_once_confirmed(api: Api) -> None:
    family_id = published_family(api.pool, preferences={**family_data()["preferences"], "max_children": 3})
    ids = [api.pool.start_placement(STAFF, family_id=family_id, municipality="0184", kind="familjehem",
                                    start_date="2025-01-10", planned_end_date="2025-06-30",
                                    child_birth_month="2016-05") for _ in range(2)]
    api.client.app.state.read_models.wait_for(ids[-1].position, timeout=5)
    first, second = (str(s.id) for s in ids)
    pia, sara = browser(api, "pia.staff"), browser(api, "sara.solna")
    assert sara.get("/placeringar").text.count("Förfallen") == 2
    assert pia.get("/pool/placeringar?status=forfallna").text.count("Förfallen") == 2
    token = csrf_of(pia.get(f"/pool/placeringar/{first}").text)

    before = head(api)
    form = {"csrf_token": token, "new_planned_end_date": "2027-06-30", "extend_reason": "Nytt beslut."}
    r = pia.post(f"/pool/placeringar/{first}/forlang", data=form)
    assert r.status_code == 200 and "Bekräfta förlängningen" in r.text and head(api) == before
    r = pia.post(f"/pool/placeringar/{first}/forlang", data={**form, "new_planned_end_date": "2025-06-01",
                                                             "confirmed": "1"})
    assert r.status_code == 422 and "new_planned_end_date" in field_errors(r.text) and head(api) == before
    r = pia.post(f"/pool/placeringar/{first}/forlang", data={**form, "extend_reason": "", "confirmed": "1"})
    assert r.status_code == 422 and "extend_reason" in field_errors(r.text) and head(api) == before
    r = pia.post(f"/pool/placeringar/{first}/forlang", data={**form, "confirmed": "1"})
    assert r.status_code == 200 and "Placeringen är förlängd." in r.text and "Nytt beslut." in r.text

    end = {"csrf_token": token, "end_date": "2026-11-30", "end_reason": "planned"}
    before = head(api)
    r = pia.post(f"/pool/placeringar/{second}/avsluta", data=end)
    assert r.status_code == 200 and "Bekräfta avslut" in r.text and head(api) == before
    r = pia.post(f"/pool/placeringar/{second}/avsluta", data={**end, "confirmed": "1"})
    assert r.status_code == 200 and "Placeringen är avslutad." in r.text
    assert "Förfallen" not in sara.get("/placeringar").text
    assert "Inga placeringar." in pia.get("/pool/placeringar?status=forfallna").text


def test_the_family_page_asks_for_an_override_and_its_reason(api: Api) -> None:
    family_id = published_family(api.pool)  # children 4-12
    pia = browser(api, "pia.staff")
    token = csrf_of(pia.get(f"/pool/familjer/{family_id}").text)
    form = {"csrf_token": token, "placement_municipality": "0184", "placement_kind": "familjehem",
            "start_date": "2026-10-01", "planned_end_date": "2027-10-01", "child_birth_month": "2023-02"}
    before = head(api)
    r = pia.post(f"/pool/familjer/{family_id}/placering", data=form)
    assert r.status_code == 409 and "utanför familjens åldersspann 4–12 år" in field_errors(r.text)["placement"]
    r = pia.post(f"/pool/familjer/{family_id}/placering", data={**form, "age_override": "1"})
    assert r.status_code == 422 and "age_override_reason" in field_errors(r.text)
    assert written_since(api, before) == []
    r = pia.post(f"/pool/familjer/{family_id}/placering",
                 data={**form, "age_override": "1", "age_override_reason": "Syskon placeras tillsammans."})
    assert r.status_code == 200 and "Placeringen är registrerad." in r.text
    assert "Åldersundantag" in pia.get("/pool/placeringar").text
