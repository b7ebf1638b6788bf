"""Business dates in the aggregates (issue 11): never in the future, never before what they follow; a
refusal names the field and records nothing. The checklist keeps each step's date and history (issue 12)."""

from datetime import date, timedelta
from uuid import uuid4

from pool.domain.family import Family
from pool.domain.interest import Interest, LinkOutcome
from pool.domain.referral import Referral
from pool.errors import InvalidInputError
from pool.values import InvestigationStep, Outcome
from tests.coded import raises
from tests.unit.test_family import ACTOR, applied, investigated

TOMORROW = date.today() + timedelta(days=1)


def refused(aggregate, command, code: str, field: str) -> None:
    """The command is refused with `code` on `field` and nothing is recorded."""
    aggregate.collect_events()
    with raises(InvalidInputError, code) as info:
        command()
    assert info.value.field == field
    assert aggregate.collect_events() == []


def approved() -> Family:
    family = investigated()  # applied 2026-01-10, every step done 2026-01-20
    family.approve(ACTOR, date(2026, 2, 1))
    family.set_description(ACTOR, "sealed:v1:description")
    return family


def test_a_step_is_dated_neither_in_the_future_nor_before_the_application():
    family = applied()
    step = InvestigationStep.INTERVIEW
    refused(family, lambda: family.record_investigation_step(ACTOR, step, Outcome.CLEAR, "n", TOMORROW),
            "value.date_in_future", "step_done_on")
    refused(family, lambda: family.record_investigation_step(ACTOR, step, Outcome.CLEAR, "n", date(2026, 1, 9)),
            "value.date_before_predecessor", "step_done_on")


def test_a_step_recorded_again_keeps_the_earlier_record_and_its_date():
    family = applied()
    step = InvestigationStep.INTERVIEW
    family.record_investigation_step(ACTOR, step, Outcome.CONCERN, "sealed:v1:a", date(2026, 1, 15))
    family.record_investigation_step(ACTOR, step, Outcome.CLEAR, "sealed:v1:b", date(2026, 1, 25))
    entry = family.checklist[step.value]
    assert (entry["outcome"], entry["note"], entry["step_done_on"]) == ("clear", "sealed:v1:b", date(2026, 1, 25))
    assert entry["history"] == [{"outcome": "concern", "note": "sealed:v1:a", "step_done_on": date(2026, 1, 15)}]
    event = family.collect_events()[-1]
    assert event.step_done_on == date(2026, 1, 25) and event.class_version == 2


def test_approval_and_rejection_not_before_the_last_step():
    family = investigated()
    refused(family, lambda: family.approve(ACTOR, date(2026, 1, 19)), "value.date_before_predecessor", "approved_on")
    refused(family, lambda: family.reject(ACTOR, "sealed:v1:r", date(2026, 1, 19)),
            "value.date_before_predecessor", "rejected_on")
    family.reject(ACTOR, "sealed:v1:r", date(2026, 1, 20))
    assert family.collect_events()[-1].rejected_on == date(2026, 1, 20)


def test_publication_not_before_the_approval_and_unpublication_not_before_the_publication():
    family = approved()
    refused(family, lambda: family.publish(ACTOR, review_required=False, published_on=date(2026, 1, 31)),
            "value.date_before_predecessor", "published_on")
    refused(family, lambda: family.publish(ACTOR, review_required=False, published_on=TOMORROW),
            "value.date_in_future", "published_on")
    family.publish(ACTOR, review_required=False, published_on=date(2026, 2, 10))
    assert family.published_on == date(2026, 2, 10)
    refused(family, lambda: family.unpublish(ACTOR, date(2026, 2, 9)), "value.date_before_predecessor",
            "unpublished_on")
    family.unpublish(ACTOR, date(2026, 3, 1))
    refused(family, lambda: family.withdraw(ACTOR, "sealed:v1:w", date(2026, 2, 28)),
            "value.date_before_predecessor", "withdrawn_on")


def test_an_interest_follows_the_publication_and_the_decision_and_brokering_follows_the_interest():
    with raises(InvalidInputError, "value.date_before_predecessor") as info:
        Interest.check_interest_on(date(2026, 2, 9), date(2026, 2, 10), [date(2026, 1, 1)])
    assert info.value.field == "interest_on"
    with raises(InvalidInputError, "value.date_before_predecessor"):
        Interest.check_interest_on(date(2026, 2, 11), date(2026, 2, 10), [date(2026, 3, 1)])
    interest = Interest(id=uuid4(), actor=ACTOR, family_id=uuid4(), municipality="0184", referral_id=None,
                        message="sealed:v1:m", interest_on=date(2026, 3, 1))
    refused(interest, lambda: interest.broker(ACTOR, brokered_on=date(2026, 2, 28)),
            "value.date_before_predecessor", "brokered_on")
    refused(interest, lambda: interest.decline(ACTOR, "sealed:v1:r", date(2026, 2, 28)),
            "value.date_before_predecessor", "declined_on")
    interest.broker(ACTOR, brokered_on=date(2026, 3, 5))
    refused(interest, lambda: interest.end_link(ACTOR, LinkOutcome.FAMILY_DECLINED, ended_on=date(2026, 3, 4)),
            "value.date_before_predecessor", "ended_on")
    refused(interest, lambda: interest.end_link(ACTOR, LinkOutcome.FAMILY_DECLINED, ended_on=TOMORROW),
            "value.date_in_future", "ended_on")
    interest.end_link(ACTOR, LinkOutcome.FAMILY_DECLINED, ended_on=date(2026, 3, 5))


def test_a_proposal_and_a_withdrawal_not_before_the_decision():
    referral = Referral(id=uuid4(), actor=ACTOR, municipality="0184", kind="familjehem", legal_basis="SoL",
                        decision_date=date(2026, 3, 1), child_birth_month="2016-05", needs="sealed:v1:n",
                        wishes="sealed:v1:w")
    refused(referral, lambda: referral.propose(ACTOR, [uuid4()], date(2026, 2, 28)),
            "value.date_before_predecessor", "proposed_on")
    refused(referral, lambda: referral.withdraw(ACTOR, date(2026, 2, 28)), "value.date_before_predecessor",
            "withdrawn_on")
    referral.withdraw(ACTOR, date(2026, 3, 2))
    assert referral.collect_events()[-1].withdrawn_on == date(2026, 3, 2)
