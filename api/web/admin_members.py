"""Administrator pages for the member municipalities: list, add, edit, leave, population and placed children."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_pool, get_read_models
from api.web.admin_forms import Form, domain_field_message, member_form
from api.web.common import CheckedForm, done, pager, redirect, render, require_roles, window
from api.web.messages import swedish
from pool.actors import Actor, Role
from pool.application import PoolApplication
from pool.domain.member import Member
from pool.errors import InvalidInputError, NotFoundError, PoolError
from projections.contract import ReadModels

router = APIRouter(include_in_schema=False)
Admin = Annotated[Actor, Depends(require_roles(Role.ADMIN))]
Pool = Annotated[PoolApplication, Depends(get_pool)]
Reads = Annotated[ReadModels, Depends(get_read_models)]


def find_member(read_models: ReadModels, kommunkod: str) -> dict[str, Any]:
    for m in read_models.members():
        if m["municipality"] == kommunkod:
            return m
    raise NotFoundError("member.not_found", kommunkod=kommunkod)


def failed(e: PoolError, known: tuple[str, ...]) -> dict[str, str]:
    """A domain refusal as a Swedish message next to its field (or above the form)."""
    field = getattr(e, "field", None) if isinstance(e, InvalidInputError) else None
    if field in known:
        return {field: domain_field_message(field) or swedish(e)}
    return {"form": swedish(e)}


def _values(form: Form) -> dict[str, Any]:
    return {k: v for k, v in form.data.items() if k != "csrf_token"}


@router.get("/admin/medlemmar", response_class=HTMLResponse)
def members_page(request: Request, actor: Admin, read_models: Reads) -> Response:
    members = list(read_models.members())
    limit, offset = window(request)
    return render(request, "admin/members.html", page_title="Medlemskommuner", members=members[offset:offset + limit],
                  pager=pager(request, len(members)))


@router.get("/admin/medlemmar/ny", response_class=HTMLResponse)
def new_member_page(request: Request, actor: Admin) -> Response:
    return render(request, "admin/member_new.html", page_title="Ny medlemskommun")


@router.post("/admin/medlemmar/ny", response_class=HTMLResponse)
def add_member(request: Request, form: CheckedForm, actor: Admin, pool: Pool) -> Response:
    f = member_form(form, new=True)
    code = f.data.get("kommunkod", "")
    if f.ok and pool.exists(Member.create_id(code)):
        f.errors["kommunkod"] = f"Kommunkod {code} är redan registrerad. Ändra den under Medlemskommuner."
    if not f.ok:
        return render(request, "admin/member_new.html", 422, page_title="Ny medlemskommun", errors=f.errors,
                      values=_values(f))
    try:
        saved = pool.put_member(actor, code, name=f.data["name"], joined_on=f.data["joined_on"])
    except PoolError as e:
        return render(request, "admin/member_new.html", 422, page_title="Ny medlemskommun",
                      errors=failed(e, ("kommunkod", "name", "joined_on")), values=_values(f))
    return done(request, saved, f"/admin/medlemmar/{code}", f"{code} {f.data['name']} är registrerad som medlem.")


def _member_page(request: Request, read_models: ReadModels, kommunkod: str, status: int = 200,
                 **ctx: Any) -> HTMLResponse:
    member = find_member(read_models, kommunkod)
    population = sorted((member.get("child_population") or {}).items(), reverse=True)
    placed = sorted((member.get("placed_children") or {}).items(), reverse=True)
    ctx.setdefault("values", {"name": member["name"], "joined_on": member["joined_on"]})
    return render(request, "admin/member.html", status, page_title=f"{kommunkod} {member['name']}", member=member,
                  population=population, placed=placed, **ctx)


@router.get("/admin/medlemmar/{kommunkod}", response_class=HTMLResponse)
def member_page(kommunkod: str, request: Request, actor: Admin, read_models: Reads) -> Response:
    return _member_page(request, read_models, kommunkod)


@router.post("/admin/medlemmar/{kommunkod}", response_class=HTMLResponse)
def edit_member(kommunkod: str, request: Request, form: CheckedForm, actor: Admin, pool: Pool,
                read_models: Reads) -> Response:
    member = find_member(read_models, kommunkod)
    f = member_form(form, new=False)
    if f.ok and member.get("left_on") and f.data["joined_on"] > member["left_on"]:
        f.errors["joined_on"] = f"Inträdet kan inte ligga efter utträdet {member['left_on']}."
    if not f.ok:
        return _member_page(request, read_models, kommunkod, 422, errors=f.errors, values=_values(f))
    try:
        saved = pool.put_member(actor, kommunkod, name=f.data["name"], joined_on=f.data["joined_on"])
    except PoolError as e:
        return _member_page(request, read_models, kommunkod, 422, errors=failed(e, ("name", "joined_on")),
                            values=_values(f))
    if saved is None:
        return redirect(request, f"/admin/medlemmar/{kommunkod}", "Inget ändrades.")
    return done(request, saved, f"/admin/medlemmar/{kommunkod}", "Ändringen är sparad.")


@router.post("/admin/medlemmar/{kommunkod}/lamnar", response_class=HTMLResponse)
def member_leaves(kommunkod: str, request: Request, form: CheckedForm, actor: Admin, pool: Pool,
                  read_models: Reads) -> Response:
    member = find_member(read_models, kommunkod)
    f = Form(form)
    left_on = f.date("left_on")
    if left_on is not None and left_on.isoformat() < member["joined_on"]:
        f.errors["left_on"] = f"Sista dagen kan inte ligga före inträdet {member['joined_on']}."
    if not f.ok or left_on is None:
        return _member_page(request, read_models, kommunkod, 422, errors=f.errors)
    try:
        saved = pool.member_leaves(actor, kommunkod, left_on=left_on)
    except PoolError as e:
        errors = failed(e, ("left_on",))
        return _member_page(request, read_models, kommunkod, 409, errors={"left_on": errors.popitem()[1]})
    return done(request, saved, f"/admin/medlemmar/{kommunkod}", f"Medlemskapet avslutas {left_on}.")


@router.post("/admin/medlemmar/{kommunkod}/befolkning", response_class=HTMLResponse)
def record_population(kommunkod: str, request: Request, form: CheckedForm, actor: Admin, pool: Pool,
                      read_models: Reads) -> Response:
    find_member(read_models, kommunkod)
    f = Form(form)
    year = f.year("pop_year")
    children = f.integer("children", 0, 2_000_000)
    source = f.text("source", required=False, max_length=300)
    if not f.ok or year is None or children is None:
        return _member_page(request, read_models, kommunkod, 422, errors=f.errors,
                            values={**_values(f), **_member_defaults(read_models, kommunkod)})
    try:
        saved = pool.record_child_population(actor, kommunkod, year, children=children, source=source)
    except PoolError as e:
        return _member_page(request, read_models, kommunkod, 422, errors=failed(e, ("children", "source")))
    return done(request, saved, f"/admin/medlemmar/{kommunkod}",
                f"{children} barn 0–17 den 1 november {year} är sparat (används för budgetår {year + 1}).")


@router.post("/admin/medlemmar/{kommunkod}/placerade", response_class=HTMLResponse)
def record_placed(kommunkod: str, request: Request, form: CheckedForm, actor: Admin, pool: Pool,
                  read_models: Reads) -> Response:
    find_member(read_models, kommunkod)
    f = Form(form)
    year = f.year("placed_year")
    children = f.integer("placed_children", 0, 100_000)
    source = f.text("placed_source", required=False, max_length=300)
    if not f.ok or year is None or children is None:
        return _member_page(request, read_models, kommunkod, 422, errors=f.errors,
                            values={**_values(f), **_member_defaults(read_models, kommunkod)})
    try:
        saved = pool.record_placed_children(actor, kommunkod, year, children=children, source=source)
    except PoolError as e:
        return _member_page(request, read_models, kommunkod, 422, errors={"placed_children": swedish(e)})
    return done(request, saved, f"/admin/medlemmar/{kommunkod}",
                f"{children} placerade barn 0–17 den 1 november {year} är sparat (används för budgetår {year + 1}).")


def _member_defaults(read_models: ReadModels, kommunkod: str) -> dict[str, Any]:
    m = find_member(read_models, kommunkod)
    return {"name": m["name"], "joined_on": m["joined_on"]}
