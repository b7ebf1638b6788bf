"""The members' reported placed children 0-17 per year: a form per member and a CSV import (read, show, confirm)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_pool, get_read_models, settle_if_available
from api.web.admin_forms import Form, read_upload
from api.web.admin_population import swedish_note, swedish_parse_error
from api.web.common import CheckedForm, done, render, require_roles
from api.web.messages import swedish
from pool.actors import Actor, Role
from pool.application import PoolApplication
from pool.errors import InvalidInputError, PoolError
from pool.population import PopulationImport, PopulationImportError, parse_placed_children
from pool.reference import MAX_PLACED
from projections.contract import ReadModels

router = APIRouter(include_in_schema=False)
# The steering group collects the members' figures (the allocation's placement key); the administrator may too.
Money = Annotated[Actor, Depends(require_roles(Role.STEERING, Role.ADMIN))]
Pool = Annotated[PoolApplication, Depends(get_pool)]
Reads = Annotated[ReadModels, Depends(get_read_models)]
PAGE = "/styrgrupp/placerade-barn"
MAX_FILE_BYTES = 1024 * 1024
_FIGURE = re.compile(r"^(\d{4}):(\d{1,9})$")


def reference_year(today: date) -> int:
    """The year of the latest 1 November: the figure the next allocation needs."""
    return today.year if today >= date(today.year, 11, 1) else today.year - 1


def _year_param(request: Request) -> int:
    raw = request.query_params.get("ar", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else reference_year(date.today())


def _page(request: Request, read_models: ReadModels, year: int, status: int = 200, **ctx: Any) -> HTMLResponse:
    members = [{"municipality": m["municipality"], "name": m["name"], "left_on": m.get("left_on"),
                "figure": (m.get("placed_children") or {}).get(year)} for m in read_models.members()]
    return render(request, "steering/placed_children.html", status,
                  page_title=f"Placerade barn 1 november {year}", year=year, members=members, **ctx)


@router.get(PAGE, response_class=HTMLResponse)
def placed_page(request: Request, actor: Money, read_models: Reads) -> Response:
    return _page(request, read_models, _year_param(request))


@router.post(PAGE + "/{year:int}/{kommunkod}", response_class=HTMLResponse)
def record_placed(year: int, kommunkod: str, request: Request, form: CheckedForm, actor: Money, pool: Pool,
                  read_models: Reads) -> Response:
    f = Form(form)
    field, source_field = f"children-{kommunkod}", f"source-{kommunkod}"  # one form per member on the page
    children = f.integer(field, 0, MAX_PLACED)
    source = f.text(source_field, required=False, max_length=300)
    values = {k: v for k, v in f.data.items() if k != "csrf_token"}
    if not f.ok or children is None:
        return _page(request, read_models, year, 422, errors=f.errors, values=values)
    try:
        saved = pool.record_placed_children(actor, kommunkod, year, children=children, source=source)
    except PoolError as e:
        return _page(request, read_models, year, 422 if isinstance(e, InvalidInputError) else 409,
                     errors={field: swedish(e)}, values=values)
    return done(request, saved, f"{PAGE}?ar={year}",
                f"{kommunkod}: {children} placerade barn den 1 november {year} är sparat "
                f"(används för budgetår {year + 1}).")


@router.post(PAGE + "/import", response_class=HTMLResponse)
def read_file(request: Request, form: CheckedForm, actor: Money, read_models: Reads) -> Response:
    """Read a kommunkod;antal file and show what would be recorded; nothing is written until confirmed."""
    f = Form({k: v for k, v in form.items() if k != "file"})
    year = f.year()
    source = f.text("source", required=False, max_length=300)
    data, filename = read_upload(form, f, MAX_FILE_BYTES, "Filen är större än 1 MB.")
    parsed: PopulationImport | None = None
    if f.ok and year is not None:
        try:
            parsed = parse_placed_children(data, year)
        except PopulationImportError as e:
            f.errors["file"] = swedish_parse_error(e)
    values = {k: v for k, v in f.data.items() if k != "csrf_token"}
    if parsed is None or year is None:
        return _page(request, read_models, year or _year_param(request), 422, errors=f.errors, values=values)
    source = source or f"placerade barn 0–17 den 1 november {year} enligt kommunerna (fil {filename})"
    members = {m["municipality"]: m for m in read_models.members()}
    rows, ignored = [], []
    for fig in parsed.figures:
        member = members.get(fig.municipality)
        if member is None:
            ignored.append(fig.municipality)
            continue
        previous = (member.get("placed_children") or {}).get(year)
        if fig.children > MAX_PLACED:
            state = "för stort"
        elif previous == {"children": fig.children, "source": source}:
            state = "oförändrad"
        elif previous:
            state = f"ersätter {previous['children']} ({previous.get('source') or 'ingen källa'})"
        else:
            state = "ny"
        rows.append({"municipality": fig.municipality, "name": member["name"], "children": fig.children,
                     "state": state})
    in_file = {fig.municipality for fig in parsed.figures}
    start, end = f"{year + 1}-01-01", f"{year + 1}-12-31"
    missing = [f"{m['municipality']} {m['name']}" for m in members.values() if m["municipality"] not in in_file
               and m["joined_on"] <= end and (not m.get("left_on") or m["left_on"] >= start)]
    return render(request, "steering/placed_children_preview.html", page_title="Kontrollera importen", year=year,
                  source=source, filename=filename, rows=rows, ignored=ignored, missing=missing,
                  notes=[swedish_note(n) for n in parsed.notes],
                  writable=[r for r in rows if r["state"] not in ("oförändrad", "för stort")])


@router.post(PAGE + "/import/spara", response_class=HTMLResponse)
def write_figures(request: Request, form: CheckedForm, actor: Money, pool: Pool, read_models: Reads) -> Response:
    """Record each confirmed figure; the page then shows every member's figure for the year."""
    f = Form(form)
    year = f.year()
    source = f.text("source", required=False, max_length=300)
    figures = [match.groups() for raw in form.getlist("figure") if (match := _FIGURE.match(str(raw)))]
    if year is None or not figures:
        return _page(request, read_models, year or _year_param(request), 422,
                     errors={"file": "Det fanns inget att spara. Läs in filen igen."})
    last, failed = None, []
    for code, count in figures:
        try:
            last = pool.record_placed_children(actor, code, year, children=int(count), source=source)
        except PoolError as e:
            failed.append(f"{code}: {swedish(e)}")
    settle_if_available(request, last)
    if failed:
        return _page(request, read_models, year, 409, errors={"file": "Några uppgifter sparades inte: "
                                                                      + "; ".join(failed)})
    return done(request, last, f"{PAGE}?ar={year}", f"{len(figures)} uppgifter om placerade barn är sparade.")
