"""A jourhem's available periods and an urgent referral, on the aggregates and the input checks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pool.availability import MAX_PERIODS, check_periods
from pool.errors import InvalidInputError, RuleViolationError
from tests.coded import raises
from tests.unit.test_family import ACTOR, investigated

TODAY = date(2026, 12, 3)


def test_periods_are_checked_sorted_and_must_not_overlap() -> None:
    periods = [{"from": "2027-01-10", "to": "2027-01-20"}, {"from": "2026-12-01", "to": "2026-12-24"}]
    assert check_periods(periods, TODAY) == [(date(2026, 12, 1), date(2026, 12, 24)),
                                             (date(2027, 1, 10), date(2027, 1, 20))]
    for bad, code in (([{"from": "2027-01-20", "to": "2027-01-10"}], "family.availability_period_invalid"),
                      ([{"from": "2031-01-01", "to": "2031-02-01"}], "family.availability_period_invalid"),
                      ([{"from": "not a day", "to": "2027-01-01"}], "value.not_a_date"),
                      (["2027-01-01"], "family.availability_period_invalid"),
                      ([{"from": "2026-12-01", "to": "2026-12-24"}, {"from": "2026-12-24", "to": "2027-01-05"}],
                       "family.availability_overlap"),
                      ([{"from": str(TODAY + timedelta(days=2 * i)), "to": str(TODAY + timedelta(days=2 * i))}
                        for i in range(MAX_PERIODS + 1)], "family.availability_too_many")):
        with raises(InvalidInputError, code):
            check_periods(bad, TODAY)


def test_only_a_jourhem_states_availability_and_the_list_replaces_the_last() -> None:
    family = investigated(kinds=["jourhem"])
    family.state_availability(ACTOR, [(date(2027, 1, 10), date(2027, 1, 20)), (date(2026, 12, 1), date(2026, 12, 24))])
    assert family.availability == [{"from": date(2026, 12, 1), "to": date(2026, 12, 24)},
                                   {"from": date(2027, 1, 10), "to": date(2027, 1, 20)}]
    family.state_availability(ACTOR, [])
    assert family.availability == []
    other = investigated(kinds=["familjehem"])
    with raises(RuleViolationError, "family.availability_needs_jourhem"):
        other.state_availability(ACTOR, [(date(2026, 12, 1), date(2026, 12, 24))])
    assert len(other.collect_events()) == len(investigated(kinds=["familjehem"]).collect_events())


def test_an_active_referral_is_marked_urgent_once() -> None:
    from uuid import uuid4

    from pool.domain.referral import Referral

    referral = Referral(id=uuid4(), actor=ACTOR, municipality="0184", kind="jourhem", legal_basis="SoL",
                        decision_date=date(2026, 11, 1), child_birth_month="2015-04", needs="sealed:v1:n",
                        wishes="sealed:v1:w")
    assert referral.urgent is False
    referral.mark_urgent(ACTOR, True)
    assert referral.urgent is True
    with raises(RuleViolationError, "referral.urgency_unchanged"):
        referral.mark_urgent(ACTOR, True)
    referral.withdraw(ACTOR)
    with pytest.raises(RuleViolationError):
        referral.mark_urgent(ACTOR, False)
