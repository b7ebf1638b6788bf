"""Less travelled paths of the pages over HTTP: decline, withdraw, edit conflicts, filter errors, pagination."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.factories import published_family, referral_data
from tests.integration.test_api_support import PASSWORD, Api, start_api
from tests.integration.test_web_session import csrf_of, sign_in


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web-pages')}/familjepool.db"
    with pytest.MonkeyPatch.context() as mp:
        yield from start_api(url, mp)


def browser(api: Api, username: str) -> TestClient:
    client = TestClient(api.client.app)
    assert sign_in(client, username).status_code == 303
    return client


def field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="err-([^"]+)">([^<]+)</p>', html))


def settle(api: Api, saved) -> None:
    api.client.app.state.read_models.wait_for(saved.position, timeout=5)


def test_decline_needs_a_reason_by_its_field_then_declines(api: Api) -> None:
    sara = api.pool.authenticate("sara.solna", PASSWORD)
    family_id = published_family(api.pool)
    referral_id = api.pool.register_referral(sara, **referral_data()).id
    saved = api.pool.express_interest(sara, family_id, referral_id=referral_id)
    settle(api, saved)
    pia = browser(api, "pia.staff")
    page = pia.get(f"/pool/familjer/{family_id}")
    r = pia.post(f"/pool/intressen/{saved.id}/avboj", data={"csrf_token": csrf_of(page.text)})
    assert r.status_code == 422 and field_errors(r.text) == {f"decline_{saved.id}": "Fältet får inte vara tomt."}
    r = pia.post(f"/pool/intressen/{saved.id}/avboj",
                 data={"csrf_token": csrf_of(page.text), f"decline_{saved.id}": "Familjen är upptagen."})
    assert r.status_code == 200 and "Intresset är avböjt." in r.text
    municipality = browser(api, "sara.solna")
    assert "Avböjd" in municipality.get("/intressen").text
    assert "Visa kontaktuppgifter" not in municipality.get("/intressen").text
    assert municipality.get(f"/intressen/{saved.id}").status_code == 200


def test_edit_and_withdraw_a_referral_with_a_stale_form(api: Api) -> None:
    sara = browser(api, "sara.solna")
    token = csrf_of(sara.get("/forfragningar/ny").text)
    r = sara.post("/forfragningar/ny", data={**referral_data(), "csrf_token": token}, follow_redirects=False)
    url = r.headers["location"]
    page = sara.get(url).text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    form = {"csrf_token": csrf_of(page), "version": version, "needs": "Nytt behov.", "wishes": "",
            "decision_date": "2026-09-01", "child_birth_month": "2016-05"}
    assert sara.post(f"{url}/andra", data=form).status_code == 200  # saved, then shown again
    r = sara.post(f"{url}/andra", data={**form, "needs": "Ännu ett."})  # the same, now stale, version
    assert r.status_code == 412 and "Någon annan har ändrat" in r.text
    r = sara.post(f"{url}/andra", data={**form, "version": str(int(version) + 1), "child_birth_month": "2016"})
    assert r.status_code == 422 and field_errors(r.text) == {"child_birth_month": "Ange år och månad, ÅÅÅÅ-MM."}
    r = sara.post(f"{url}/aterkalla", data={"csrf_token": form["csrf_token"]})
    assert r.status_code == 200 and "Förfrågan är återkallad." in r.text
    r = sara.post(f"{url}/aterkalla", data={"csrf_token": form["csrf_token"]})
    assert r.status_code == 409 and "Förfrågan kan inte återkallas när den är återkallad." in r.text


def test_catalogue_filter_errors_stand_by_their_fields(api: Api) -> None:
    sara = browser(api, "sara.solna")
    r = sara.get("/katalog?child_age=arton&area=Solna&kind=hund")
    assert r.status_code == 422
    assert set(field_errors(r.text)) == {"child_age", "area", "kind"}


def test_long_lists_are_paginated_and_keep_their_filter(api: Api) -> None:
    sara_actor = api.pool.authenticate("sara.solna", PASSWORD)
    saved = None
    for _ in range(23):
        saved = api.pool.register_referral(sara_actor, **referral_data())
    settle(api, saved)
    sara = browser(api, "sara.solna")
    first = sara.get("/forfragningar?status=open").text
    assert "Sida 1 av 2" in first and first.count("<tr") == 21  # a header and 20 rows
    next_url = re.search(r'<a href="([^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    assert "status=open" in next_url and "sida=2" in next_url
    second = sara.get(next_url).text
    assert "Sida 2 av 2" in second and 'rel="prev"' in second


def test_a_purpose_on_the_staff_pages_is_a_case_reference(api: Api) -> None:
    family_id = published_family(api.pool)
    pia = browser(api, "pia.staff")
    head = api.pool.recorder.max_notification_id()
    r = pia.get(f"/pool/familjer/{family_id}", params={"syfte": "Anna Svensson"})
    assert r.status_code == 422 and "diarienummer" in r.text and "Svensson" not in r.text
    assert api.pool.recorder.max_notification_id() == head  # nothing read, nothing recorded
    assert pia.get(f"/pool/familjer/{family_id}", params={"syfte": "Dnr 2026/123"}).status_code == 200


def test_the_review_forms_refuse_the_author_and_write_nothing(api: Api) -> None:
    from tests.factories import approved_family

    family_id = approved_family(api.pool)
    pia, per = browser(api, "pia.staff"), browser(api, "per.staff")
    token = csrf_of(pia.get(f"/pool/familjer/{family_id}").text)
    r = pia.post(f"/pool/familjer/{family_id}/beskrivning",
                 data={"csrf_token": token, "description": "Familj med stor trädgård."})
    assert r.status_code == 200 and "Inte granskad. Skriven av pia.staff." in r.text
    version = api.pool.version_of(family_id)
    for path in ("granska", "publicera"):  # forged posts: the author reviews, or publishes unreviewed
        r = pia.post(f"/pool/familjer/{family_id}/{path}", data={"csrf_token": token})
        assert r.status_code == 409, path
        assert "granska" in field_errors(r.text)["review"].lower()
    assert api.pool.version_of(family_id) == version  # the page shown again is an audited read, no more
    token = csrf_of(per.get(f"/pool/familjer/{family_id}").text)
    r = per.post(f"/pool/familjer/{family_id}/granska", data={"csrf_token": token})
    assert r.status_code == 200 and "Granskad av per.staff, " in r.text
    r = per.post(f"/pool/familjer/{family_id}/publicera", data={"csrf_token": token})
    assert r.status_code == 200 and "Familjen är publicerad i katalogen." in r.text
