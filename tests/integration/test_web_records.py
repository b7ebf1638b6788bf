"""The record pages over HTTP: edit forms, confirmations for withdraw, erase, close and erase a referral."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.factories import published_family, referral_data
from tests.integration.test_api_support import PASSWORD, Api, start_api
from tests.integration.test_web_pages import browser, field_errors, settle
from tests.integration.test_web_session import csrf_of


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web-records')}/familjepool.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FAMILJEPOOL_REFERRAL_RETENTION_DAYS", "0")
        yield from start_api(url, mp)


def caught_up(api: Api) -> None:
    """The pages read the register view: wait until it holds what the factory wrote through the pool
    (without this the page may answer 404 under load; CI saw it once)."""
    api.client.app.state.read_models.wait_for(api.pool.recorder.max_notification_id(), timeout=5)


def test_the_edit_page_changes_the_contact_and_refuses_bad_input_by_its_field(api: Api) -> None:
    family_id = published_family(api.pool)
    caught_up(api)
    pia = browser(api, "pia.staff")
    page = pia.get(f"/pool/familjer/{family_id}/andra")
    assert page.status_code == 200 and 'value="Kalle Testsson"' in page.text
    token = csrf_of(page.text)
    contact = {"address": "Nygatan 1", "postal_code": "19131", "city": "Sollentuna", "phone": "070-111 22 33",
               "email": "", "home_municipality": "0163", "csrf_token": token}
    r = pia.post(f"/pool/familjer/{family_id}/kontakt", data={**contact, "phone": ""})
    assert r.status_code == 422 and "phone" in field_errors(r.text)
    r = pia.post(f"/pool/familjer/{family_id}/kontakt", data=contact)
    assert r.status_code == 200 and "070-111 22 33" in r.text and "Kontaktuppgifterna är ändrade." in r.text
    r = pia.post(f"/pool/familjer/{family_id}/hushall", data={"csrf_token": token, "adult1_name": "Mona",
                                                                "adult1_pnr": "19721212-1218", "children_years": ""})
    assert r.status_code == 422 and "adult1_pnr" in field_errors(r.text)
    r = pia.post(f"/pool/familjer/{family_id}/erbjudande", data={"csrf_token": token, "age_min": "0", "age_max": "17",
                                                                   "max_children": "3", "kinds": ["jourhem"]})
    assert r.status_code == 200 and "Insatstyper, platser och önskemål är ändrade." in r.text


def test_withdraw_and_erase_need_the_confirmation(api: Api) -> None:
    family_id = published_family(api.pool)
    caught_up(api)
    pia = browser(api, "pia.staff")
    token = csrf_of(pia.get(f"/pool/familjer/{family_id}").text)
    before = api.pool.version_of(family_id)  # the page's audited reads are written; the family is not
    r = pia.post(f"/pool/familjer/{family_id}/uttrade", data={"csrf_token": token, "withdraw_reason": "Flyttar"})
    assert r.status_code == 422 and "Jag bekräftar" in field_errors(r.text)["withdraw"]
    r = pia.post(f"/pool/familjer/{family_id}/radera", data={"csrf_token": token})
    assert r.status_code == 422 and "erase" in field_errors(r.text)
    assert api.pool.version_of(family_id) == before
    r = pia.post(f"/pool/familjer/{family_id}/uttrade", data={"csrf_token": token, "withdraw_confirm": "1"})
    assert r.status_code == 200 and "Familjen har lämnat poolen." in r.text
    r = pia.post(f"/pool/familjer/{family_id}/radera", data={"csrf_token": token, "erase_confirm": "1"})
    assert r.status_code == 200 and "personuppgifterna raderade" in r.text


def test_a_referral_is_closed_then_erased_by_its_municipality(api: Api) -> None:
    sara = api.pool.authenticate("sara.solna", PASSWORD)
    saved = api.pool.register_referral(sara, **referral_data())
    settle(api, saved)
    client = browser(api, "sara.solna")
    url = f"/forfragningar/{saved.id}"
    token = csrf_of(client.get(url).text)
    r = client.post(f"{url}/avsluta", data={"csrf_token": token, "outcome": "placed_elsewhere"})
    assert r.status_code == 422 and "close" in field_errors(r.text) and api.pool.version_of(saved.id) == 1
    r = client.post(f"{url}/avsluta", data={"csrf_token": token, "outcome": "placed_elsewhere",
                                            "closed_on": "2026-08-01", "close_confirm": "1"})
    assert r.status_code == 422 and "beslutsdatumet" in field_errors(r.text)["close"]
    r = client.post(f"{url}/avsluta", data={"csrf_token": token, "outcome": "placed_elsewhere",
                                            "close_note": "Egen familj.", "close_confirm": "1"})
    assert r.status_code == 200 and "Placerad på annat sätt" in r.text and "Egen familj." in r.text
    assert "Behöver lugn miljö" in r.text
    r = client.post(f"{url}/radera", data={"csrf_token": token, "erase_confirm": "1"})
    assert r.status_code == 200 and "Raderade" in r.text and "Behöver lugn miljö" not in r.text
    staff = browser(api, "pia.staff")
    page = staff.get(f"/pool/forfragningar/{saved.id}")
    assert page.status_code == 200 and "Raderade" in page.text


def test_pool_staff_close_a_referral_and_erasing_an_open_one_is_refused(api: Api) -> None:
    sara = api.pool.authenticate("sara.solna", PASSWORD)
    saved = api.pool.register_referral(sara, **referral_data())
    settle(api, saved)
    pia = browser(api, "pia.staff")
    url = f"/pool/forfragningar/{saved.id}"
    token = csrf_of(pia.get(url).text)
    r = pia.post(f"{url}/radera", data={"csrf_token": token, "erase_confirm": "1"})
    assert r.status_code == 409 and "avslutad" in field_errors(r.text)["erase"] and api.pool.version_of(saved.id) == 1
    r = pia.post(f"{url}/avsluta", data={"csrf_token": token, "outcome": "no_longer_needed", "close_confirm": "1"})
    assert r.status_code == 200 and "Behovet finns inte längre" in r.text
