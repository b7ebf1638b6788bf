"""Steering and admin pages over HTTP: CSRF on every form, roles per route, 404s, downloads' headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SYSTEM
from tests.factories import MEMBERS
from tests.integration.test_api_support import Api, start_api
from tests.integration.test_web_session import csrf_of, sign_in

YEAR = date.today().year
# Every form of the steering and admin pages: (path, the page that carries its token, valid data)
POSTS = [
    ("/styrgrupp/budget", "/styrgrupp/budget", {"year": "2030", "amount_sek": "100000"}),
    (f"/styrgrupp/rapporterade/{YEAR}/0184", "/styrgrupp/rapporterade", {"count-0184": "4"}),
    ("/admin/medlemmar/ny", "/admin/medlemmar/ny", {"kommunkod": "0186", "name": "Lidingö", "joined_on": "2026-01-01"}),
    ("/admin/medlemmar/0184", "/admin/medlemmar/0184", {"name": "Solna stad", "joined_on": "2020-01-01"}),
    ("/admin/medlemmar/0184/befolkning", "/admin/medlemmar/0184", {"pop_year": "2025", "children": "5", "source": ""}),
    ("/admin/medlemmar/0139/lamnar", "/admin/medlemmar/0139", {"left_on": "2030-12-31"}),
    ("/admin/befolkning/import/spara", "/admin/befolkning/import", {"year": "2025", "source": "x", "figure": "0184:9"}),
    ("/admin/anvandare/ny", "/admin/anvandare/ny",
     {"username": "ny.person", "role": "steering", "password": "ett långt lösenord",
      "password_again": "ett långt lösenord"}),
    ("/admin/anvandare/pia.staff/inaktivera", "/admin/anvandare", {}),
    ("/admin/anvandare/pia.staff/losenord", "/admin/anvandare/pia.staff/losenord",
     {"password": "ett långt lösenord", "password_again": "ett långt lösenord"}),
]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web-steering')}/familjepool.db"
    with pytest.MonkeyPatch.context() as mp:
        for api in start_api(url, mp):
            for n, code in enumerate(sorted(MEMBERS)):
                api.pool.record_child_population(SYSTEM, code, YEAR - 1, children=1000 + n, source="test")
            saved = api.pool.set_budget(SYSTEM, YEAR, amount_sek="600000.00")
            api.client.app.state.read_models.wait_for(saved.position, timeout=5)
            yield api


def signed_in(api: Api, username: str) -> TestClient:
    client = TestClient(api.client.app)
    assert sign_in(client, username).status_code == 303
    return client


@pytest.mark.parametrize("path, page, data", POSTS)
def test_every_form_needs_its_csrf_token(api: Api, path: str, page: str, data: dict[str, str]) -> None:
    admin = signed_in(api, "adam.admin")
    head = api.pool.recorder.max_notification_id()
    for token in (None, "forged"):
        body = data if token is None else {**data, "csrf_token": token}
        r = admin.post(path, data=body, follow_redirects=False)
        assert r.status_code == 403 and "säkerhetskoden" in r.text
    assert api.pool.recorder.max_notification_id() == head


@pytest.mark.parametrize("username", ["stina.steering", "pia.staff", "sara.solna"])
def test_admin_forms_refuse_other_roles_even_with_a_token(api: Api, username: str) -> None:
    client = signed_in(api, username)
    token = csrf_of(client.get("/").text if username == "sara.solna" else client.get("/start").text)
    head = api.pool.recorder.max_notification_id()
    for path, _, data in POSTS:
        if path.startswith("/admin/"):
            assert client.post(path, data={**data, "csrf_token": token}, follow_redirects=False).status_code == 403
    assert api.pool.recorder.max_notification_id() == head


def test_steering_sets_a_budget_and_the_municipality_may_not(api: Api) -> None:
    stina = signed_in(api, "stina.steering")
    token = csrf_of(stina.get("/styrgrupp/budget").text)
    r = stina.post("/styrgrupp/budget", data={"year": "2032", "amount_sek": "1 000", "csrf_token": token},
                   follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/styrgrupp/budget"
    assert 2032 in [b["year"] for b in api.client.app.state.read_models.budgets()]
    r = stina.post("/styrgrupp/budget", data={"year": "1999", "amount_sek": "1,234", "csrf_token": token})
    assert r.status_code == 422
    assert re.search(r'id="err-year">[^<]*Ange ett år mellan 2000 och 2100', r.text)
    assert re.search(r'id="err-amount_sek">[^<]*Ange ett belopp i kronor', r.text)
    sara = signed_in(api, "sara.solna")
    for path in ("/styrgrupp/budget", f"/styrgrupp/kostnadsfordelning/{YEAR}.csv", "/styrgrupp/statistik.csv",
                 "/styrgrupp/ej-verkstallda.csv", f"/styrgrupp/kostnadsfordelning/{YEAR}/underlag/0184.pdf"):
        assert sara.get(path).status_code == 403, path


def test_downloads_and_their_headers(api: Api) -> None:
    stina = signed_in(api, "stina.steering")
    r = stina.get(f"/styrgrupp/kostnadsfordelning/{YEAR}.csv")
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == f'attachment; filename="kostnadsfordelning-{YEAR}.csv"'
    assert r.content.startswith("\ufeff".encode()) and r.headers["cache-control"] == "no-store"
    excel = stina.get(f"/styrgrupp/kostnadsfordelning/{YEAR}.csv?dialekt=excel").content.decode("utf-8-sig")
    assert excel.startswith("kommunkod;kommun;barn 0-17;") and "600000,00" in excel.splitlines()[-1]
    page = stina.get(f"/styrgrupp/kostnadsfordelning?ar={YEAR}").text
    assert f'href="/styrgrupp/kostnadsfordelning/{YEAR}.csv?dialekt=excel"' in page
    r = stina.get(f"/styrgrupp/kostnadsfordelning/{YEAR}/underlag/0191.pdf")
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert stina.get(f"/styrgrupp/kostnadsfordelning/{YEAR}/underlag/0999.pdf").status_code == 404
    assert stina.get(f"/styrgrupp/kostnadsfordelning/{YEAR}/underlag/0184.doc").status_code == 404
    assert stina.get("/styrgrupp/kostnadsfordelning/tjugo.csv").status_code == 404
    r = stina.get(f"/styrgrupp/kostnadsfordelning/{YEAR + 9}.csv")
    assert r.status_code == 409 and f"Ingen budget är satt för {YEAR + 9}." in r.text
    assert stina.get("/styrgrupp/statistik.csv?del=okand").status_code == 404
    r = stina.get("/styrgrupp/statistik.csv?del=vantetider&kommun=0184")
    assert r.status_code == 200 and "waiting" in r.text and "funnel" not in r.text
    assert stina.get("/styrgrupp/ej-verkstallda?kvartal=5").status_code == 422


def test_unknown_records_are_swedish_404_pages(api: Api) -> None:
    adam = signed_in(api, "adam.admin")
    for path in ("/admin/medlemmar/0999", "/admin/anvandare/ingen.alls/losenord"):
        r = adam.get(path)
        assert r.status_code == 404 and "Sidan hittades inte" in r.text, path


def test_demand_page_names_the_gaps_and_downloads_the_months(api: Api) -> None:
    from tests.conftest import SIGTUNA
    from tests.factories import referral_data

    saved = api.pool.register_referral(SIGTUNA, **referral_data(kind="jourhem", decision_date=date.today().isoformat(),
                                                                 child_birth_month="2012-01"))
    api.client.app.state.read_models.wait_for(saved.position, timeout=5)
    for who in ("stina.steering", "pia.staff"):
        page = signed_in(api, who).get("/styrgrupp/behov?insats=jourhem")
        assert page.status_code == 200
        assert "1 förfrågan om jourhem 13-17 år, 0 lediga familjer, 0 under utredning" in page.text
        assert 'id="table-demand-months"' in page.text and 'id="chart-demand"' in page.text
    steering = signed_in(api, "stina.steering")
    assert steering.get("/styrgrupp/behov?insats=flyghem").status_code == 422
    csv_text = steering.get("/styrgrupp/behov.csv").content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0] == "month,kind,age_band,demand,supply,pipeline" and len(lines) == 1 + 24 * 15
    assert f"{date.today().isoformat()[:7]},jourhem,13-17,1,0,0" in lines
    assert signed_in(api, "sara.solna").get("/styrgrupp/behov").status_code == 403
