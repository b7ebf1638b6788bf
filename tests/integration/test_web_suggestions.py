"""The matching criteria on the municipality's pages and the "Förslag" panel over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from uuid import UUID

import pytest

from tests.factories import published_family, referral_data
from tests.integration.test_api_support import Api, start_api
from tests.integration.test_web_pages import browser, field_errors, settle
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
    settle(api, api.pool.publish_family(api.pool.authenticate("pia.staff", "correct horse battery"), arabic,
                                        description="Lugn familj nära skogen."))
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
