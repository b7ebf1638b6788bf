"""The work list over HTTP on both backends: each kind of item, oldest first, a consultant's own items
(kontaktkommuner and followed families) or everyone's, and only for pool staff."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient

from tests.factories import family_data
from tests.integration.test_api_support import Api, api, http_published_family, http_referral, problem  # noqa: F401
from tests.integration.test_web_session import csrf_of, sign_in

LATER = (date.today() + timedelta(days=100)).isoformat()  # the day asked about: today's cases have aged


def worklist(api: Api, scope: str = "mine", who: str = "pool_staff") -> dict:
    r = api.call("GET", f"/api/worklist?scope={scope}&on={LATER}", who)
    assert r.status_code == 200, r.text
    return r.json()


def kinds(body: dict) -> set[tuple[str, str | None, str | None]]:
    return {(i["kind"], i["family_id"], i["referral_id"]) for i in body["items"]}


def build(api: Api) -> dict[str, str]:
    """One item of each kind; Solna (0184) is Pia's kontaktkommun, the rest happens elsewhere."""
    r = api.call("POST", "/api/families", "pool_staff", json=family_data(home_municipality="0184"))
    assert r.status_code == 201, r.text
    applicant = r.json()["id"]
    f1, f2 = http_published_family(api), http_published_family(api)  # both live in Sollentuna (0163)
    referral = http_referral(api, decision_date=(date.today() - timedelta(days=20)).isoformat())
    r = api.call("POST", f"/api/referrals/{referral}/proposals", "pool_staff", json={"family_ids": [f1]})
    assert r.status_code == 200, r.text
    r = api.call("POST", f"/api/catalogue/{f1}/interest", "other_municipality", json={})
    assert r.status_code == 201, r.text  # Sigtuna's interest: new, awaiting an answer
    r = api.call("POST", f"/api/catalogue/{f2}/interest", "municipality", json={})
    assert r.status_code == 201, r.text
    link = r.json()["id"]
    assert api.call("POST", f"/api/interests/{link}/broker", "pool_staff").status_code == 200
    r = api.call("POST", "/api/placements", "pool_staff", json={
        "family_id": f1, "municipality": "0163", "kind": "familjehem", "start_date": "2025-01-10",
        "planned_end_date": "2025-06-30", "child_birth_month": "2016-05"})
    assert r.status_code == 201, r.text
    return {"applicant": applicant, "f1": f1, "f2": f2, "referral": referral, "placement": r.json()["id"]}


def test_each_kind_oldest_first_mine_and_all_and_staff_only(api: Api) -> None:
    ids = build(api)
    everyone = worklist(api, "all")
    assert everyone["scope"] == "all"
    assert {
        ("applicant_untouched", ids["applicant"], None),
        ("referral_three_months", None, ids["referral"]),
        ("proposal_unanswered", ids["f1"], ids["referral"]),
        ("link_no_outcome", ids["f2"], None),
        ("family_no_course", ids["f1"], None),
        ("family_no_course", ids["f2"], None),
    } <= kinds(everyone)
    assert {i["kind"] for i in everyone["items"]} == {
        "applicant_untouched", "referral_three_months", "interest_new", "proposal_unanswered", "link_no_outcome",
        "placement_due", "family_no_course"}
    days = [i["on"] for i in everyone["items"]]
    assert days == sorted(days)  # oldest first
    first = everyone["items"][0]
    assert first["kind"] == "placement_due" and first["late"] and first["link"] == f"/pool/placeringar/{ids['placement']}"
    referral_item = next(i for i in everyone["items"] if i["kind"] == "referral_three_months")
    assert referral_item["late"] and referral_item["referral_code"].startswith("F-")
    assert referral_item["link"] == f"/pool/forfragningar/{ids['referral']}"
    assert "Testsson" not in str(everyone)  # codes and links, never names

    # Nothing assigned: "mine" is everyone's, as in the e-mail digest.
    assert worklist(api, "mine")["scope"] == "all"
    assert api.call("PUT", "/api/users/pia.staff/contact-municipalities", "admin",
                    json={"municipalities": ["0184"]}).status_code == 204
    mine = worklist(api, "mine")
    assert mine["scope"] == "mine" and mine["assigned"]["municipalities"] == ["0184"]
    assert {i["kind"] for i in mine["items"]} == {
        "applicant_untouched", "referral_three_months", "proposal_unanswered", "link_no_outcome"}
    # Following a family brings its items whatever the municipality.
    r = api.call("PUT", "/api/users/pia.staff/followed-families", "admin", json={"family_ids": [ids["f1"]]})
    assert r.status_code == 204, r.text
    mine = worklist(api, "mine")
    assert mine["assigned"]["family_ids"] == [ids["f1"]]
    assert {("interest_new", ids["f1"]), ("placement_due", ids["f1"]), ("family_no_course", ids["f1"])} <= {
        (i["kind"], i["family_id"]) for i in mine["items"]}
    assert ("family_no_course", ids["f2"], None) not in kinds(mine)
    assert len(worklist(api, "all")["items"]) == len(everyone["items"])
    assert worklist(api, "mine", "second_staff")["scope"] == "all"  # Per has nothing assigned

    # Only pool staff; only the admin assigns, and only to pool staff, only existing families.
    for who in ("municipality", "steering", "admin"):
        assert api.call("GET", "/api/worklist", who).status_code == 403
    assert api.call("GET", "/api/worklist", None).status_code == 401
    assert api.call("PUT", "/api/users/pia.staff/followed-families", "pool_staff",
                    json={"family_ids": []}).status_code == 403
    r = api.call("PUT", "/api/users/sara.solna/followed-families", "admin", json={"family_ids": [ids["f1"]]})
    assert r.status_code == 422 and problem(r)["code"] == "user.followed_families_staff_only"
    r = api.call("PUT", "/api/users/pia.staff/followed-families", "admin",
                 json={"family_ids": [ids["referral"]]})
    assert r.status_code == 422 and problem(r)["code"] == "user.followed_family_unknown"


def test_a_course_in_the_last_year_takes_the_family_off_the_list(api: Api) -> None:
    family_id = http_published_family(api)
    assert ("family_no_course", family_id, None) in kinds(worklist(api, "all"))
    r = api.call("POST", f"/api/families/{family_id}/training", "pool_staff",
                 json={"course": "ett-hem-att-vaxa-i", "completed_on": date.today().isoformat()})
    assert r.status_code == 200, r.text
    assert ("family_no_course", family_id, None) not in kinds(worklist(api, "all"))


def test_the_admin_assigns_on_a_page_and_the_consultant_lands_on_the_work_list(api: Api) -> None:
    ids = build(api)
    code = next(i["family_code"] for i in worklist(api, "all")["items"] if i["family_id"] == ids["f1"])
    admin = TestClient(api.client.app)
    assert sign_in(admin, "adam.admin").status_code == 303
    assert "/admin/anvandare/pia.staff/arbetslista" in admin.get("/admin/anvandare").text
    assert admin.get("/admin/anvandare/sara.solna/arbetslista").status_code == 404  # not pool staff
    form = admin.get("/admin/anvandare/pia.staff/arbetslista").text
    r = admin.post("/admin/anvandare/pia.staff/arbetslista", follow_redirects=False, data={
        "csrf_token": csrf_of(form), "municipalities": "0184", "families": "FP-9999 nonsense"})
    assert r.status_code == 422 and "Känns inte igen: FP-9999, nonsense" in r.text
    assert worklist(api, "mine")["scope"] == "all"  # nothing was saved
    r = admin.post("/admin/anvandare/pia.staff/arbetslista", follow_redirects=False, data={
        "csrf_token": csrf_of(form), "municipalities": ["0184", "0191"], "families": f"{code}\n"})
    assert r.status_code == 303, r.text
    assert worklist(api, "mine")["assigned"] == {"municipalities": ["0184", "0191"], "family_ids": [ids["f1"]]}
    again = admin.get("/admin/anvandare/pia.staff/arbetslista").text
    assert code in again and 'value="0191" checked' in again

    pia = TestClient(api.client.app)
    r = sign_in(pia, "pia.staff")
    assert r.status_code == 303 and r.headers["location"] == "/arbetslista"
    page = pia.get("/arbetslista").text
    assert "Placering som löper ut" in page and f'href="/pool/placeringar/{ids["placement"]}"' in page
    assert "Testsson" not in page and 'href="/arbetslista?visa=alla"' in page
    assert "Ingen utbildning senaste året" in pia.get("/arbetslista?visa=alla").text
    sara = TestClient(api.client.app)
    sign_in(sara, "sara.solna")
    assert sara.get("/arbetslista").status_code == 403
