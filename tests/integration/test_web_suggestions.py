"""The matching criteria on the municipality's pages and the "Förslag" panel over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from uuid import UUID

import pytest

from tests.factories import published_family, referral_data
from tests.integration.test_api_support import Api, start_api
from tests.integration.test_web_pages import browser, field_errors
from tests.integration.test_web_session import csrf_of


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web-suggestions')}/familjepool.db"
    with pytest.MonkeyPatch.context() as mp:
        yield from start_api(url, mp)


def test_criteria_from_the_form_drive_the_panel(api: Api) -> None:
    arabic = published_family(api.pool, home_municipality="0184",
                              preferences={"child_age_min": 4, "child_age_max": 12, "max_children": 2,
                                           "siblings_ok": False, "languages": ["ar"]})
    assert api.client.app.state.read_models.wait_for(api.pool.recorder.max_notification_id(), timeout=10)
    sara = browser(api, "sara.solna")
    token = csrf_of(sara.get("/forfragningar/ny").text)
    data = {**referral_data(), "csrf_token": token, "children": "1", "languages": ["ar"], "expected_start": ""}
    r = sara.post("/forfragningar/ny", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = sara.get(r.headers["location"]).text
    panel = page[page.index('class="card suggestions"'):]
    assert re.search(r"Familj FP-\d+</strong> <span class=\"score\">\(\d+ poäng\)</span>: talar arabiska, samma kommun",
                     panel)
    assert arabic.hex not in panel and str(arabic) not in panel  # codes only, no family id

    # Siblings: the family does not take them, so it leaves the panel; a bad count is refused by its field.
    url = r.headers["location"]
    referral_id = UUID(url.rsplit("/", 1)[1])
    before = api.pool.version_of(referral_id)
    r = sara.post(f"{url}/kriterier", data={"csrf_token": csrf_of(page), "children": "9"})
    assert r.status_code == 422 and "children" in field_errors(r.text)
    assert api.pool.version_of(referral_id) == before  # the page's audited read is all that was written
    r = sara.post(f"{url}/kriterier", data={"csrf_token": csrf_of(page), "children": "2", "languages": ["ar"]})
    assert r.status_code == 200 and "Matchningen är sparad." in r.text
    assert "Ingen publicerad familj passar förfrågan just nu." in r.text

    # Another municipality cannot change it.
    sam = browser(api, "sam.sigtuna")
    r = sam.post(f"{url}/kriterier", data={"csrf_token": csrf_of(sam.get('/forfragningar/ny').text), "children": "1"})
    assert r.status_code == 404


def test_jourhem_periods_and_an_urgent_referral_from_the_pages(api: Api) -> None:
    from datetime import date, timedelta

    home = published_family(api.pool, kinds=["jourhem"], home_municipality="1280",
                            preferences={"child_age_min": 0, "child_age_max": 17, "max_children": 1,
                                         "siblings_ok": False, "languages": []})
    pia = browser(api, "pia.staff")
    edit = pia.get(f"/pool/familjer/{home}/andra")
    assert "Jourhem: kan ta emot med kort varsel" in edit.text
    today = date.today()
    bad = pia.post(f"/pool/familjer/{home}/jourhem", data={
        "csrf_token": csrf_of(edit.text), "avail1_from": str(today + timedelta(days=5)), "avail1_to": str(today)})
    assert bad.status_code == 422 and "Perioden måste ha ett startdatum" in bad.text
    r = pia.post(f"/pool/familjer/{home}/jourhem", follow_redirects=False, data={
        "csrf_token": csrf_of(edit.text), "avail1_from": str(today), "avail1_to": str(today + timedelta(days=7))})
    assert r.status_code == 303, r.text
    assert f'value="{today + timedelta(days=7)}"' in pia.get(f"/pool/familjer/{home}/andra").text

    sara = browser(api, "sara.solna")
    token = csrf_of(sara.get("/forfragningar/ny").text)
    data = {**referral_data(kind="jourhem", child_birth_month=f"{today.year - 9}-01"), "csrf_token": token,
            "children": "1", "expected_start": ""}
    created = sara.post("/forfragningar/ny", data=data, follow_redirects=False)
    assert created.status_code == 303, created.text
    page = sara.get(created.headers["location"]).text
    assert "Markera som akut" in page
    r = sara.post(created.headers["location"] + "/akut", follow_redirects=False,
                  data={"csrf_token": csrf_of(page), "urgent": "1"})
    assert r.status_code == 303
    page = sara.get(created.headers["location"]).text
    assert "Inte längre akut" in page
    panel = page[page.index('class="card suggestions"'):]
    assert "kan ta emot nu, till och med" in panel
