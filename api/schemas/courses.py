"""The course register, supervision sessions and the home type (issue 12 section 6)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import RequestModel, Text
from api.schemas.families import CourseId
from pool.domain.family_support import HomeType


class CourseCreate(RequestModel):
    """A course occasion: which course (pool.codes.COURSES), the day, and the venue (published: no personal data)."""

    course: CourseId = Field(examples=["ett-hem-att-vaxa-i"])
    held_on: date = Field(examples=["2026-03-14"], description="at most a year ahead")
    place: Annotated[Text, Field(min_length=1, max_length=200, examples=["Familjepoolens lokaler, Sollentuna"])]


class AttendanceCreate(RequestModel):
    """A family attended; it is also recorded as the family's training, in the same save."""

    family_id: UUID
    attended_on: date | None = Field(None, examples=["2026-03-14"], description="default: the day the course was held")


class SupervisionCreate(RequestModel):
    """A supervision session (handledning); the note is sealed under the family's key."""

    held_on: date = Field(examples=["2026-04-02"])
    note: Annotated[Text, Field(max_length=4000, examples=["Samtal om umgänget med föräldrarna."])] = ""


class HomeTypeUpdate(RequestModel):
    """Network home (nätverkshem: relatives or people the child knows) or recruited."""

    home_type: HomeType


class CoursePublic(BaseModel):
    course_id: UUID
    course: str = Field(examples=["ett-hem-att-vaxa-i"])
    held_on: date
    place: str = Field(examples=["Familjepoolens lokaler, Sollentuna"])
    attendees: int = Field(examples=[6])


class AttendancePublic(BaseModel):
    family_id: UUID
    attended_on: date
    status: str | None = Field(None, examples=["under_investigation"], description="the family's status now")
    home_type: str | None = Field(None, examples=["recruited"])


class CourseDetailPublic(CoursePublic):
    attendance: list[AttendancePublic]


class CoursePagePublic(BaseModel):
    items: list[CoursePublic]
    total: int
