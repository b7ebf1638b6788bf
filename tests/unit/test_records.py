"""Maintaining records: a family's household, contact and offer; a referral closed with an outcome and erased."""

from datetime import date, timedelta
from uuid import uuid4

from pool.domain.referral import Referral, ReferralStatus
from pool.errors import ErasedError, RuleViolationError
from pool.values import Kind, ReferralOutcome
from tests.coded import raises
from tests.unit.test_family import ACTOR, investigated

PREFS = {"child_age_min": 0, "child_age_max": 17, "max_children": 2, "siblings_ok": False, "languages": []}


def placed_family(kind: str = "familjehem", max_children: int = 2):
    family = investigated(kinds=("familjehem", "jourhem"), max_children=max_children)
    family.approve(ACTOR, date(2026, 2, 1))
    family.start_placement(ACTOR, uuid4(), Kind(kind))
    return family


def test_household_and_contact_updates_replace_the_sealed_values():
    family = investigated()
    family.update_household(ACTOR, [{"name": "sealed:v1:a", "personal_number": "sealed:v1:b", "birth_year": 1979}],
                            [2016, 2019])
    family.update_contact(ACTOR, {"phone": "sealed:v1:p"}, "0191")
    assert family.home_municipality == "0191"
    assert family.adults[0]["birth_year"] == 1979 and family.children_at_home_birth_years == [2016, 2019]
    assert family.contact == {"phone": "sealed:v1:p"}
    names = [type(e).__qualname__ for e in family.collect_events()]
    assert names[-2:] == ["Family.HouseholdUpdated", "Family.ContactUpdated"]


def test_offer_update_changes_kinds_and_capacity():
    family = placed_family()
    family.update_offer(ACTOR, [Kind.FAMILJEHEM, Kind.KONTAKTFAMILJ], {**PREFS, "max_children": 1}, ["familjehem"])
    assert family.kinds == [Kind.FAMILJEHEM, Kind.KONTAKTFAMILJ] and family.capacity == 1


def test_removing_a_kind_used_by_an_active_placement_is_refused_and_nothing_recorded():
    family = placed_family()
    before = family.version
    with raises(RuleViolationError, "family.kind_in_use", match="used by an active placement"):
        family.update_offer(ACTOR, [Kind.JOURHEM], PREFS, ["familjehem"])
    assert family.version == before and Kind.FAMILJEHEM in family.kinds


def test_lowering_capacity_below_the_active_placements_is_refused():
    family = placed_family()
    family.start_placement(ACTOR, uuid4(), Kind.JOURHEM)
    before = family.version
    with raises(RuleViolationError, "family.capacity_below_placements", match="2 active placements"):
        family.update_offer(ACTOR, [Kind.FAMILJEHEM, Kind.JOURHEM], {**PREFS, "max_children": 1},
                            ["familjehem", "jourhem"])
    assert family.version == before and family.capacity == 2


def test_an_erased_family_takes_no_updates():
    family = investigated()
    family.erase(ACTOR)
    with raises(ErasedError, "family.erased"):
        family.update_contact(ACTOR, {"phone": "sealed:v1:p"}, "0184")


def referral() -> Referral:
    return Referral(id=uuid4(), actor=ACTOR, municipality="0184", kind="familjehem", legal_basis="LVU",
                    decision_date=date(2026, 8, 1), child_birth_month="2012-04", needs="s", wishes="s")


def test_a_referral_is_closed_with_a_coded_outcome_and_a_sealed_note():
    r = referral()
    r.close(ACTOR, ReferralOutcome.PLACED_ELSEWHERE, "sealed:v1:n", date(2026, 10, 1))
    assert r.status is ReferralStatus.CLOSED and r.outcome == "placed_elsewhere" and r.closed_on == date(2026, 10, 1)
    with raises(RuleViolationError, "referral.already_ended"):
        r.close(ACTOR, ReferralOutcome.WITHDRAWN, "", date(2026, 10, 2))


def test_placed_through_the_pool_needs_a_placement():
    r = referral()
    with raises(RuleViolationError, "referral.outcome_needs_placement"):
        r.close(ACTOR, ReferralOutcome.PLACED_THROUGH_POOL, "", date(2026, 10, 1))
    assert r.status is ReferralStatus.OPEN and r.version == 1
    r.place(ACTOR, uuid4(), uuid4(), date(2026, 9, 1))
    r.close(ACTOR, ReferralOutcome.PLACED_THROUGH_POOL, "", date(2026, 10, 1))
    assert r.status is ReferralStatus.CLOSED


def test_child_data_is_erasable_only_when_closed_and_after_the_retention_period():
    r = referral()
    with raises(RuleViolationError, "referral.not_closed"):
        r.erase_child_data(ACTOR, date(2026, 10, 1), 0)
    closed = date(2026, 10, 1)
    r.close(ACTOR, ReferralOutcome.NO_LONGER_NEEDED, "", closed)
    with raises(RuleViolationError, "referral.retention_not_passed", match="365 days"):
        r.erase_child_data(ACTOR, closed + timedelta(days=364), 365)
    assert not r.child_data_erased and r.version == 2
    r.erase_child_data(ACTOR, closed + timedelta(days=365), 365)
    assert r.child_data_erased
    with raises(RuleViolationError, "referral.already_erased"):
        r.erase_child_data(ACTOR, closed + timedelta(days=400), 365)


def test_a_version_1_closing_reads_its_reason_as_the_note_with_no_outcome():
    from datetime import datetime, timezone

    state = {"reason": "sealed:v1:r", "timestamp": datetime(2025, 3, 4, 10, 0, tzinfo=timezone.utc)}
    Referral.Closed.upcast_v1_v2(state)
    assert state == {"note": "sealed:v1:r", "outcome": None, "closed_on": date(2025, 3, 4),
                     "timestamp": datetime(2025, 3, 4, 10, 0, tzinfo=timezone.utc)}


def test_an_erasure_made_after_a_backup_is_recorded_again_once():
    r = referral()
    r.record_erasure_after_restore(ACTOR)
    assert r.child_data_erased
    with raises(RuleViolationError, "referral.already_erased"):
        r.record_erasure_after_restore(ACTOR)
