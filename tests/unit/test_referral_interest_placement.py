"""Referral, Interest, Placement and Member aggregates, given/when/then."""

from datetime import date
from uuid import uuid4

import pytest

from pool.domain.interest import Interest, InterestStatus
from pool.domain.member import Member
from pool.domain.placement import Placement
from pool.domain.referral import Referral, ReferralStatus
from pool.errors import InvalidInputError, RuleViolationError
from pool.values import EndReason
from tests.coded import raises

ACTOR = {"user_id": None, "username": "sara", "role": "municipality", "municipality": "0184"}


def referral() -> Referral:
    return Referral(id=uuid4(), actor=ACTOR, municipality="0184", kind="familjehem", legal_basis="LVU",
                    decision_date=date(2026, 8, 1), child_birth_month="2012-04", needs="s", wishes="s")


def test_referral_lifecycle_open_matched_placed():
    r = referral()
    assert r.status is ReferralStatus.OPEN
    r.match(ACTOR, uuid4(), uuid4())
    assert r.status is ReferralStatus.MATCHED
    r.place(ACTOR, uuid4(), uuid4(), date(2026, 9, 1))
    assert r.status is ReferralStatus.PLACED
    with raises(RuleViolationError, match="placed"):
        r.withdraw(ACTOR)


def test_withdrawn_referral_takes_no_proposals():
    r = referral()
    r.withdraw(ACTOR)
    with raises(RuleViolationError, match="withdrawn"):
        r.propose(ACTOR, [uuid4()])


def test_proposing_the_same_family_twice_is_refused():
    r, family = referral(), uuid4()
    r.propose(ACTOR, [family, family])
    assert r.proposed_family_ids == [family]
    with raises(RuleViolationError, "referral.already_proposed", match="already proposed"):
        r.propose(ACTOR, [family])


def test_interest_is_answered_once():
    i = Interest(id=uuid4(), actor=ACTOR, family_id=uuid4(), municipality="0184", referral_id=None, message="s")
    i.broker(ACTOR)
    assert i.status is InterestStatus.BROKERED
    for action in (lambda: i.decline(ACTOR, "r"), lambda: i.withdraw(ACTOR), lambda: i.broker(ACTOR)):
        with raises(RuleViolationError, "interest.not_pending", match="brokered"):
            action()


def test_placement_ends_once_and_not_before_it_started():
    p = Placement(id=uuid4(), actor=ACTOR, family_id=uuid4(), municipality="0184", kind="jourhem",
                  referral_id=None, start_date=date(2026, 1, 1), planned_end_date=date(2026, 6, 30),
                  child_birth_month="2015-01")
    with pytest.raises(InvalidInputError):
        p.end(ACTOR, date(2025, 12, 31), EndReason.PLANNED)
    p.end(ACTOR, date(2026, 3, 1), EndReason.BREAKDOWN)
    assert not p.is_active and p.end_reason == "breakdown"
    with raises(RuleViolationError, "placement.already_ended", match="already ended"):
        p.end(ACTOR, date(2026, 4, 1), EndReason.PLANNED)


def test_member_id_is_derived_from_kommunkod_and_membership_period():
    m = Member(actor=ACTOR, kommunkod="0191", name="Sigtuna", joined_on=date(2024, 7, 1))
    assert m.id == Member.create_id("0191")
    assert not m.is_member_during(date(2024, 1, 1), date(2024, 6, 30))
    assert m.is_member_during(date(2024, 1, 1), date(2024, 12, 31))
    m.leave(ACTOR, date(2025, 6, 30))
    assert not m.is_member_during(date(2026, 1, 1), date(2026, 12, 31))
    assert m.update(ACTOR, "Sigtuna", date(2024, 7, 1)) is False  # no change, no event
