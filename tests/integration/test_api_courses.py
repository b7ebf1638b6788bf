"""The course register, supervision and home type over HTTP on both backends (issue 12 section 6)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from tests.factories import family_data
from tests.integration.test_api_support import ALL_STEPS, Api, api, http_published_family, problem  # noqa: F401

HELD = (date.today() - timedelta(days=10)).isoformat()


def schedule(api: Api, place: str = "Familjepoolens lokaler, Sollentuna", held_on: str = HELD) -> str:
    r = api.call("POST", "/api/courses", "pool_staff", json={"course": "ett-hem-att-vaxa-i", "held_on": held_on,
                                                              "place": place})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def applicant(api: Api, **overrides) -> str:
    r = api.call("POST", "/api/families", "pool_staff", json=family_data(**overrides))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def approved(api: Api, **overrides) -> str:
    family_id = applicant(api, **overrides)
    for step in ALL_STEPS:
        assert api.call("POST", f"/api/families/{family_id}/investigation", "pool_staff",
                        json={"step": step, "outcome": "clear", "note": "ok"}).status_code == 200
    assert api.call("POST", f"/api/families/{family_id}/approve", "pool_staff").status_code == 200
    return family_id


def test_attendance_is_listed_on_the_course_and_recorded_as_the_familys_training(api: Api) -> None:
    course_id, family_id, other = schedule(api), applicant(api), http_published_family(api)
    for fid in (family_id, other):
        r = api.call("POST", f"/api/courses/{course_id}/attendance", "pool_staff", json={"family_id": fid})
        assert r.status_code == 200, r.text
    course = api.call("GET", f"/api/courses/{course_id}", "pool_staff").json()
    assert course["course"] == "ett-hem-att-vaxa-i" and course["attendees"] == 2
    assert [(a["family_id"], a["attended_on"], a["status"]) for a in course["attendance"]] == [
        (family_id, HELD, "applied"), (other, HELD, "published")]
    listed = api.call("GET", "/api/courses", "pool_staff").json()
    assert listed["total"] == 1 and listed["items"][0]["place"] == "Familjepoolens lokaler, Sollentuna"
    training = api.pool.repository.get(UUID(family_id)).training  # the family's own record, saved with it
    assert training == [{"course": "ett-hem-att-vaxa-i", "completed_on": date.fromisoformat(HELD)}]
    assert "ett-hem-att-vaxa-i" in api.call("GET", f"/api/catalogue/{other}", "municipality").json()["training"]


def test_course_refusals_write_nothing(api: Api) -> None:
    course_id, family_id = schedule(api), applicant(api)
    assert api.call("POST", f"/api/courses/{course_id}/attendance", "pool_staff",
                    json={"family_id": family_id}).status_code == 200
    rejected = applicant(api)
    assert api.call("POST", f"/api/families/{rejected}/reject", "pool_staff", json={"reason": "nej"}).status_code == 200
    erased = applicant(api)
    assert api.call("POST", f"/api/families/{erased}/erase", "pool_staff").status_code == 200
    before = api.pool.recorder.max_notification_id()
    cases = [
        ({"course": "ett-hem-att-vaxa-i", "held_on": HELD, "place": "Hemma hos 19721212-1219"}, 422,
         "course.place_personal_data", "/api/courses"),
        ({"course": "ett-hem-att-vaxa-i", "held_on": (date.today() + timedelta(days=400)).isoformat(),
          "place": "Kommunhuset"}, 422, "course.held_on_too_far", "/api/courses"),
        ({"family_id": family_id}, 409, "course.already_attended", f"/api/courses/{course_id}/attendance"),
        ({"family_id": rejected}, 409, "family.training_refused", f"/api/courses/{course_id}/attendance"),
        ({"family_id": erased}, 409, "family.erased", f"/api/courses/{course_id}/attendance"),
        ({"family_id": applicant_id_unknown()}, 404, "record.not_found", f"/api/courses/{course_id}/attendance"),
        ({"family_id": family_id, "attended_on": "2000-01-01"}, 422, None, f"/api/courses/{course_id}/attendance"),
    ]
    for body, code, error, path in cases:
        r = api.call("POST", path, "pool_staff", json=body)
        assert r.status_code == code, (body, r.text)
        if error:
            assert problem(r)["code"] == error, r.text
    r = api.call("POST", "/api/courses", "municipality", json={"course": "annan", "held_on": HELD, "place": "X"})
    assert r.status_code == 403
    assert api.pool.recorder.max_notification_id() == before


def applicant_id_unknown() -> str:
    return "00000000-0000-4000-8000-000000000000"


def test_supervision_is_sealed_read_in_the_audited_read_and_shredded_by_erasure(api: Api) -> None:
    family_id, applied = approved(api), applicant(api)
    r = api.call("POST", f"/api/families/{family_id}/supervision", "pool_staff",
                 json={"held_on": HELD, "note": "Samtal om umgänget med Mona."})
    assert r.status_code == 200, r.text
    stored = [e.state for e in api.pool.recorder.select_events(UUID(family_id))]
    assert not any("Mona".encode() in s for s in stored)
    family = api.call("GET", f"/api/families/{family_id}", "pool_staff").json()
    assert family["supervision"] == [{"held_on": HELD, "note": "Samtal om umgänget med Mona."}]
    before = api.pool.recorder.max_notification_id()
    r = api.call("POST", f"/api/families/{applied}/supervision", "pool_staff", json={"held_on": HELD})
    assert r.status_code == 409 and problem(r)["code"] == "family.supervision_refused"
    r = api.call("POST", f"/api/families/{family_id}/supervision", "pool_staff",
                 json={"held_on": (date.today() + timedelta(days=1)).isoformat()})
    assert r.status_code == 422 and problem(r)["code"] == "value.date_in_future"
    assert api.pool.recorder.max_notification_id() == before
    assert api.call("POST", f"/api/families/{family_id}/erase", "pool_staff").status_code == 200
    assert not api.pool.sealer.can_unseal(UUID(family_id))  # the note no longer opens
    r = api.call("POST", f"/api/families/{family_id}/supervision", "pool_staff", json={"held_on": HELD})
    assert r.status_code == 409 and problem(r)["code"] == "family.erased"
    assert not api.pool.sealer.can_unseal(UUID(family_id))  # no new key for an erased family


def test_a_network_home_is_marked_at_application_shown_in_the_register_and_never_published(api: Api) -> None:
    network = approved(api, home_type="network")
    entry = api.call("GET", f"/api/families/{network}", "pool_staff").json()
    assert entry["record"]["home_type"] == "network"
    r = api.call("PUT", f"/api/families/{network}/description", "pool_staff",
                 json={"description": "Aktiv familj med hund, nära skog och sjö."})
    assert r.status_code == 200
    assert api.call("POST", f"/api/families/{network}/description/review", "second_staff").status_code == 200
    before = api.pool.recorder.max_notification_id()
    r = api.call("POST", f"/api/families/{network}/publish", "pool_staff")
    assert r.status_code == 409 and problem(r)["code"] == "family.network_home_not_publishable"
    assert api.pool.recorder.max_notification_id() == before
    published = http_published_family(api)
    before = api.pool.recorder.max_notification_id()
    r = api.call("PUT", f"/api/families/{published}/home-type", "pool_staff", json={"home_type": "network"})
    assert r.status_code == 409 and problem(r)["code"] == "family.network_home_not_publishable"
    r = api.call("PUT", f"/api/families/{published}/home-type", "pool_staff", json={"home_type": "släkt"})
    assert r.status_code == 422
    assert api.pool.recorder.max_notification_id() == before
    r = api.call("PUT", f"/api/families/{network}/home-type", "pool_staff", json={"home_type": "recruited"})
    assert r.status_code == 200
    assert api.call("GET", "/api/families", "pool_staff").json()["items"][0]["home_type"] in ("recruited", "network")
