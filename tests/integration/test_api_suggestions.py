"""Ranked suggestions over HTTP on both backends: ranking with reasons, promised places, who sees what."""

from __future__ import annotations

from datetime import date, timedelta

from tests.integration.test_api_support import Api, api, http_published_family, http_referral, problem  # noqa: F401

STARTS = date.today() + timedelta(days=30)
START = STARTS.isoformat()
TEEN = f"{STARTS.year - 14}-{STARTS.month:02d}"  # 14 at the start, 13 or 14 today


def family(api: Api, home: str, kinds: list[str], lo: int, hi: int, languages: list[str], places: int = 1,
           siblings: bool = False) -> str:
    return http_published_family(api, kinds=kinds, home_municipality=home, preferences={
        "child_age_min": lo, "child_age_max": hi, "max_children": places, "siblings_ok": siblings,
        "languages": languages})


def test_suggestions_are_ranked_explained_and_scoped(api: Api) -> None:
    near = family(api, "0184", ["familjehem"], 11, 17, ["ar", "sv"])        # Solna, speaks Arabic, wants teens
    county = family(api, "0114", ["familjehem"], 0, 17, ["sv"])             # Upplands Väsby: same county
    far = family(api, "1280", ["familjehem", "jourhem"], 0, 17, ["sv"])     # Malmö: no reason, still suggested
    family(api, "0184", ["jourhem"], 0, 17, ["ar"])                         # does not offer the kind
    family(api, "0184", ["familjehem"], 0, 6, ["ar"])                       # too young a range
    promised = family(api, "0184", ["familjehem"], 0, 17, ["ar"])           # its one place is promised below
    other = http_referral(api, child_birth_month=TEEN)
    r = api.call("POST", f"/api/catalogue/{promised}/interest", "municipality", json={"referral_id": other})
    assert r.status_code == 201, r.text
    assert api.call("POST", f"/api/interests/{r.json()['id']}/broker", "pool_staff").status_code == 200

    referral = http_referral(api, child_birth_month=TEEN, expected_start=START, languages=["ar"])
    r = api.call("GET", f"/api/referrals/{referral}/suggestions", "pool_staff", headers={"Accept-Language": "sv"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["criteria"]["child_age"] == 14 and body["criteria"]["languages"] == ["ar"]
    items = body["items"]
    assert [i["family_id"] for i in items] == [near, county, far]
    assert [x["text"] for x in items[0]["reasons"]] == ["talar arabiska", "samma kommun", "önskar barn 11–17 år"]
    assert items[0]["score"] == 65 and items[1]["reasons"][0]["code"] == "match.same_county"
    assert items[2]["reasons"] == [] and items[2]["score"] == 0
    english = api.call("GET", f"/api/referrals/{referral}/suggestions", "pool_staff",
                       headers={"Accept-Language": "en"}).json()
    assert english["items"][0]["reasons"][0]["text"] == "speaks Arabic"

    # The referral's municipality sees the same ranking by catalogue code only; another member gets 404.
    own = api.call("GET", f"/api/referrals/{referral}/suggestions", "municipality").json()["items"]
    assert [i["code"] for i in own] == [i["code"] for i in items] and all(i["family_id"] is None for i in own)
    assert "Testsson" not in str(own) and "070" not in str(own)
    r = api.call("GET", f"/api/referrals/{referral}/suggestions", "other_municipality")
    assert r.status_code == 404 and problem(r)

    # Two suggestions proposed at once: the existing proposals.
    r = api.call("POST", f"/api/referrals/{referral}/proposals", "pool_staff", json={"family_ids": [near, county]})
    assert r.status_code == 200, r.text
    proposed = api.call("GET", f"/api/referrals/{referral}", "pool_staff").json()["proposed_families"]
    assert {p["family_id"] for p in proposed} == {near, county}


def test_siblings_and_criteria_change(api: Api) -> None:
    single = family(api, "0184", ["familjehem"], 0, 17, [], places=2)
    both = family(api, "0191", ["familjehem"], 0, 17, [], places=2, siblings=True)
    referral = http_referral(api, child_birth_month=TEEN)
    ids = [i["family_id"] for i in api.call("GET", f"/api/referrals/{referral}/suggestions", "pool_staff").json()["items"]]
    assert ids == [single, both]  # same municipality first
    r = api.call("PUT", f"/api/referrals/{referral}/criteria", "municipality", json={"children": 2})
    assert r.status_code == 200, r.text
    ids = [i["family_id"] for i in api.call("GET", f"/api/referrals/{referral}/suggestions", "pool_staff").json()["items"]]
    assert ids == [both]


def test_bad_criteria_are_refused_and_write_nothing(api: Api) -> None:
    referral = http_referral(api)
    before = api.pool.recorder.max_notification_id()
    r = api.call("PUT", f"/api/referrals/{referral}/criteria", "municipality", json={"children": 7})
    assert r.status_code == 422 and problem(r)["errors"][0]["field"] == "children"
    r = api.call("PUT", f"/api/referrals/{referral}/criteria", "municipality", json={"expected_start": "2031-01-01"})
    assert r.status_code == 422 and problem(r)["code"] == "referral.expected_start_out_of_range"
    r = api.call("PUT", f"/api/referrals/{referral}/criteria", "other_municipality", json={"children": 2})
    assert r.status_code == 404
    r = api.call("POST", "/api/referrals", "municipality", json={
        "kind": "familjehem", "legal_basis": "SoL", "decision_date": date.today().isoformat(),
        "child_birth_month": TEEN, "needs": "Stöd i skolan.", "languages": ["klingon"]})
    assert r.status_code == 422
    assert api.pool.recorder.max_notification_id() == before


def test_experience_from_an_ended_placement(api: Api) -> None:
    teen_home = family(api, "1280", ["familjehem"], 0, 17, [])
    other = family(api, "1280", ["familjehem"], 0, 17, [])
    start = date.today() - timedelta(days=200)
    r = api.call("POST", "/api/placements", "pool_staff", json={
        "family_id": teen_home, "municipality": "0184", "kind": "familjehem", "start_date": start.isoformat(),
        "planned_end_date": (start + timedelta(days=365)).isoformat(), "child_birth_month": f"{start.year - 15}-01"})
    assert r.status_code == 201, r.text
    placement = r.json()["id"]
    referral = http_referral(api, child_birth_month=TEEN)
    items = api.call("GET", f"/api/referrals/{referral}/suggestions", "pool_staff").json()["items"]
    assert [i["family_id"] for i in items] == [other]  # its one place is taken
    r = api.call("POST", f"/api/placements/{placement}/end", "pool_staff",
                 json={"end_date": date.today().isoformat(), "reason": "moved_home"})
    assert r.status_code == 200, r.text
    items = api.call("GET", f"/api/referrals/{referral}/suggestions", "pool_staff",
                     headers={"Accept-Language": "sv"}).json()["items"]
    assert [i["family_id"] for i in items] == [teen_home, other]
    assert [x["text"] for x in items[0]["reasons"]] == ["har tagit emot tonåringar förut"]


def test_an_urgent_jourhem_referral_is_matched_with_homes_available_today(api: Api) -> None:
    child = f"{STARTS.year - 9}-{STARTS.month:02d}"
    ready = family(api, "1280", ["jourhem"], 0, 17, ["sv"])
    later = family(api, "0184", ["jourhem"], 0, 17, ["ar"])       # would rank first, but is available later only
    silent = family(api, "0184", ["jourhem"], 0, 17, ["sv"])      # has said nothing
    today, soon = date.today(), date.today() + timedelta(days=40)
    periods = {ready: [{"from": str(today - timedelta(days=3)), "to": str(today + timedelta(days=10))}],
               later: [{"from": str(soon), "to": str(soon + timedelta(days=10))}]}
    for family_id, listed in periods.items():
        r = api.call("PUT", f"/api/families/{family_id}/availability", "pool_staff", json={"periods": listed})
        assert r.status_code == 200, r.text
    referral = http_referral(api, kind="jourhem", child_birth_month=child, languages=["ar"])

    def suggested() -> list[str | None]:
        body = api.call("GET", f"/api/referrals/{referral}/suggestions", "pool_staff",
                        headers={"Accept-Language": "sv"}).json()
        return [i["family_id"] for i in body["items"]]

    assert suggested()[0] == later and set(suggested()) >= {ready, later, silent}  # not urgent: all of them
    r = api.call("PUT", f"/api/referrals/{referral}/urgent", "municipality", json={"urgent": True})
    assert r.status_code == 200, r.text
    body = api.call("GET", f"/api/referrals/{referral}/suggestions", "pool_staff",
                    headers={"Accept-Language": "sv"}).json()
    assert body["criteria"]["urgent"] is True and [i["family_id"] for i in body["items"]] == [ready]
    until = today + timedelta(days=10)
    assert body["items"][0]["reasons"][0]["code"] == "match.available_now"
    assert body["items"][0]["reasons"][0]["params"]["until"] == str(until)

    # Refusals write nothing: a home that is not a jourhem, overlapping periods, another member's referral.
    teen_home = family(api, "0184", ["familjehem"], 13, 17, ["sv"])
    before = api.pool.recorder.max_notification_id()
    r = api.call("PUT", f"/api/families/{teen_home}/availability", "pool_staff", json={"periods": periods[ready]})
    assert r.status_code == 409 and problem(r)["code"] == "family.availability_needs_jourhem"
    r = api.call("PUT", f"/api/families/{ready}/availability", "pool_staff",
                 json={"periods": [*periods[ready], *periods[ready]]})
    assert r.status_code == 422 and problem(r)["code"] == "family.availability_overlap"
    r = api.call("PUT", f"/api/families/{ready}/availability", "pool_staff",
                 json={"periods": [{"from": "2027-01-01"}]})
    assert r.status_code == 422
    assert api.call("PUT", f"/api/families/{ready}/availability", "municipality",
                    json={"periods": []}).status_code == 403
    assert api.call("PUT", f"/api/referrals/{referral}/urgent", "other_municipality",
                    json={"urgent": False}).status_code == 404
    r = api.call("PUT", f"/api/referrals/{referral}/urgent", "municipality", json={"urgent": True})
    assert r.status_code == 409 and problem(r)["code"] == "referral.urgency_unchanged"
    assert api.pool.recorder.max_notification_id() == before
