"""The interest queue over HTTP on both backends: one open interest per member, arrival order with
reasons, free places, link outcomes and resting ("vilande") interests; every refusal writes nothing."""

from __future__ import annotations

import threading
import uuid
from datetime import date

from pool.actors import Actor, Role
from pool.errors import PoolError
from tests.integration.test_api_support import Api, api, http_published_family, http_referral, problem  # noqa: F401

def interest(api: Api, family_id: str, who: str = "municipality", referral_id: str | None = None) -> str:
    referral_id = referral_id or http_referral(api, who)
    r = api.call("POST", f"/api/catalogue/{family_id}/interest", who, json={"referral_id": referral_id})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def listed(api: Api, who: str = "pool_staff") -> dict[str, dict]:
    return {i["id"]: i for i in api.call("GET", "/api/interests", who).json()["items"]}


def test_a_second_interest_is_refused_and_a_referral_attaches_instead(api: Api) -> None:
    family_id = http_published_family(api)
    first = interest(api, family_id)
    second_referral = http_referral(api)
    before = api.pool.recorder.max_notification_id()
    r = api.call("POST", f"/api/catalogue/{family_id}/interest", "municipality",
                 json={"referral_id": second_referral}, headers={"Accept-Language": "sv"})
    assert r.status_code == 409
    body = problem(r)
    assert body["code"] == "interest.already_open" and "Koppla i stället" in body["detail"]
    assert api.pool.recorder.max_notification_id() == before
    r = api.call("POST", f"/api/interests/{first}/referrals", "municipality", json={"referral_id": second_referral})
    assert r.status_code == 200, r.text
    assert second_referral in listed(api, "municipality")[first]["referral_ids"]
    again = api.call("POST", f"/api/interests/{first}/referrals", "municipality", json={"referral_id": second_referral})
    assert problem(again)["code"] == "interest.referral_already_attached"
    # Another member still queues; after withdrawing, the member may register again.
    interest(api, family_id, "other_municipality")
    assert api.call("POST", f"/api/interests/{first}/withdraw", "municipality").status_code == 200
    interest(api, family_id)


def test_two_simultaneous_registrations_by_one_member_do_not_both_succeed(api: Api) -> None:
    family_id = uuid.UUID(http_published_family(api))
    solna = Actor(uuid.uuid4(), "sara.solna", Role.MUNICIPALITY, "0184")
    barrier, results = threading.Barrier(4), []

    def register() -> None:
        barrier.wait()
        try:
            results.append(api.pool.express_interest(solna, family_id).id)
        except PoolError as exc:
            results.append(exc.code)

    threads = [threading.Thread(target=register) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(isinstance(r, uuid.UUID) for r in results) == 1, results
    assert {r for r in results if not isinstance(r, uuid.UUID)} <= {"interest.already_open", "record.concurrent_update"}


def test_brokering_out_of_turn_needs_a_reason_that_the_waiting_member_sees_as_a_code(api: Api) -> None:
    family_id = http_published_family(api)
    early = interest(api, family_id, "other_municipality")  # Sigtuna first
    late = interest(api, family_id)  # then Solna
    before = api.pool.recorder.max_notification_id()
    r = api.call("POST", f"/api/interests/{late}/broker", "pool_staff")
    assert r.status_code == 422 and problem(r)["code"] == "interest.broker_reason_required"
    r = api.call("POST", f"/api/interests/{late}/broker", "pool_staff", json={"reason_code": "other"})
    assert r.status_code == 422 and problem(r)["code"] == "interest.broker_reason_text_required"
    r = api.call("POST", f"/api/interests/{late}/broker", "pool_staff", json={"reason_code": "akut"})
    assert r.status_code == 422
    assert api.pool.recorder.max_notification_id() == before
    r = api.call("POST", f"/api/interests/{late}/broker", "pool_staff",
                 json={"reason_code": "urgent_placement", "reason": "Barnet måste flytta i dag, Anna Berg vet."})
    assert r.status_code == 200, r.text
    staff = listed(api)
    assert staff[late]["broker_reason_code"] == "urgent_placement"
    waiting = listed(api, "other_municipality")
    assert set(waiting) == {early}
    assert waiting[early]["passed_by"] == ["urgent_placement"] and waiting[early]["queue_position"] == 1
    assert "Anna" not in api.call("GET", "/api/interests", "other_municipality").text
    # The written reason: sealed in the stored event, readable by staff and the member (audited), not others.
    r = api.call("GET", f"/api/interests/{late}/reasons", "pool_staff")
    assert r.status_code == 200 and r.json()["broker_reason"].startswith("Barnet måste flytta")
    assert api.call("GET", f"/api/interests/{late}/reasons", "other_municipality").status_code == 404
    assert "broker_reason" in api.call("GET", f"/api/audit?aggregate={late}", "pool_staff").text
    stored = [n for n in api.pool.recorder.select_notifications(start=before + 1, limit=50)
              if n.topic.endswith("Interest.Brokered")]
    assert stored and b"Anna Berg" not in stored[0].state


def test_a_written_reason_alone_counts_as_other(api: Api) -> None:
    family_id = http_published_family(api)
    interest(api, family_id, "other_municipality")
    late = interest(api, family_id)
    r = api.call("POST", f"/api/interests/{late}/broker", "pool_staff", json={"reason": "Syskon i samma familj."})
    assert r.status_code == 200, r.text
    assert listed(api)[late]["broker_reason_code"] == "other"


def test_brokering_stops_at_the_free_places_until_a_link_ends(api: Api) -> None:
    family_id = http_published_family(api, preferences={"child_age_min": 4, "child_age_max": 12, "max_children": 1})
    first = interest(api, family_id)
    second = interest(api, family_id, "other_municipality")
    assert api.call("POST", f"/api/interests/{first}/broker", "pool_staff").status_code == 200
    assert listed(api)[second]["resting"] is True  # the one place is promised
    before = api.pool.recorder.max_notification_id()
    r = api.call("POST", f"/api/interests/{second}/broker", "pool_staff")
    assert r.status_code == 409 and problem(r)["code"] == "interest.no_free_place"
    assert api.pool.recorder.max_notification_id() == before
    contact = api.call("GET", f"/api/families/{family_id}/contact", "municipality")
    assert contact.status_code == 200
    r = api.call("POST", f"/api/interests/{first}/not-started", "municipality", json={"outcome": "family_declined"})
    assert r.status_code == 200, r.text
    assert listed(api)[first]["status"] == "not_started"
    assert listed(api)[first]["link_outcome"] == "family_declined"
    assert api.call("GET", f"/api/families/{family_id}/contact", "municipality").status_code == 404
    reads = api.call("GET", f"/api/audit?aggregate={family_id}", "pool_staff")
    assert reads.status_code == 200 and "names" in reads.text  # the earlier read stays in the trail
    assert api.call("POST", f"/api/interests/{second}/broker", "pool_staff").status_code == 200


def test_link_outcome_refusals_write_nothing(api: Api) -> None:
    family_id = http_published_family(api)
    pending = interest(api, family_id)
    before = api.pool.recorder.max_notification_id()
    r = api.call("POST", f"/api/interests/{pending}/not-started", "pool_staff", json={"outcome": "family_declined"})
    assert r.status_code == 409 and problem(r)["code"] == "interest.no_open_link"
    r = api.call("POST", f"/api/interests/{pending}/not-started", "pool_staff", json={"outcome": "placement_started"})
    assert r.status_code == 422 and problem(r)["code"] == "interest.outcome_is_placement"
    r = api.call("POST", f"/api/interests/{pending}/not-started", "pool_staff", json={"outcome": "other"})
    assert r.status_code == 422
    assert api.pool.recorder.max_notification_id() == before


def test_recording_the_placement_ends_the_link_as_placement_started(api: Api) -> None:
    family_id = http_published_family(api)
    referral_id = http_referral(api)
    brokered = interest(api, family_id, referral_id=referral_id)
    assert api.call("POST", f"/api/interests/{brokered}/broker", "pool_staff").status_code == 200
    r = api.call("POST", "/api/placements", "pool_staff", json={
        "family_id": family_id, "municipality": "0184", "kind": "familjehem", "referral_id": referral_id,
        "start_date": date.today().isoformat(), "planned_end_date": "2027-10-01", "child_birth_month": "2016-05"})
    assert r.status_code == 201, r.text  # not before the brokering (today)
    row = listed(api)[brokered]
    assert (row["status"], row["link_outcome"]) == ("placed", "placement_started")
    assert api.call("GET", f"/api/families/{family_id}/contact", "municipality").status_code == 200
    interest(api, family_id)  # the interest is closed: the member may queue again (another child)


def test_interests_rest_while_the_family_is_unpublished_and_resume_in_order(api: Api) -> None:
    family_id = http_published_family(api)
    first = interest(api, family_id, "other_municipality")
    second = interest(api, family_id)
    assert [listed(api)[i]["queue_position"] for i in (first, second)] == [1, 2]
    assert api.call("POST", f"/api/families/{family_id}/unpublish", "pool_staff").status_code == 200
    rows = listed(api, "municipality")
    assert rows[second]["resting"] is True and rows[second]["queue_position"] is None
    assert api.call("POST", f"/api/families/{family_id}/publish", "pool_staff",
                    json={"description": "Aktiv familj med hund, nära skog och sjö."}).status_code == 200
    rows = listed(api)
    assert [(rows[i]["resting"], rows[i]["queue_position"]) for i in (first, second)] == [(False, 1), (False, 2)]


def test_two_simultaneous_brokerings_cannot_both_take_the_last_place(api: Api) -> None:
    family_id = http_published_family(api, preferences={"child_age_min": 4, "child_age_max": 12, "max_children": 1})
    first = uuid.UUID(interest(api, family_id))
    second = uuid.UUID(interest(api, family_id, "other_municipality"))
    staff = Actor(uuid.uuid4(), "pia.staff", Role.POOL_STAFF)
    barrier, results = threading.Barrier(2), []

    def broker(interest_id: uuid.UUID) -> None:
        barrier.wait()
        try:  # the second in line passes the first: with a reason, so only the place decides
            results.append(api.pool.broker_interest(staff, interest_id, reason_code="siblings").version)
        except PoolError as exc:
            results.append(exc.code)

    threads = [threading.Thread(target=broker, args=(i,)) for i in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert {r for r in results if isinstance(r, str)} <= {"interest.no_free_place", "record.concurrent_update"}
