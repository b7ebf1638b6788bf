"""Pool staff: the course register (Kurser): course occasions, their attendance lists, recording attendance."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_pool, get_read_models
from api.web.common import CheckedForm, done, field_error, form_failed, pager, render, require_roles, window
from api.web.staff_family import run, text
from pool.actors import Actor, Role
from pool.errors import NotFoundError, PoolError

router = APIRouter(include_in_schema=False)
Staff = Annotated[Actor, Depends(require_roles(Role.POOL_STAFF))]
PER_PAGE = 25
NOT_FOUND = "Ingen familj med den katalogkoden eller det id:t. Nätverkshem och sökande har ingen katalogkod: ange id."


def courses_page(request: Request, status: int = 200, **ctx: Any) -> Response:
    limit, offset = window(request, PER_PAGE)
    page = get_read_models(request).courses(limit=limit, offset=offset)
    return render(request, "staff/courses.html", status, items=page.items, pager=pager(request, page.total, PER_PAGE),
                  **ctx)


@router.get("/pool/kurser", response_class=HTMLResponse)
def courses(request: Request, actor: Staff) -> Response:
    return courses_page(request)


@router.post("/pool/kurser", response_class=HTMLResponse)
def schedule(request: Request, actor: Staff, form: CheckedForm) -> Response:
    try:
        saved = get_pool(request).schedule_course(actor, course=str(form.get("course") or ""),
                                                  held_on=str(form.get("held_on") or ""),
                                                  place=str(form.get("place") or ""))
    except PoolError as exc:
        limit, offset = window(request, PER_PAGE)
        page = get_read_models(request).courses(limit=limit, offset=offset)
        return form_failed(request, "staff/courses.html", exc, form, default_field="course", items=page.items,
                           pager=pager(request, page.total, PER_PAGE))
    return done(request, saved, f"/pool/kurser/{saved.id}", "Kursen är registrerad.")


def course_context(request: Request, course_id: UUID) -> dict[str, Any]:
    course = get_read_models(request).course(course_id)
    if course is None:
        raise NotFoundError("record.not_found", kind="course", id=str(course_id))
    return {"course": course, "page_title": "Kurs"}


@router.get("/pool/kurser/{course_id}", response_class=HTMLResponse)
def course(request: Request, course_id: UUID, actor: Staff) -> Response:
    return render(request, "staff/course.html", **course_context(request, course_id))


def family_of(request: Request, given: str) -> UUID | None:
    """A family by its catalogue code (FP-0007) or its id."""
    try:
        return UUID(given)
    except ValueError:
        item = get_read_models(request).catalogue_by_code(given)  # type: ignore[attr-defined]
        return UUID(item["family_id"]) if item else None


@router.post("/pool/kurser/{course_id}/deltagare", response_class=HTMLResponse)
def attendance(request: Request, course_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    ctx = course_context(request, course_id)
    family_id = family_of(request, str(form.get("family") or "").strip())
    if family_id is None or get_read_models(request).register_entry(family_id) is None:
        return field_error(request, "staff/course.html", "family", NOT_FOUND, form, **ctx)
    try:
        saved = get_pool(request).record_attendance(actor, course_id, family_id=family_id,
                                                    attended_on=str(form.get("attended_on") or "") or None)
    except PoolError as exc:
        return form_failed(request, "staff/course.html", exc, form, default_field="family", **ctx)
    return done(request, saved, f"/pool/kurser/{course_id}#deltagare", "Deltagandet är registrerat.")


# On the family page (staff/family.html): supervision sessions and the home type ---------------------------

@router.post("/pool/familjer/{family_id}/handledning", response_class=HTMLResponse)
def supervision(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    pool = get_pool(request)
    return run(request, actor, family_id, form, lambda: pool.record_supervision(
        actor, family_id, held_on=text(form, "supervision_on"), note=text(form, "supervision_note")),
        "Handledningen är registrerad.", "handledning", {"held_on": "supervision_on", "note": "supervision_note"},
        default_field="supervision_on")


@router.post("/pool/familjer/{family_id}/hemtyp", response_class=HTMLResponse)
def home_type(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    pool = get_pool(request)
    return run(request, actor, family_id, form, lambda: pool.set_home_type(
        actor, family_id, home_type=text(form, "home_type")), "Typ av hem är sparad.", "hemtyp",
        default_field="home_type")
