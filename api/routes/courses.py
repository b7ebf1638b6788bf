"""The course register (pool staff): courses, their attendance lists; supervision and home type of a family."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, status

from api.deps import ExpectedVersion, Limit, Offset, PoolDep, ReadModelsDep, StaffUser, done
from api.errors import PROBLEMS
from api.schemas.common import CreatedPublic, VersionPublic
from api.schemas.courses import (
    AttendanceCreate, CourseCreate, CourseDetailPublic, CoursePagePublic, HomeTypeUpdate, SupervisionCreate,
)
from pool.errors import NotFoundError

router = APIRouter(tags=["courses"], responses=PROBLEMS)


@router.post("/courses", status_code=status.HTTP_201_CREATED, response_model=CreatedPublic)
def schedule_course(body: CourseCreate, actor: StaffUser, pool: PoolDep, request: Request) -> dict[str, Any]:
    """Put a course occasion in the register (422 if the place carries personal data)."""
    saved = pool.schedule_course(actor, course=body.course, held_on=body.held_on, place=body.place)
    return done(request, saved)


@router.get("/courses", response_model=CoursePagePublic)
def list_courses(actor: StaffUser, read_models: ReadModelsDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """The course register, the newest course first, with the number of attendees."""
    page = read_models.courses(limit=limit, offset=offset)
    return {"items": page.items, "total": page.total}


@router.get("/courses/{course_id}", response_model=CourseDetailPublic)
def get_course(course_id: UUID, actor: StaffUser, read_models: ReadModelsDep) -> dict[str, Any]:
    """One course with its attendance list (families by id, with their status and home type; no names)."""
    course = read_models.course(course_id)
    if course is None:
        raise NotFoundError("record.not_found", kind="course", id=str(course_id))
    return course


@router.post("/courses/{course_id}/attendance", response_model=VersionPublic)
def record_attendance(course_id: UUID, body: AttendanceCreate, actor: StaffUser, pool: PoolDep, request: Request,
                      expected_version: ExpectedVersion) -> dict[str, Any]:
    """A family attended (409 twice, or for a rejected or withdrawn family); also the family's training."""
    saved = pool.record_attendance(actor, course_id, family_id=body.family_id, attended_on=body.attended_on,
                                   expected_version=expected_version)
    return done(request, saved)


@router.post("/families/{family_id}/supervision", response_model=VersionPublic)
def record_supervision(family_id: UUID, body: SupervisionCreate, actor: StaffUser, pool: PoolDep, request: Request,
                       expected_version: ExpectedVersion) -> dict[str, Any]:
    """A supervision session with an approved family (409 otherwise); the note is read in the audited family read."""
    saved = pool.record_supervision(actor, family_id, held_on=body.held_on, note=body.note,
                                    expected_version=expected_version)
    return done(request, saved)


@router.put("/families/{family_id}/home-type", response_model=VersionPublic)
def set_home_type(family_id: UUID, body: HomeTypeUpdate, actor: StaffUser, pool: PoolDep, request: Request,
                  expected_version: ExpectedVersion) -> dict[str, Any]:
    """Network home or recruited (409: a published family cannot become a network home; unpublish first)."""
    saved = pool.set_home_type(actor, family_id, home_type=body.home_type.value, expected_version=expected_version)
    return done(request, saved)
