"""Course register, supervision and home type on the aggregates (issue 12 section 6): each rule and refusal."""

from datetime import date, timedelta
from uuid import uuid4

import pytest

from pool.courses import check_held_on, check_place
from pool.domain.course import Course
from pool.domain.family import FamilyStatus
from pool.domain.family_support import HomeType
from pool.errors import ErasedError, InvalidInputError, RuleViolationError
from tests.coded import raises
from tests.unit.test_family import ACTOR, applied, investigated


def course(held_on: date = date(2026, 3, 14)) -> Course:
    return Course(actor=ACTOR, course="ett-hem-att-vaxa-i", held_on=held_on, place="Familjepoolens lokaler, Sollentuna")


def approved():
    family = investigated()
    family.approve(ACTOR, date(2026, 2, 1))
    return family


def test_a_course_keeps_its_attendance_list_in_the_order_recorded():
    c, a, b = course(), uuid4(), uuid4()
    c.record_attendance(ACTOR, a, date(2026, 3, 14))
    c.record_attendance(ACTOR, b, date(2026, 3, 15))
    assert [x["family_id"] for x in c.attendance] == [a, b]
    assert [type(e).__name__ for e in c.collect_events()] == ["Scheduled", "AttendanceRecorded", "AttendanceRecorded"]


def test_a_family_attends_a_course_once_and_not_before_it_is_held():
    c, a = course(), uuid4()
    c.record_attendance(ACTOR, a, date(2026, 3, 14))
    c.collect_events()
    with raises(RuleViolationError, "course.already_attended", match="already on this course"):
        c.record_attendance(ACTOR, a, date(2026, 3, 20))
    with raises(InvalidInputError, "course.attended_before_held", match="2026-03-14"):
        c.record_attendance(ACTOR, uuid4(), date(2026, 3, 13))
    assert not c.collect_events() and len(c.attendance) == 1


def test_the_place_is_published_text_without_personal_data():
    assert check_place("  Kommunhuset, Täby ") == "Kommunhuset, Täby"
    for place in ("Hemma hos 19721212-1219", "Storgatan 5, Sollentuna", "ring 070-555 12 34", ""):
        with pytest.raises(InvalidInputError):
            check_place(place)
    with raises(InvalidInputError, "course.place_personal_data", match="personal data"):
        check_place("kalle@example.se")


def test_a_course_is_scheduled_at_most_a_year_ahead():
    today = date(2026, 6, 1)
    assert check_held_on("2026-12-01", today) == date(2026, 12, 1)
    with raises(InvalidInputError, "course.held_on_too_far", match="366 days"):
        check_held_on(today + timedelta(days=400), today)
    with raises(InvalidInputError, "value.not_a_date"):
        check_held_on("nästa vecka", today)


def test_supervision_is_recorded_for_an_approved_family_only():
    family = approved()
    family.record_supervision(ACTOR, date(2026, 3, 1), "sealed:v1:n")
    assert family.supervision == [{"held_on": date(2026, 3, 1), "note": "sealed:v1:n"}]
    with raises(RuleViolationError, "family.supervision_refused", match="supervision"):
        applied().record_supervision(ACTOR, date(2026, 3, 1), "sealed:v1:n")
    family.erase(ACTOR)
    with raises(ErasedError, "family.erased"):
        family.record_supervision(ACTOR, date(2026, 3, 2), "sealed:v1:n")


def test_a_family_is_recruited_until_marked_a_network_home():
    family = applied()
    assert family.home_type is HomeType.RECRUITED
    assert family.set_home_type(ACTOR, HomeType.RECRUITED) is False  # no event for no change
    assert family.set_home_type(ACTOR, HomeType.NETWORK) is True
    assert family.home_type is HomeType.NETWORK
    assert type(family.collect_events()[-1]).__name__ == "HomeTypeSet"


def test_a_network_home_is_never_published():
    family = approved()
    family.set_home_type(ACTOR, HomeType.NETWORK)
    family.set_description(ACTOR, "sealed:v1:d")
    with raises(RuleViolationError, "family.network_home_not_publishable", match="network home"):
        family.publish(ACTOR, review_required=False)
    family.set_home_type(ACTOR, HomeType.RECRUITED)
    family.publish(ACTOR, review_required=False)
    assert family.status is FamilyStatus.PUBLISHED
    with raises(RuleViolationError, "family.network_home_not_publishable"):
        family.set_home_type(ACTOR, HomeType.NETWORK)  # unpublish first
    assert family.home_type is HomeType.RECRUITED
