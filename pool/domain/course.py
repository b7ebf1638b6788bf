"""The Course aggregate: one course occasion of the pool's course register and who attended it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from pool.errors import InvalidInputError, RuleViolationError


class Course(Aggregate):
    """A course held on a day at a place ("Ett hem att växa i" among them), with its attendance list.

    The course is a code of pool.codes.COURSES (its name); the place is published text, checked for
    personal data before it gets here. Families are referred to by id only: no names in this stream."""

    class Scheduled(Aggregate.Created):
        actor: dict[str, Any]
        course: str
        held_on: date
        place: str

    class AttendanceRecorded(Aggregate.Event):
        actor: dict[str, Any]
        family_id: UUID
        attended_on: date

    @event(Scheduled)
    def __init__(self, actor: dict[str, Any], course: str, held_on: date, place: str):
        self.course = course
        self.held_on = held_on
        self.place = place
        self.attendance: list[dict[str, Any]] = []  # {"family_id", "attended_on"}, in the order recorded

    # Guards -------------------------------------------------------------------------------

    def attended(self, family_id: UUID) -> bool:
        return any(a["family_id"] == family_id for a in self.attendance)

    def check_attendance(self, family_id: UUID, attended_on: date) -> None:
        """A family attends once; nobody attends a course before the day it is held."""
        if self.attended(family_id):
            raise RuleViolationError("course.already_attended", family_id=str(family_id))
        if attended_on < self.held_on:
            raise InvalidInputError("course.attended_before_held", field="attended_on",
                                    held_on=self.held_on.isoformat())

    # Commands -----------------------------------------------------------------------------

    def record_attendance(self, actor: dict, family_id: UUID, attended_on: date) -> None:
        self.check_attendance(family_id, attended_on)
        self._record_attendance(actor=actor, family_id=family_id, attended_on=attended_on)

    @event(AttendanceRecorded)
    def _record_attendance(self, actor: dict, family_id: UUID, attended_on: date) -> None:
        self.attendance.append({"family_id": family_id, "attended_on": attended_on})
