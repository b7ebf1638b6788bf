"""Builders of valid commands for tests: fictional people only (Skatteverket-style test numbers)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pool.application import PoolApplication
from tests.conftest import SECOND_STAFF, STAFF, SYSTEM

MEMBERS = {"0184": "Solna", "0163": "Sollentuna", "0191": "Sigtuna", "0183": "Sundbyberg",
           "0114": "Upplands Väsby", "0139": "Upplands-Bro"}
ALL_STEPS = ["police_register", "social_register", "reference_1", "reference_2", "interview", "home_visit"]


def add_members(app: PoolApplication, joined_on: str = "2020-01-01") -> None:
    for code, name in MEMBERS.items():
        app.put_member(SYSTEM, code, name=name, joined_on=joined_on)


def family_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kinds": ["familjehem", "jourhem"],
        "home_municipality": "0163",
        "adults": [{"name": "Kalle Testsson", "personal_number": "19721212-1219"},
                   {"name": "Lisa Provsdotter", "personal_number": "19800101-0019"}],
        "children_at_home_birth_years": [2014, 2018],
        "contact": {"address": "Provgränd 7", "postal_code": "19130", "city": "Sollentuna",
                    "phone": "070-555 12 34", "email": "testsson@example.se"},
        "preferences": {"child_age_min": 4, "child_age_max": 12, "max_children": 2,
                        "siblings_ok": True, "languages": ["sv", "ar"]},
    }
    data.update(overrides)
    return data


def approved_family(app: PoolApplication, **overrides: Any) -> UUID:
    family_id = app.apply_family(STAFF, **family_data(**overrides)).id
    kinds = overrides.get("kinds", ["familjehem"])
    steps = [s for s in ALL_STEPS if not (s == "home_visit" and set(kinds) == {"kontaktperson"})]
    # Dates in order and none in the future: investigated and approved the day it applied (default today).
    on = overrides.get("applied_on") or today()
    for step in steps:
        app.record_investigation_step(STAFF, family_id, step=step, outcome="clear", note=f"{step} ok", step_done_on=on)
    app.approve_family(STAFF, family_id, approved_on=on)
    return family_id


def published_family(app: PoolApplication, description: str = "Aktiv familj med hund, nära skog och sjö.",
                     **overrides: Any) -> UUID:
    family_id = approved_family(app, **overrides)
    reviewed_description(app, family_id, description)
    app.publish_family(STAFF, family_id, published_on=overrides.get("applied_on") or today())
    return family_id


def reviewed_description(app: PoolApplication, family_id: UUID, description: str) -> None:
    """Pia writes the description, Per (a second pool consultant) reviews it: ready to publish."""
    app.set_description(STAFF, family_id, description=description)
    app.review_description(SECOND_STAFF, family_id)


def referral_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": "familjehem", "legal_basis": "SoL", "decision_date": "2026-09-01",
                            "child_birth_month": "2016-05", "needs": "Behöver lugn miljö och stöd i skolan.",
                            "wishes": "Gärna nära Solna."}
    data.update(overrides)
    return data


def today() -> date:
    return date.today()
