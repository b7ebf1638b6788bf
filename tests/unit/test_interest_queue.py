"""The interest queue, given/when/then: one open interest per member, arrival order, places, link outcomes."""

from datetime import date
from uuid import uuid4

from pool.domain.family import Family
from pool.domain.interest import BrokerReason, Interest, InterestStatus, LinkOutcome
from pool.domain.queue import InterestQueue
from pool.errors import RuleViolationError
from tests.coded import raises
from tests.unit.test_family import ACTOR, investigated


def published(max_children: int = 1) -> Family:
    family = investigated(max_children=max_children)
    family.approve(ACTOR, date(2026, 2, 1))
    family.set_description(ACTOR, "sealed:v1:description")
    family.publish(ACTOR, review_required=False)
    return family


def interest(family_id=None, municipality="0184") -> Interest:
    return Interest(id=uuid4(), actor=ACTOR, family_id=family_id or uuid4(), municipality=municipality,
                    referral_id=uuid4(), message="sealed:v1:m")


def test_queue_id_derives_from_the_family_so_two_first_interests_collide():
    family_id = uuid4()
    assert InterestQueue(family_id=family_id).id == InterestQueue(family_id=family_id).id == \
        InterestQueue.create_id(family_id)


def test_a_member_has_one_open_interest_per_family_until_it_leaves():
    queue, first, second = InterestQueue(family_id=uuid4()), uuid4(), uuid4()
    queue.join(ACTOR, first, "0184")
    with raises(RuleViolationError, "interest.already_open", match="already has an open interest"):
        queue.join(ACTOR, second, "0184")
    queue.join(ACTOR, uuid4(), "0191")  # another member queues behind
    queue.serve(ACTOR, first)
    with raises(RuleViolationError, "interest.already_open"):  # brokered without outcome: still open
        queue.join(ACTOR, second, "0184")
    queue.leave(ACTOR, first)
    queue.join(ACTOR, second, "0184")
    assert queue.pending[-1] == second


def test_earlier_pending_interests_are_those_that_arrived_before():
    queue, a, b, c = InterestQueue(family_id=uuid4()), uuid4(), uuid4(), uuid4()
    for i, m in ((a, "0184"), (b, "0191"), (c, "1280")):
        queue.join(ACTOR, i, m)
    assert queue.earlier_than(a) == []
    assert queue.earlier_than(c) == [a, b]
    queue.leave(ACTOR, a)
    assert queue.earlier_than(c) == [b]
    assert queue.earlier_than(uuid4()) == []  # an interest from before the queue existed


def test_brokering_records_the_passed_interests_and_the_reason_on_the_event():
    i, passed = interest(), [uuid4()]
    i.broker(ACTOR, passed, BrokerReason.URGENT, "sealed:v1:why")
    event = i.collect_events()[-1]
    assert type(event).__qualname__ == "Interest.Brokered" and event.class_version == 3
    assert event.brokered_on == date.today()
    assert (event.passed, event.reason_code, event.reason) == (passed, "urgent_placement", "sealed:v1:why")


def test_old_brokered_events_upcast_to_no_reason():
    state = {"actor": ACTOR}
    Interest.Brokered.upcast_v1_v2(state)
    assert state == {"actor": ACTOR, "passed": [], "reason_code": None, "reason": ""}


def test_family_cannot_be_promised_to_more_members_than_free_places():
    family = published(max_children=2)
    family.release_contact(ACTOR, "0184", uuid4())
    second = uuid4()
    family.release_contact(ACTOR, "0191", second)
    assert family.places_left == 0
    with raises(RuleViolationError, "interest.no_free_place", match="2 places"):
        family.release_contact(ACTOR, "1280", uuid4())
    family.close_link(ACTOR, second, placed=False)  # an earlier link closed frees the place
    family.release_contact(ACTOR, "1280", uuid4())


def test_active_placements_take_places_too():
    family = published(max_children=1)
    from pool.values import Kind
    family.start_placement(ACTOR, uuid4(), Kind.FAMILJEHEM)
    with raises(RuleViolationError, "interest.no_free_place"):
        family.release_contact(ACTOR, "0184", uuid4())


def test_a_link_ending_without_placement_closes_the_contact_and_with_one_keeps_it():
    family = published(max_children=2)
    declined, placed = uuid4(), uuid4()
    family.release_contact(ACTOR, "0184", declined)
    family.release_contact(ACTOR, "0191", placed)
    family.close_link(ACTOR, declined, placed=False)
    family.close_link(ACTOR, placed, placed=True)
    assert family.contact_released_to == ["0191"]
    assert family.open_links == {}


def test_link_ends_once_with_an_outcome():
    i = interest()
    with raises(RuleViolationError, "interest.no_open_link", match="pending"):
        i.end_link(ACTOR, LinkOutcome.FAMILY_DECLINED)
    i.broker(ACTOR)
    with raises(RuleViolationError, "interest.outcome_needs_placement"):
        i.end_link(ACTOR, LinkOutcome.PLACEMENT_STARTED)
    i.end_link(ACTOR, LinkOutcome.CHILD_OR_GUARDIAN_DECLINED, "sealed:v1:n")
    assert i.status is InterestStatus.NOT_STARTED and i.link_outcome == "child_or_guardian_declined"
    with raises(RuleViolationError, "interest.no_open_link"):
        i.end_link(ACTOR, LinkOutcome.OTHER)
    j = interest()
    j.broker(ACTOR)
    j.end_link(ACTOR, LinkOutcome.PLACEMENT_STARTED, placement_id=uuid4())
    assert j.status is InterestStatus.PLACED


def test_another_referral_attaches_to_an_open_interest_once():
    i, referral_id = interest(), uuid4()
    i.attach_referral(ACTOR, referral_id)
    assert i.referral_ids[-1] == referral_id
    with raises(RuleViolationError, "interest.referral_already_attached"):
        i.attach_referral(ACTOR, referral_id)
    i.withdraw(ACTOR)
    with raises(RuleViolationError, "interest.not_open", match="withdrawn"):
        i.attach_referral(ACTOR, uuid4())
