"""Family aggregate, given/when/then: the lifecycle rules a familjehemskonsulent expects."""

from datetime import date
from uuid import uuid4

import pytest

from pool.domain.family import Family, FamilyStatus
from pool.errors import ErasedError, InvalidInputError, RuleViolationError
from pool.values import InvestigationStep, Kind, Outcome
from tests.coded import raises

ACTOR = {"user_id": None, "username": "pia", "role": "pool_staff", "municipality": None}
SECOND = {"user_id": None, "username": "per", "role": "pool_staff", "municipality": None}


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
        family.record_investigation_step(ACTOR, step, Outcome.CLEAR, "sealed:v1:note", date(2026, 1, 20))
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
    family.approve(ACTOR, date(2026, 2, 4))
    assert family.status is FamilyStatus.APPROVED and family.approved_on == date(2026, 2, 4)


def test_given_not_approved_when_publishing_then_refused():
    with raises(RuleViolationError, match="under investigation"):
        investigated().publish(ACTOR, review_required=True)


def test_publish_unpublish_publish_again():
    family = investigated()
    family.approve(ACTOR, date(2026, 2, 1))
    family.set_description(ACTOR, "sealed:v1:beskrivning")
    family.review_description(SECOND, date(2026, 2, 2))
    family.publish(ACTOR, review_required=True)
    family.unpublish(ACTOR)
    with pytest.raises(RuleViolationError):
        family.unpublish(ACTOR)
    family.set_description(ACTOR, "sealed:v1:ny")
    family.review_description(SECOND, date(2026, 2, 3))
    family.publish(ACTOR, review_required=True)
    assert family.status is FamilyStatus.PUBLISHED and family.description == "sealed:v1:ny"
    assert family.collect_events()[-1].description == "sealed:v1:ny"


def test_rejected_family_cannot_be_approved_or_published():
    family = investigated()
    family.reject(ACTOR, "sealed:v1:reason")
    with pytest.raises(RuleViolationError):
        family.approve(ACTOR, date(2026, 2, 1))
    with pytest.raises(RuleViolationError):
        family.publish(ACTOR, review_required=False)


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
        family.publish(ACTOR, review_required=False)
    with pytest.raises(ErasedError):
        family.erase(ACTOR)


def test_training_is_recorded():
    family = applied()
    family.record_training(ACTOR, "ett-hem-att-vaxa-i", date(2026, 3, 3))
    assert family.training == [{"course": "ett-hem-att-vaxa-i", "completed_on": date(2026, 3, 3)}]


def approved() -> Family:
    family = investigated()
    family.approve(ACTOR, date(2026, 2, 1))
    return family


def test_a_description_needs_a_second_consultants_review_before_publication():
    family = approved()
    with raises(RuleViolationError, "family.no_description"):
        family.publish(ACTOR, review_required=True)
    with raises(RuleViolationError, "family.no_description"):
        family.review_description(SECOND, date(2026, 2, 2))
    family.set_description(ACTOR, "sealed:v1:text")
    with raises(RuleViolationError, "family.description_not_reviewed"):
        family.publish(ACTOR, review_required=True)
    with raises(RuleViolationError, "family.description_review_by_author"):
        family.review_description(ACTOR, date(2026, 2, 2))
    assert family.status is FamilyStatus.APPROVED and family.description_review is None
    family.review_description(SECOND, date(2026, 2, 2))
    assert family.description_review == {"username": "per", "user_id": None, "reviewed_on": date(2026, 2, 2)}
    with raises(RuleViolationError, "family.description_already_reviewed"):
        family.review_description({**SECOND, "username": "eva"}, date(2026, 2, 2))
    family.publish(SECOND, review_required=True)  # anyone may publish a reviewed text, its author too
    assert family.status is FamilyStatus.PUBLISHED


def test_a_changed_description_needs_a_new_review_and_the_reviewer_may_not_be_its_new_author():
    family = approved()
    family.set_description(ACTOR, "sealed:v1:one")
    family.review_description(SECOND, date(2026, 2, 2))
    family.set_description(SECOND, "sealed:v1:two")
    assert family.description_review is None
    with raises(RuleViolationError, "family.description_review_by_author"):
        family.review_description(SECOND, date(2026, 2, 3))
    family.review_description(ACTOR, date(2026, 2, 3))
    family.publish(ACTOR, review_required=True)


def test_same_user_is_judged_by_id_when_both_have_one():
    family = approved()
    me = {**ACTOR, "user_id": "u-1"}
    family.set_description(me, "sealed:v1:x")
    with raises(RuleViolationError, "family.description_review_by_author"):
        family.review_description({**me, "username": "renamed"}, date(2026, 2, 2))


def test_without_required_reviews_a_description_is_published_unreviewed():
    family = approved()
    family.set_description(ACTOR, "sealed:v1:x")
    family.publish(ACTOR, review_required=False)
    assert family.status is FamilyStatus.PUBLISHED


def test_a_description_is_set_only_on_an_approved_family_and_never_on_an_erased_one():
    with raises(RuleViolationError, "family.not_publishable"):
        investigated().set_description(ACTOR, "sealed:v1:x")
    family = approved()
    family.erase(ACTOR)
    with pytest.raises(ErasedError):
        family.set_description(ACTOR, "sealed:v1:x")
    with pytest.raises(ErasedError):
        family.review_description(SECOND, date(2026, 2, 2))


def test_a_version_1_published_event_keeps_its_plain_text_readable():
    state = {"actor": ACTOR, "description": "Familj med hund."}
    Family.Published.upcast_v1_v2(state)
    assert state == {"actor": ACTOR, "description": None, "plain_description": "Familj med hund."}
    family = approved()
    family._publish(actor=ACTOR, description=None, plain_description="Familj med hund.")
    assert family.description == "Familj med hund." and family.description_author is None
    family.unpublish(ACTOR)
    with raises(RuleViolationError, "family.description_not_reviewed"):
        family.publish(ACTOR, review_required=True)
    family.review_description(SECOND, date(2026, 2, 2))  # no author recorded: anyone reviews it
    family.publish(ACTOR, review_required=True)


def test_approving_despite_a_concern_needs_a_motivation_and_nothing_is_written_without_one() -> None:
    family = applied(("familjehem",), 1)
    for step in InvestigationStep:
        outcome = Outcome.CONCERN if step is InvestigationStep.POLICE_REGISTER else Outcome.CLEAR
        family.record_investigation_step(ACTOR, step, outcome, "sealed:v1:note", date(2026, 1, 20))
    before = len(family.collect_events())
    with raises(InvalidInputError, "family.concern_needs_motivation") as info:
        family.approve(ACTOR, date(2026, 2, 1))
    assert info.value.params["steps"] == ["police_register"] and info.value.field == "motivation"
    assert family.collect_events() == [] and before > 0 and family.status.value == "under_investigation"
    family.approve(ACTOR, date(2026, 2, 1), "sealed:v1:motivation")
    assert family.approval_motivation == "sealed:v1:motivation"
    # Without a concern no motivation is asked for.
    investigated().approve(ACTOR, date(2026, 2, 1))


def test_an_approval_stored_before_motivations_is_upcast_without_one() -> None:
    state = {"actor": ACTOR, "approved_on": date(2026, 2, 1)}
    Family.Approved.upcast_v1_v2(state)
    assert state["motivation"] is None
