"""Family aggregate, given/when/then: the lifecycle rules a familjehemskonsulent expects."""

from datetime import date
from uuid import uuid4

import pytest

from pool.domain.family import Family, FamilyStatus
from pool.errors import ErasedError, RuleViolationError
from pool.values import InvestigationStep, Kind, Outcome
from tests.coded import raises

ACTOR = {"user_id": None, "username": "pia", "role": "pool_staff", "municipality": None}


def applied(kinds=("familjehem",), max_children=1) -> Family:
    return Family(id=uuid4(), actor=ACTOR, kinds=list(kinds), home_municipality="0184",
                  adults=[{"name": "sealed:v1:x", "personal_number": "sealed:v1:y", "birth_year": 1980}],
                  children_at_home_birth_years=[2015], contact={"address": "sealed:v1:z"},
                  preferences={"max_children": max_children}, applied_on=date(2026, 1, 10))


def investigated(kinds=("familjehem",), max_children=1) -> Family:
    family = applied(kinds, max_children)
    for step in InvestigationStep:
        if step is InvestigationStep.HOME_VISIT and set(kinds) == {"kontaktperson"}:
            continue
        family.record_investigation_step(ACTOR, step, Outcome.CLEAR, "sealed:v1:note")
    return family


def test_given_new_application_then_it_is_applied_and_records_actor():
    family = applied()
    assert family.status is FamilyStatus.APPLIED
    event = family.collect_events()[0]
    assert type(event).__qualname__ == "Family.Applied"
    assert event.actor["username"] == "pia"


def test_given_incomplete_checklist_when_approving_then_refused_naming_missing_steps():
    family = applied()
    family.record_investigation_step(ACTOR, InvestigationStep.POLICE_REGISTER, Outcome.CLEAR, "n")
    assert family.status is FamilyStatus.UNDER_INVESTIGATION
    with raises(RuleViolationError, "family.checklist_incomplete", match="home visit"):
        family.approve(ACTOR, date(2026, 2, 1))
    assert family.status is FamilyStatus.UNDER_INVESTIGATION


def test_given_contact_person_then_home_visit_is_not_part_of_the_checklist():
    family = investigated(kinds=("kontaktperson",))
    with raises(RuleViolationError, "family.step_not_in_checklist", match="not part of the checklist"):
        family.record_investigation_step(ACTOR, InvestigationStep.HOME_VISIT, Outcome.CLEAR, "n")
    family.approve(ACTOR, date(2026, 2, 1))
    assert family.status is FamilyStatus.APPROVED


def test_given_complete_checklist_when_approving_with_past_date_then_approved_on_that_date():
    family = investigated()
    family.approve(ACTOR, date(2019, 5, 4))
    assert family.status is FamilyStatus.APPROVED and family.approved_on == date(2019, 5, 4)


def test_given_not_approved_when_publishing_then_refused():
    with raises(RuleViolationError, match="under investigation"):
        investigated().publish(ACTOR, "text")


def test_publish_unpublish_publish_again():
    family = investigated()
    family.approve(ACTOR, date(2026, 2, 1))
    family.publish(ACTOR, "Beskrivning")
    family.unpublish(ACTOR)
    with pytest.raises(RuleViolationError):
        family.unpublish(ACTOR)
    family.publish(ACTOR, "Ny beskrivning")
    assert family.status is FamilyStatus.PUBLISHED and family.description == "Ny beskrivning"


def test_rejected_family_cannot_be_approved_or_published():
    family = investigated()
    family.reject(ACTOR, "sealed:v1:reason")
    with pytest.raises(RuleViolationError):
        family.approve(ACTOR, date(2026, 2, 1))
    with pytest.raises(RuleViolationError):
        family.publish(ACTOR, "x")


def test_capacity_is_enforced_and_ending_a_placement_frees_it():
    family = investigated(max_children=1)
    family.approve(ACTOR, date(2026, 2, 1))
    first = uuid4()
    family.start_placement(ACTOR, first, Kind.FAMILJEHEM)
    assert family.free_capacity == 0
    with raises(RuleViolationError, "family.no_free_capacity", match="no free capacity"):
        family.start_placement(ACTOR, uuid4(), Kind.FAMILJEHEM)
    family.end_placement(ACTOR, first)
    assert family.free_capacity == 1
    family.start_placement(ACTOR, uuid4(), Kind.FAMILJEHEM)


def test_placement_of_a_kind_the_family_does_not_offer_is_refused():
    family = investigated()
    family.approve(ACTOR, date(2026, 2, 1))
    with raises(RuleViolationError, "family.kind_not_offered", match="does not offer jourhem"):
        family.start_placement(ACTOR, uuid4(), Kind.JOURHEM)


def test_unapproved_family_cannot_take_a_placement():
    with raises(RuleViolationError, "family.not_approved", match="not approved"):
        investigated().start_placement(ACTOR, uuid4(), Kind.FAMILJEHEM)


def test_erased_family_refuses_everything_and_cannot_be_erased_with_active_placements():
    family = investigated()
    family.approve(ACTOR, date(2026, 2, 1))
    placement = uuid4()
    family.start_placement(ACTOR, placement, Kind.FAMILJEHEM)
    with raises(RuleViolationError, "family.has_active_placements", match="active placements"):
        family.erase(ACTOR)
    family.end_placement(ACTOR, placement)
    family.erase(ACTOR)
    assert family.status is FamilyStatus.ERASED
    with pytest.raises(ErasedError):
        family.publish(ACTOR, "x")
    with pytest.raises(ErasedError):
        family.erase(ACTOR)


def test_training_is_recorded():
    family = applied()
    family.record_training(ACTOR, "ett-hem-att-vaxa-i", date(2026, 3, 3))
    assert family.training == [{"course": "ett-hem-att-vaxa-i", "completed_on": date(2026, 3, 3)}]
