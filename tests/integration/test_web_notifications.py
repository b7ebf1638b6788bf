"""The pages over HTTP: "Spara sökningen", Bevakningar, Notiser with the unread count, the admin's e-mail pages."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.factories import published_family
from tests.integration.test_api_support import Api, start_api
from tests.integration.test_web_session import csrf_of, sign_in


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web-notices')}/familjepool.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("FAMILJEPOOL_SMTP_HOST", raising=False)
        yield from start_api(url, mp)


def browser(api: Api, username: str) -> TestClient:
    client = TestClient(api.client.app)
    assert sign_in(client, username).status_code == 303
    return client


def test_save_a_search_get_a_notice_mark_it_read(api: Api) -> None:
    sara = browser(api, "sara.solna")
    page = sara.get("/katalog?kind=familjehem&child_age=8")
    assert "Spara sökningen" in page.text
    r = sara.post("/bevakningar/ny", data={"csrf_token": csrf_of(page.text), "kind": "familjehem", "child_age": "8"})
    assert r.status_code == 200 and "Sökningen är sparad" in r.text and "Familjehem · barn 8 år" in r.text

    published_family(api.pool)
    deadline = time.monotonic() + 5
    while 'id="unread-count">1<' not in (page := sara.get("/notiser")).text and time.monotonic() < deadline:
        time.sleep(0.05)
    assert 'id="unread-count">1<' in page.text
    assert "Ny familj i katalogen matchar din bevakning: FP-0001." in page.text
    r = sara.post("/notiser/lasta", data={"csrf_token": csrf_of(page.text)})
    assert r.status_code == 200 and "unread-count" not in r.text

    r = sara.post("/notiser/epost", data={"csrf_token": csrf_of(r.text), "mode": "sometimes"})
    assert r.status_code == 422
    r = sara.post("/notiser/epost", data={"csrf_token": csrf_of(r.text), "mode": "daily"})
    assert r.status_code == 200 and "Ditt val av e-post är sparat." in r.text

    searches = sara.get("/bevakningar")
    search_id = searches.text.split('action="/bevakningar/')[1].split("/ta-bort")[0]
    r = sara.post(f"/bevakningar/{search_id}/ta-bort", data={"csrf_token": csrf_of(searches.text)})
    assert "Du har inga bevakningar." in r.text


def test_the_admin_sets_an_address_and_sees_the_sends(api: Api) -> None:
    adam = browser(api, "adam.admin")
    page = adam.get("/admin/anvandare/sara.solna/epost")
    assert page.status_code == 200
    r = adam.post("/admin/anvandare/sara.solna/epost", data={"csrf_token": csrf_of(page.text), "email": "nej"})
    assert r.status_code == 422
    r = adam.post("/admin/anvandare/sara.solna/epost",
                  data={"csrf_token": csrf_of(page.text), "email": "sara@solna.example"})
    assert r.status_code == 200 and "E-postadressen för sara.solna är sparad." in r.text
    assert "sara@solna.example" not in adam.get("/admin/anvandare/sara.solna/epost").text
    assert adam.get("/admin/notiser").status_code == 200
    assert browser(api, "sara.solna").get("/admin/notiser").status_code == 403
