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
    (f"/styrgrupp/placerade-barn/{YEAR - 1}/0184", "/styrgrupp/placerade-barn", {"children-0184": "4"}),
    ("/styrgrupp/placerade-barn/import/spara", "/styrgrupp/placerade-barn",
     {"year": "2025", "source": "x", "figure": "0184:9"}),
    (f"/styrgrupp/kostnadsfordelning/{YEAR}/faststall", f"/styrgrupp/kostnadsfordelning?ar={YEAR}", {}),
    ("/admin/medlemmar/0184/placerade", "/admin/medlemmar/0184",
     {"placed_year": "2025", "placed_children": "5", "placed_source": ""}),
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
                api.pool.record_placed_children(SYSTEM, code, YEAR - 1, children=20 + n, source="test")
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


def test_placed_children_by_form_and_by_file_import(api: Api) -> None:
    stina = signed_in(api, "stina.steering")
    page = stina.get(f"/styrgrupp/placerade-barn?ar={YEAR + 1}")
    assert page.status_code == 200 and "saknas" in page.text
    token = csrf_of(page.text)
    r = stina.post(f"/styrgrupp/placerade-barn/{YEAR + 1}/0184",
                   data={"children-0184": "212", "source-0184": "IFO", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    r = stina.post(f"/styrgrupp/placerade-barn/{YEAR + 1}/0184", data={"children-0184": "-3", "csrf_token": token})
    assert r.status_code == 422
    r = stina.post("/styrgrupp/placerade-barn/import", data={"year": str(YEAR + 1), "source": "", "csrf_token": token},
                   files={"file": ("placerade.csv", "kommunkod;antal\n0184;212\n0191;97\n0138;5\n".encode())})
    assert r.status_code == 200 and "Kontrollera importen" in r.text and "inget är sparat ännu" in r.text
    assert "0191 Sigtuna" in r.text and "0138" in r.text  # Tyresö is not a member: listed, skipped
    figures = re.findall(r'name="figure" value="([^"]+)"', r.text)
    assert figures == ["0184:212", "0191:97"]  # 0184 gets a new source, so it is written again
    r = stina.post("/styrgrupp/placerade-barn/import/spara", follow_redirects=False,
                   data={"year": str(YEAR + 1), "source": "fil", "figure": figures, "csrf_token": csrf_of(r.text)})
    assert r.status_code == 303
    members = {m["municipality"]: m for m in api.client.app.state.read_models.members()}
    assert members["0191"]["placed_children"][YEAR + 1] == {"children": 97, "source": "fil"}
    bad = stina.post("/styrgrupp/placerade-barn/import", data={"year": str(YEAR + 1), "csrf_token": token},
                     files={"file": ("x.csv", b"0184;many\n")})
    assert bad.status_code == 422 and "inget har sparats" in bad.text


def test_the_steering_group_adopts_and_sees_the_changes_since(api: Api) -> None:
    year = YEAR + 3  # a year of its own: the other tests read YEAR preliminary
    for n, code in enumerate(sorted(MEMBERS)):
        api.pool.record_child_population(SYSTEM, code, year - 1, children=2000 + n)
        api.pool.record_placed_children(SYSTEM, code, year - 1, children=30 + n)
    saved = api.pool.set_budget(SYSTEM, year, amount_sek="1000000.01")
    api.client.app.state.read_models.wait_for(saved.position, timeout=5)
    stina = signed_in(api, "stina.steering")
    page = stina.get(f"/styrgrupp/kostnadsfordelning?ar={year}").text
    assert "Preliminär" in page and "Fastställ fördelningen" in page
    adam = signed_in(api, "adam.admin")
    admin_page = adam.get(f"/styrgrupp/kostnadsfordelning?ar={year}").text
    assert "Fastställ fördelningen" not in admin_page
    assert adam.post(f"/styrgrupp/kostnadsfordelning/{year}/faststall", data={"csrf_token": csrf_of(admin_page)}
                     ).status_code == 403
    r = stina.post(f"/styrgrupp/kostnadsfordelning/{year}/faststall", data={"csrf_token": csrf_of(page)},
                   follow_redirects=False)
    assert r.status_code == 303
    page = stina.get(f"/styrgrupp/kostnadsfordelning?ar={year}").text
    assert "Fastställd" in page and "version 1 av 1" in page and "Inga ändringar" in page
    saved = api.pool.record_placed_children(SYSTEM, "0184", year - 1, children=60, source="rättad")
    api.client.app.state.read_models.wait_for(saved.position, timeout=5)
    page = stina.get(f"/styrgrupp/kostnadsfordelning?ar={year}").text
    assert 'id="table-andringar"' in page and "34 → 60" in page
    r = stina.post(f"/styrgrupp/kostnadsfordelning/{year}/faststall", data={"csrf_token": csrf_of(page)})
    assert r.status_code == 422 and "Ange skälet till en ny version" in r.text
    r = stina.post(f"/styrgrupp/kostnadsfordelning/{year}/faststall", follow_redirects=False,
                   data={"csrf_token": csrf_of(page), "reason": "Rättad uppgift från Solna"})
    assert r.status_code == 303
    page = stina.get(f"/styrgrupp/kostnadsfordelning?ar={year}").text
    assert "version 2 av 2" in page and "Rättad uppgift från Solna" in page
    one = stina.get(f"/styrgrupp/kostnadsfordelning?ar={year}&version=1").text
    assert "version 1 av 2" in one and f"/styrgrupp/kostnadsfordelning/{year}.csv?version=1" in one
    csv_text = stina.get(f"/styrgrupp/kostnadsfordelning/{year}.csv?version=1").content.decode("utf-8-sig")
    assert csv_text.splitlines()[1].endswith(",adopted,1," + csv_text.splitlines()[1].rsplit(",", 1)[1])
