"""Consistent placements and proposals on the aggregates: kind, legal basis, age, dates, extension, overdue."""

from datetime import date
from uuid import uuid4

import pytest

from pool.domain.placement import Placement
from pool.domain.referral import Referral
from pool.errors import InvalidInputError, RuleViolationError
from pool.values import EndReason, age_at, basis_fits_kind
from tests.coded import raises

ACTOR = {"user_id": None, "username": "pia", "role": "pool_staff", "municipality": None}


def referral(kind: str = "familjehem", basis: str = "SoL", decided: date = date(2026, 8, 1)) -> Referral:
    return Referral(id=uuid4(), actor=ACTOR, municipality="0184", kind=kind, legal_basis=basis,
                    decision_date=decided, child_birth_month="2014-04", needs="s", wishes="s")


def placement(planned_end: date = date(2026, 6, 30), **kw) -> Placement:
    return Placement(id=uuid4(), actor=ACTOR, family_id=uuid4(), municipality="0184", kind="familjehem",
                     referral_id=None, start_date=date(2026, 1, 1), planned_end_date=planned_end,
                     child_birth_month="2015-01", **kw)


@pytest.mark.parametrize(("kind", "allowed"), [
    ("kontaktperson", {"SoL", "LSS"}), ("kontaktfamilj", {"SoL", "LSS"}), ("korttidsfamilj", {"LSS"}),
    ("familjehem", {"SoL", "LVU"}), ("jourhem", {"SoL", "LVU"})])
def test_the_legal_basis_fits_the_kind(kind: str, allowed: set[str]) -> None:
    for basis in ("SoL", "LSS", "LVU"):
        assert basis_fits_kind(kind, basis) is (basis in allowed)
        if basis in allowed:
            Referral.check_basis_fits_kind(kind, basis)
        else:
            with raises(InvalidInputError, "referral.basis_not_for_kind", match="cannot be granted under") as e:
                Referral.check_basis_fits_kind(kind, basis)
            assert e.value.field == "legal_basis"


def test_a_proposal_needs_a_family_that_offers_the_referrals_kind() -> None:
    r = referral(kind="familjehem")
    r.check_family_offers_kind(["familjehem", "jourhem"])
    with raises(RuleViolationError, "referral.family_kind_not_offered", match="does not offer"):
        r.check_family_offers_kind(["jourhem"])


def test_a_placement_has_the_referrals_kind() -> None:
    r = referral(kind="familjehem")
    r.check_placement("familjehem", date(2026, 8, 1))
    with raises(RuleViolationError, "placement.kind_not_referral_kind", match="is not the referral's"):
        r.check_placement("kontaktperson", date(2026, 9, 1))


def test_a_placement_refuses_a_referral_whose_basis_does_not_fit_its_kind() -> None:
    r = referral(kind="kontaktperson", basis="LVU")  # registered before the rule
    with raises(RuleViolationError, "placement.referral_basis_not_for_kind", match="does not fit"):
        r.check_placement("kontaktperson", date(2026, 9, 1))


def test_a_placement_starts_on_or_after_the_decision_date() -> None:
    r = referral(decided=date(2026, 8, 1))
    with raises(InvalidInputError, "placement.start_before_decision", match="before the referral's decision") as e:
        r.check_placement("familjehem", date(2026, 7, 31))
    assert e.value.field == "start_date"


def test_the_planned_end_lies_after_the_start() -> None:
    Placement.check_dates(date(2026, 1, 1), date(2026, 1, 2))
    for end in (date(2026, 1, 1), date(2025, 12, 31)):
        with raises(InvalidInputError, "placement.end_before_start") as e:
            Placement.check_dates(date(2026, 1, 1), end)
        assert e.value.field == "planned_end_date"


def test_the_childs_age_at_the_start_is_in_completed_years() -> None:
    assert age_at("2020-05", date(2026, 4, 30)) == 5
    assert age_at("2020-05", date(2026, 5, 1)) == 6


def test_a_child_outside_the_age_range_needs_an_override_with_a_reason() -> None:
    start = date(2026, 10, 1)
    assert Placement.check_child_age("2014-01", start, 4, 12, False, "") is False  # 12: inside
    assert Placement.check_child_age("2014-01", start, 4, 12, True, "ignored") is False  # not needed: not used
    with raises(RuleViolationError, "placement.child_age_outside_range", match="outside the family's age range"):
        Placement.check_child_age("2020-01", start, 13, 17, False, "")
    with raises(InvalidInputError, "placement.override_reason_missing", match="reason") as e:
        Placement.check_child_age("2020-01", start, 13, 17, True, "  ")
    assert e.value.field == "age_override_reason"
    assert Placement.check_child_age("2020-01", start, 13, 17, True, "Syskon placeras tillsammans") is True


def test_the_override_is_recorded_on_the_placement() -> None:
    p = placement(age_override=True, age_override_reason="sealed")
    assert p.age_override and p.age_override_reason == "sealed"
    assert placement().age_override is False


def test_overdue_is_active_past_the_planned_end_until_ended() -> None:
    p = placement(planned_end=date(2026, 6, 30))
    assert not p.is_overdue(date(2026, 6, 30)) and p.is_overdue(date(2026, 7, 1)) and p.is_active
    p.end(ACTOR, date(2026, 7, 15), EndReason.PLANNED)
    assert not p.is_overdue(date(2026, 12, 1))


def test_an_extension_moves_the_planned_end_later_with_a_reason() -> None:
    p = placement(planned_end=date(2026, 6, 30))
    p.extend(ACTOR, date(2026, 12, 31), "sealed reason")
    assert p.planned_end_date == date(2026, 12, 31) and not p.is_overdue(date(2026, 7, 1))
    assert p.extensions == [{"from": date(2026, 6, 30), "to": date(2026, 12, 31), "reason": "sealed reason"}]
    with raises(InvalidInputError, "placement.extension_not_later", match="after the current one") as e:
        p.extend(ACTOR, date(2026, 12, 31), "again")
    assert e.value.field == "planned_end_date" and len(p.pending_events) == 2
    p.end(ACTOR, date(2026, 8, 1), EndReason.MOVED_HOME)
    with raises(RuleViolationError, "placement.already_ended"):
        p.extend(ACTOR, date(2027, 6, 30), "too late")
