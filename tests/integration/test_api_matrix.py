"""Every endpoint called by every role and by a user of another municipality: the exact status.

Roles: anon (no token), pool_staff, municipality (Solna, the owner of the records), other
(Sigtuna), steering, admin. Each allowed call gets a fresh set-up, so a state change by one role
never changes what the next one sees.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from tests.conftest import SECOND_STAFF, SOLNA, STAFF, SYSTEM
from tests.factories import (
    ALL_STEPS, approved_family, family_data, published_family, referral_data, reviewed_description)
from tests.integration.test_api_support import PASSWORD, Api, api  # noqa: F401

ROLES = ["anon", "pool_staff", "municipality", "other_municipality", "steering", "admin"]


def ctx_applied(api: Api) -> dict[str, Any]:
    return {"F": api.pool.apply_family(STAFF, **family_data()).id}


def ctx_investigated(api: Api) -> dict[str, Any]:
    family_id = api.pool.apply_family(STAFF, **family_data()).id
    for step in ALL_STEPS:
        api.pool.record_investigation_step(STAFF, family_id, step=step, outcome="clear")
    return {"F": family_id}


def ctx_approved(api: Api) -> dict[str, Any]:
    return {"F": approved_family(api.pool)}


def ctx_described(api: Api) -> dict[str, Any]:
    """An approved family whose description Per wrote: Pia may review it."""
    family_id = approved_family(api.pool)
    api.pool.set_description(SECOND_STAFF, family_id, description="Lugn familj nära skogen.")
    return {"F": family_id}


def ctx_reviewed(api: Api) -> dict[str, Any]:
    family_id = approved_family(api.pool)
    reviewed_description(api.pool, family_id, "Lugn familj nära skogen.")
    return {"F": family_id}


def ctx_jourhem(api: Api) -> dict[str, Any]:
    return {"F": approved_family(api.pool, kinds=["jourhem"])}


def ctx_published(api: Api) -> dict[str, Any]:
    return {"F": published_family(api.pool)}


def ctx_referral(api: Api) -> dict[str, Any]:
    return {"R": api.pool.register_referral(SOLNA, **referral_data()).id, **ctx_published(api)}


def ctx_interest(api: Api) -> dict[str, Any]:
    ctx = ctx_published(api)
    ctx["I"] = api.pool.express_interest(SOLNA, ctx["F"]).id
    return ctx


def ctx_brokered(api: Api) -> dict[str, Any]:
    ctx = ctx_interest(api)
    api.pool.broker_interest(STAFF, ctx["I"])
    return ctx


def ctx_interest_and_referral(api: Api) -> dict[str, Any]:
    ctx = ctx_interest(api)
    ctx["R"] = api.pool.register_referral(SOLNA, **referral_data()).id
    return ctx


def ctx_placement(api: Api) -> dict[str, Any]:
    family_id = approved_family(api.pool)
    placement = api.pool.start_placement(STAFF, family_id=family_id, municipality="0184", kind="familjehem",
                                         start_date="2026-01-10", planned_end_date="2027-01-10",
                                         child_birth_month="2016-05")
    return {"F": family_id, "P": placement.id}


def ctx_course(api: Api) -> dict[str, Any]:
    course = api.pool.schedule_course(STAFF, course="ett-hem-att-vaxa-i", held_on="2026-02-01", place="Kommunhuset")
    return {"C": course.id, "F": api.pool.apply_family(STAFF, **family_data()).id}


def ctx_budget(api: Api) -> dict[str, Any]:
    api.pool.set_budget(SYSTEM, 2026, amount_sek="7300000.00")
    return {}


def ctx_allocation(api: Api) -> dict[str, Any]:
    for code in ("0114", "0139", "0163", "0183", "0184", "0191"):
        api.pool.record_child_population(SYSTEM, code, 2025, children=10_000)
        api.pool.record_placed_children(SYSTEM, code, 2025, children=100)
    return ctx_budget(api)


def ctx_none(api: Api) -> dict[str, Any]:
    return {}


def ctx_saved_search(api: Api) -> dict[str, Any]:
    sara = api.pool.authenticate("sara.solna", PASSWORD)
    return {"saved_search_id": api.pool.save_search(sara, criteria={"kind": "familjehem"}).id,
            "username": "sara.solna"}


def ctx_staff_user(api: Api) -> dict[str, Any]:
    return {"username": "pia.staff"}


def ctx_staff_published(api: Api) -> dict[str, Any]:
    return {**ctx_staff_user(api), **ctx_published(api)}


def ctx_notice(api: Api) -> dict[str, Any]:
    """A notice of Solna's user: a saved search, then a matching family (the notifier runs beside)."""
    ctx = ctx_saved_search(api)
    published_family(api.pool)
    sara = api.pool.authenticate("sara.solna", PASSWORD)
    deadline = time.monotonic() + 10
    read_models: Any = api.client.app.state.read_models  # type: ignore[attr-defined]
    while not (items := read_models.notices(str(sara.user_id)).items) and time.monotonic() < deadline:
        time.sleep(0.05)
    return {**ctx, "notice_id": items[0]["id"]}


PLACEMENT = {"family_id": "{F}", "municipality": "0184", "kind": "familjehem", "start_date": "2026-02-01",
             "planned_end_date": "2027-02-01", "child_birth_month": "2016-05"}

# (method, path, body, set-up, {role: status}); roles not named get `default`.
Entry = tuple[str, str, Any, Callable[[Api], dict[str, Any]], dict[str, int], int]
MATRIX: list[Entry] = [
    ("GET", "/api/health", None, ctx_none, {"anon": 404}, 404),  # monitoring addresses only; TestClient is "testclient"
    ("GET", "/api/ready", None, ctx_none, {"anon": 404}, 404),
    ("GET", "/api/auth/me", None, ctx_none, {"anon": 401}, 200),
    ("PUT", "/api/members/0184", {"name": "Solna", "joined_on": "2020-01-01"}, ctx_none, {"admin": 200}, 403),
    ("GET", "/api/members", None, ctx_none, {}, 200),
    ("GET", "/api/members/0184", None, ctx_none, {}, 200),
    ("PUT", "/api/members/0184/child-population/2025", {"children": 15000}, ctx_none, {"admin": 200}, 403),
    ("PUT", "/api/budgets/2026", {"amount_sek": "7400000.00"}, ctx_budget, {"admin": 200, "steering": 200}, 403),
    ("GET", "/api/budgets/2026", None, ctx_budget, {}, 200),
    ("GET", "/api/allocations/2026", None, ctx_allocation, {}, 200),
    ("GET", "/api/allocations/2026/invoices/0184", None, ctx_allocation, {"other_municipality": 404}, 200),
    ("POST", "/api/allocations/2026/adopt", {}, ctx_allocation, {"steering": 201}, 403),
    ("PUT", "/api/members/0184/placed-children/2025", {"children": 150}, ctx_none, {"admin": 200, "steering": 200}, 403),
    ("POST", "/api/families", family_data(), ctx_none, {"pool_staff": 201}, 403),
    ("GET", "/api/families", None, ctx_published, {"pool_staff": 200}, 403),  # admin does no casework
    ("GET", "/api/families/{F}", None, ctx_published, {"pool_staff": 200}, 403),
    ("GET", "/api/families/{F}/contact", None, ctx_brokered, {"pool_staff": 200, "municipality": 200}, 404),
    ("POST", "/api/families/{F}/investigation", {"step": "interview", "outcome": "clear"}, ctx_applied,
     {"pool_staff": 200}, 403),
    ("POST", "/api/families/{F}/approve", None, ctx_investigated, {"pool_staff": 200}, 403),
    ("POST", "/api/families/{F}/reject", {"reason": "Uppfyller inte kraven"}, ctx_applied, {"pool_staff": 200}, 403),
    ("POST", "/api/families/{F}/training", {"course": "ett-hem-att-vaxa-i", "completed_on": "2026-02-01"},
     ctx_approved, {"pool_staff": 200}, 403),
    ("PUT", "/api/families/{F}/description", {"description": "Lugn familj nära skogen."}, ctx_approved,
     {"pool_staff": 200}, 403),
    ("POST", "/api/courses", {"course": "ett-hem-att-vaxa-i", "held_on": "2026-02-01", "place": "Kommunhuset"},
     ctx_none, {"pool_staff": 201}, 403),
    ("GET", "/api/courses", None, ctx_course, {"pool_staff": 200}, 403),
    ("GET", "/api/courses/{C}", None, ctx_course, {"pool_staff": 200}, 403),
    ("POST", "/api/courses/{C}/attendance", {"family_id": "{F}"}, ctx_course, {"pool_staff": 200}, 403),
    ("POST", "/api/families/{F}/supervision", {"held_on": "2026-03-01", "note": "Samtal."}, ctx_approved,
     {"pool_staff": 200}, 403),
    ("PUT", "/api/families/{F}/home-type", {"home_type": "network"}, ctx_approved, {"pool_staff": 200}, 403),
    ("POST", "/api/families/{F}/description/review", None, ctx_described, {"pool_staff": 200}, 403),
    ("POST", "/api/families/{F}/publish", None, ctx_reviewed, {"pool_staff": 200}, 403),
    ("POST", "/api/families/{F}/unpublish", None, ctx_published, {"pool_staff": 200}, 403),
    ("POST", "/api/families/{F}/withdraw", {"reason": "Flyttar"}, ctx_approved, {"pool_staff": 200}, 403),
    ("POST", "/api/families/{F}/erase", None, ctx_approved, {"pool_staff": 200, "admin": 200}, 403),
    ("PUT", "/api/families/{F}/household", {"adults": [{"name": "Kalle Testsson", "personal_number": "19721212-1219"}],
                                            "children_at_home_birth_years": [2015]}, ctx_applied,
     {"pool_staff": 200}, 403),
    ("PUT", "/api/families/{F}/contact", {"contact": {"address": "Nygatan 1", "postal_code": "19130",
                                                      "city": "Sollentuna", "phone": "070-111 22 33"}},
     ctx_applied, {"pool_staff": 200}, 403),
    ("PUT", "/api/families/{F}/offer", {"kinds": ["familjehem"], "preferences": {"max_children": 1}}, ctx_approved,
     {"pool_staff": 200}, 403),
    ("GET", "/api/catalogue", None, ctx_published,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 200}, 403),
    ("GET", "/api/catalogue/{F}", None, ctx_published,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 200}, 403),
    ("POST", "/api/catalogue/{F}/interest", {"message": "Intresserade"}, ctx_published,
     {"municipality": 201, "other_municipality": 201}, 403),
    ("POST", "/api/referrals", referral_data(), ctx_none,
     {"municipality": 201, "other_municipality": 201, "pool_staff": 422}, 403),  # staff must name the municipality
    ("GET", "/api/referrals", None, ctx_referral,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 200}, 403),
    ("GET", "/api/referrals/{R}", None, ctx_referral,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 404}, 403),
    ("POST", "/api/referrals/{R}/withdraw", None, ctx_referral,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 404}, 403),
    ("POST", "/api/referrals/{R}/close", {"outcome": "no_longer_needed"}, ctx_referral,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 404}, 403),
    ("POST", "/api/referrals/{R}/erase", None, ctx_referral,  # open: not erasable yet
     {"pool_staff": 409, "municipality": 409, "other_municipality": 404}, 403),
    ("POST", "/api/referrals/{R}/proposals", {"family_ids": ["{F}"]}, ctx_referral, {"pool_staff": 200}, 403),
    ("GET", "/api/referrals/{R}/suggestions", None, ctx_referral,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 404}, 403),
    ("PUT", "/api/referrals/{R}/criteria", {"children": 2, "languages": ["ar"]}, ctx_referral,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 404}, 403),
    ("PUT", "/api/families/{F}/availability", {"periods": [{"from": "2027-01-01", "to": "2027-01-31"}]},
     ctx_jourhem, {"pool_staff": 200}, 403),
    ("PUT", "/api/referrals/{R}/urgent", {"urgent": True}, ctx_referral,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 404}, 403),
    ("PUT", "/api/referrals/{R}/non-execution-reason", {"reason": "no_suitable_family"}, ctx_referral,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 404}, 403),
    ("GET", "/api/interests", None, ctx_interest,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 200}, 403),
    ("POST", "/api/interests/{I}/broker", None, ctx_interest, {"pool_staff": 200}, 403),
    ("POST", "/api/interests/{I}/decline", {"reason": "Familjen har tackat nej"}, ctx_interest,
     {"pool_staff": 200}, 403),
    ("POST", "/api/interests/{I}/withdraw", None, ctx_interest,
     {"municipality": 200, "other_municipality": 404}, 403),
    ("GET", "/api/interests/{I}/reasons", None, ctx_interest,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 404}, 403),
    ("POST", "/api/interests/{I}/referrals", {"referral_id": "{R}"}, ctx_interest_and_referral,
     {"municipality": 200, "other_municipality": 404}, 403),
    ("POST", "/api/interests/{I}/not-started", {"outcome": "family_declined"}, ctx_brokered,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 404}, 403),
    ("POST", "/api/placements", PLACEMENT, ctx_approved, {"pool_staff": 201}, 403),
    ("POST", "/api/placements/{P}/end", {"end_date": "2026-06-01", "reason": "planned"}, ctx_placement,
     {"pool_staff": 200}, 403),
    ("POST", "/api/placements/{P}/extend", {"planned_end_date": "2027-06-01", "reason": "Nytt beslut"},
     ctx_placement, {"pool_staff": 200}, 403),
    ("GET", "/api/placements", None, ctx_placement,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 200}, 403),
    ("GET", "/api/placements/{P}", None, ctx_placement,
     {"pool_staff": 200, "municipality": 200, "other_municipality": 404}, 403),
    ("GET", "/api/audit", None, ctx_none, {"pool_staff": 200, "admin": 200}, 403),
    ("GET", "/api/statistics", None, ctx_none, {"pool_staff": 200, "steering": 200, "admin": 200}, 403),
    ("GET", "/api/statistics/demand-supply", None, ctx_none, {"pool_staff": 200, "steering": 200, "admin": 200}, 403),
    ("GET", "/api/reports/non-executed", None, ctx_referral, {}, 200),  # a municipality gets its own rows
    ("POST", "/api/saved-searches", {"criteria": {"kind": "familjehem"}}, ctx_none,
     {"municipality": 201, "other_municipality": 201}, 403),
    ("GET", "/api/saved-searches", None, ctx_saved_search, {"municipality": 200, "other_municipality": 200}, 403),
    ("DELETE", "/api/saved-searches/{saved_search_id}", None, ctx_saved_search,
     {"municipality": 200, "other_municipality": 404}, 403),
    ("GET", "/api/notifications", None, ctx_notice, {}, 200),
    ("POST", "/api/notifications/{notice_id}/read", None, ctx_notice, {"municipality": 204}, 404),
    ("POST", "/api/notifications/read", None, ctx_none, {}, 204),
    ("GET", "/api/notifications/outbox", None, ctx_none, {"admin": 200}, 403),
    ("GET", "/api/auth/me/notifications", None, ctx_none, {}, 200),
    ("PUT", "/api/auth/me/notifications", {"mode": "daily"}, ctx_none, {}, 200),
    ("PUT", "/api/users/{username}/contact-municipalities", {"municipalities": ["0184"]}, ctx_staff_user,
     {"admin": 204}, 403),
    ("PUT", "/api/users/{username}/email", {"email": "sara@solna.example"}, ctx_saved_search, {"admin": 204}, 403),
    ("PUT", "/api/users/{username}/followed-families", {"family_ids": ["{F}"]}, ctx_staff_published,
     {"admin": 204}, 403),
    ("GET", "/api/worklist?scope=all", None, ctx_published, {"pool_staff": 200}, 403),
]


def fill(value: Any, ctx: dict[str, Any]) -> Any:
    if isinstance(value, str):
        for key, v in ctx.items():
            value = value.replace("{" + key + "}", str(v))
        return value
    if isinstance(value, list):
        return [fill(v, ctx) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ctx) for k, v in value.items()}
    return value


def expected(entry: Entry, role: str) -> int:
    _, _, _, _, statuses, default = entry
    if role in statuses:
        return statuses[role]
    return 401 if role == "anon" else default


def settled(api: Api, ctx: dict[str, Any]) -> dict[str, Any]:
    """The set-up wrote through the application directly: let the read side catch up."""
    api.client.app.state.read_models.wait_for(api.pool.recorder.max_notification_id(), timeout=10)  # type: ignore
    return ctx


def test_every_endpoint_by_every_role(api: Api) -> None:
    mismatches = []
    for entry in MATRIX:
        method, path, body, setup, _, _ = entry
        # Refused calls first (they change nothing), then each allowed call on a fresh set-up.
        order = sorted(ROLES, key=lambda r: 200 <= expected(entry, r) < 300)
        ctx = settled(api, setup(api))
        used = False
        for role in order:
            want = expected(entry, role)
            if 200 <= want < 300:
                if used:
                    ctx = settled(api, setup(api))
                used = True
            r = api.call(method, fill(path, ctx), None if role == "anon" else role, json=fill(body, ctx))
            if r.status_code != want:
                mismatches.append(f"{method} {path} as {role}: {r.status_code}, want {want}: {r.text[:200]}")
            if r.status_code >= 400:
                assert r.headers["content-type"].startswith("application/problem+json"), (method, path, role)
    assert not mismatches, "\n".join(mismatches)


def test_every_documented_operation_is_in_the_matrix(api: Api) -> None:
    doc = api.client.get("/api/openapi.json").json()
    documented = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    covered = {(m, p.replace("{F}", "{family_id}").replace("{R}", "{referral_id}").replace("{I}", "{interest_id}")
                .replace("{P}", "{placement_id}").replace("{C}", "{course_id}").replace("0184", "{kommunkod}")
                .replace("2026", "{year}").replace("2025", "{year}").split("?")[0]) for m, p, *_ in MATRIX}
    # Sign-in and sign-out (which would end the session the matrix uses): tests/integration/test_api_auth.py.
    missing = documented - covered - {("POST", "/api/auth/token"), ("POST", "/api/auth/logout")}
    assert not missing, sorted(missing)


def test_unknown_ids_are_404_for_everyone_entitled(api: Api) -> None:
    ghost = uuid4()
    settled(api, {})
    for role, path in [("pool_staff", f"/api/families/{ghost}"), ("municipality", f"/api/referrals/{ghost}"),
                       ("municipality", f"/api/catalogue/{ghost}"), ("pool_staff", f"/api/families/{ghost}/contact")]:
        assert api.call("GET", path, role).status_code == 404, path
