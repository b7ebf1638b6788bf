"""Course register, supervision and home type commands (issue 12 section 6)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from pool.actors import Actor, Role
from pool.base import BaseApplication, Saved, as_date
from pool.codes import check_course
from pool.domain.course import Course
from pool.domain.description import find_personal_data
from pool.domain.family import Family
from pool.domain.family_support import HomeType
from pool.errors import InvalidInputError
from pool.values import check_recent, check_text, parse_enum

# A course is put in the register at most this far ahead: further out, the date is a typo.
SCHEDULE_AHEAD_DAYS = 366


def check_place(value: object, field: str = "place") -> str:
    """The place is published text (the course register, the family's training): a venue, never a person.

    The description's checks apply with no household of its own: a personnummer, phone number, e-mail,
    street address, postal code or date in it is refused (write "Familjepoolens lokaler, Sollentuna")."""
    place = check_text(value, field, max_length=200)
    found = find_personal_data(place, [])
    if found:
        raise InvalidInputError("course.place_personal_data", field=field, found=found)
    return place


def check_held_on(value: object, today: date | None = None) -> date:
    held = as_date(value, "held_on")
    today = today or date.today()
    if held > today + timedelta(days=SCHEDULE_AHEAD_DAYS):
        raise InvalidInputError("course.held_on_too_far", field="held_on", days=SCHEDULE_AHEAD_DAYS)
    return check_recent(held, "held_on") if held <= today else held


class CourseCommands(BaseApplication):
    def schedule_course(self, actor: Actor, *, course: str, held_on: date | str, place: str) -> Saved:
        """Put a course occasion in the register: a course of pool.codes.COURSES, a day, a place."""
        actor.require(Role.POOL_STAFF)
        code, held, checked_place = check_course(course), check_held_on(held_on), check_place(place)
        return self.commit(Course(actor=actor.as_event_data(), course=code, held_on=held, place=checked_place))

    def record_attendance(self, actor: Actor, course_id: UUID, *, family_id: UUID,
                          attended_on: date | str | None = None, expected_version: int | None = None) -> Saved:
        """A family attended: on the attendance list, and in the family's training, saved together.

        `attended_on` defaults to the day the course was held; it is neither before that nor in the future."""
        actor.require(Role.POOL_STAFF)
        course = self.load(Course, course_id, expected_version)
        attended = check_recent(as_date(attended_on or course.held_on, "attended_on"), "attended_on")
        family = self.load(Family, family_id)
        course.check_attendance(family.id, attended)
        family.record_training(actor.as_event_data(), course.course, attended)  # erased, rejected, withdrawn: refused
        course.record_attendance(actor.as_event_data(), family.id, attended)
        return self.commit(course, family)

    def record_supervision(self, actor: Actor, family_id: UUID, *, held_on: date | str, note: str = "",
                           expected_version: int | None = None) -> Saved:
        """A supervision session (handledning) with an approved family; the note is sealed under its key."""
        actor.require(Role.POOL_STAFF)
        held = check_recent(as_date(held_on, "held_on"), "held_on")
        text = check_text(note, "note", required=False)
        family = self.load(Family, family_id, expected_version)
        family.check_supervisable()  # before sealing: a refusal writes nothing, an erased family gets no key
        family.record_supervision(actor.as_event_data(), held, self.sealer.seal(family_id, text))
        return self.commit(family)

    def set_home_type(self, actor: Actor, family_id: UUID, *, home_type: str,
                      expected_version: int | None = None) -> Saved:
        """Network home (nätverkshem) or recruited; a network home is never in the catalogue."""
        actor.require(Role.POOL_STAFF)
        parsed = parse_enum(HomeType, home_type, "home_type")
        family = self.load(Family, family_id, expected_version)
        if family.set_home_type(actor.as_event_data(), parsed):
            return self.commit(family)
        return Saved(id=family_id, version=family.version, position=None)  # already that type: nothing to record
