"""The demo's plan without a database: fictional people only, every state on any day of the year."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from demo.loader import new_password
from demo.people import fiction_phone
from demo.scenario import plan
from pool.domain.description import find_personal_data
from pool.personal import personal_values
from pool.values import check_personnummer

DAYS = [date(2024, 2, 29), date(2025, 1, 1), date(2025, 10, 31), date(2025, 11, 1), date(2025, 12, 31),
        date(2026, 6, 15)]


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_every_state_on_any_day_and_nothing_dated_after_yesterday(today: date) -> None:
    h = plan(random.Random(2026), today)
    assert {f.status for f in h.families} == {"applied", "under_investigation", "approved", "rejected",
                                              "published", "unpublished", "withdrawn", "erased"}
    assert {r.status for r in h.referrals} == {"open", "matched", "placed", "withdrawn", "closed"}
    assert set(h.interests.values()) == {"pending", "brokered", "declined", "withdrawn", "placed", "not_started"}
    assert {reason for _, _, reason in h.placements.values()} >= {"planned", "breakdown", "moved_home"}
    assert all(a.on < today for a in h.actions)
    assert all(r.decision_date < today for r in h.referrals)
    for budget_year in (today.year - 1, today.year):
        reference = date(budget_year - 1, 11, 1)
        assert any(s <= reference and (e is None or e > reference) for s, e, _ in h.placements.values())


def test_the_plan_is_deterministic() -> None:
    one, two = plan(random.Random(2026), date(2026, 3, 1)), plan(random.Random(2026), date(2026, 3, 1))
    assert [f.house for f in one.families] == [f.house for f in two.families]
    assert [(a.on, a.op) for a in one.timeline()] == [(a.on, a.op) for a in two.timeline()]


def test_people_are_fictional_and_descriptions_anonymous() -> None:
    h = plan(random.Random(2026), date.today())
    phones = [f.house["contact"]["phone"] for f in h.families]
    assert len(set(phones)) == len(phones)
    assert all("070-174 06 05" <= p <= "070-174 06 99" for p in phones)
    for f in h.families:
        assert f.house["contact"]["email"].endswith("@example.com")
        for adult in f.house["adults"]:
            assert check_personnummer(adult["personal_number"]) == adult["personal_number"]
        if f.description:
            assert find_personal_data(f.description, personal_values(f.house["adults"], f.house["contact"])) == []
            assert not any(ch.isdigit() for ch in f.description)


def test_pts_fiction_range_and_passwords() -> None:
    assert fiction_phone(0) == "070-174 06 05" and fiction_phone(94) == "070-174 06 99"
    with pytest.raises(ValueError):
        fiction_phone(95)
    assert new_password() != new_password() and len(new_password()) == 19


def test_dates_stay_within_reason() -> None:
    today = date(2026, 11, 22)
    h = plan(random.Random(2026), today)
    assert min(r.decision_date for r in h.referrals) > today - timedelta(days=3 * 365 + 60)
    assert all(f.applied_on <= (f.approved_on or f.applied_on) for f in h.families)
