"""The course register, supervision, home type and the new statistics sections as web pages, on both backends."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from fastapi.testclient import TestClient

from tests.integration.test_api_courses import approved, applicant
from tests.integration.test_api_support import Api, api, http_published_family  # noqa: F401
from tests.integration.test_web_session import csrf_of, sign_in

HELD = (date.today() - timedelta(days=7)).isoformat()


def staff(api: Api) -> TestClient:
    client = TestClient(api.client.app)
    assert sign_in(client, "pia.staff").status_code == 303
    return client


def post(client: TestClient, page: str, path: str, data: dict[str, str]):
    token = csrf_of(client.get(page).text)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def test_a_course_is_created_and_families_recorded_by_catalogue_code_or_id(api: Api) -> None:
    pia = staff(api)
    assert 'href="/pool/kurser"' in pia.get("/pool").text
    r = post(pia, "/pool/kurser", "/pool/kurser", {"course": "ett-hem-att-vaxa-i", "held_on": HELD,
                                                   "place": "Familjepoolens lokaler, Sollentuna"})
    assert r.status_code == 303, r.text
    course_url = r.headers["location"]
    published, waiting = http_published_family(api), applicant(api)
    code = api.call("GET", f"/api/catalogue/{published}", "municipality").json()["code"]
    for family in (code, waiting):
        r = post(pia, course_url, f"{course_url}/deltagare", {"family": family, "attended_on": ""})
        assert r.status_code == 303, r.text
    page = pia.get(course_url).text
    assert "Deltagare (2)" in page and f'/pool/familjer/{published}' in page and f'/pool/familjer/{waiting}' in page
    assert "Ett hem att växa i" in pia.get("/pool/kurser").text
    assert "Ett hem att växa i" in pia.get(f"/pool/familjer/{waiting}").text  # the family's training
    course_id = UUID(course_url.rsplit("/", 1)[1])

    def versions() -> list[int]:  # the pages' own reads are audited (DataAccess): count the records' events
        return [len(api.pool.recorder.select_events(i)) for i in (course_id, UUID(waiting))]

    before = versions()
    r = post(pia, course_url, f"{course_url}/deltagare", {"family": waiting})
    assert r.status_code == 409 and "redan på kursens deltagarlista" in r.text
    r = post(pia, course_url, f"{course_url}/deltagare", {"family": "FP-9999"})
    assert r.status_code == 422 and "Ingen familj med den katalogkoden" in r.text
    r = post(pia, "/pool/kurser", "/pool/kurser", {"course": "ett-hem-att-vaxa-i", "held_on": HELD,
                                                   "place": "Storgatan 5, Sollentuna"})
    assert r.status_code == 422 and "Platsen innehåller personuppgifter" in r.text
    assert versions() == before
    assert api.call("GET", "/api/courses", "pool_staff").json()["total"] == 1


def test_supervision_and_home_type_forms_on_the_family_page(api: Api) -> None:
    pia, family_id = staff(api), approved(api)
    page = f"/pool/familjer/{family_id}"
    r = post(pia, page, f"{page}/handledning", {"supervision_on": HELD, "supervision_note": "Stöd kring umgänget."})
    assert r.status_code == 303, r.text
    html = pia.get(page).text
    assert f"{HELD}: Stöd kring umgänget." in html and "Rekryterat familjehem." in html
    r = post(pia, page, f"{page}/hemtyp", {"home_type": "network"})
    assert r.status_code == 303, r.text
    assert "Nätverkshem (släkting" in pia.get(page).text
    assert '<span class="badge">Nätverkshem</span>' in pia.get("/pool").text  # the register marks it
    waiting = applicant(api)

    def versions() -> list[int]:  # the pages' own reads are audited (DataAccess): count the families' events
        return [len(api.pool.recorder.select_events(UUID(f))) for f in (family_id, waiting)]

    before = versions()
    r = post(pia, f"/pool/familjer/{waiting}", f"/pool/familjer/{waiting}/handledning", {"supervision_on": HELD})
    assert r.status_code == 409 and "Handledning registreras för en godkänd familj" in r.text
    r = post(pia, page, f"{page}/handledning", {"supervision_on": (date.today() + timedelta(days=3)).isoformat()})
    assert r.status_code == 422
    assert versions() == before
    stored = b"".join(e.state for e in api.pool.recorder.select_events(UUID(family_id)))
    assert "umgänget".encode() not in stored


def test_the_statistics_page_shows_home_types_and_the_pool_share_per_year(api: Api) -> None:
    pia = staff(api)
    html = pia.get("/styrgrupp/statistik").text
    assert "Nätverkshem och rekryterade hem" in html and "Andel genom poolen per år" in html
    r = pia.get("/styrgrupp/statistik.csv?del=hemtyp")
    assert r.status_code == 200 and "home_types" in r.text and "funnel" not in r.text
    assert pia.get("/styrgrupp/statistik.csv?del=andel-genom-poolen").status_code == 200
