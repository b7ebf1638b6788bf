"""Population figures: an overview per member and year, and the CSV import (read, show, confirm, write)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api import i18n
from api.deps import get_pool, get_read_models, settle_if_available
from api.web.admin_forms import Form, read_upload
from api.web.common import CheckedForm, render, require_roles
from api.web.messages import swedish
from pool.actors import Actor, Role
from pool.application import PoolApplication
from pool.errors import PoolError
from pool.population import Note, PopulationImport, PopulationImportError, parse_child_population
from projections.contract import ReadModels

router = APIRouter(include_in_schema=False)
Admin = Annotated[Actor, Depends(require_roles(Role.ADMIN))]
Pool = Annotated[PoolApplication, Depends(get_pool)]
Reads = Annotated[ReadModels, Depends(get_read_models)]
MAX_FILE_BYTES = 5 * 1024 * 1024  # PxWeb's export of every municipality and age is far smaller
MAX_CHILDREN = 2_000_000
_FIGURE = re.compile(r"^(\d{4}):(\d{1,9})$")
def swedish_note(note: Note) -> str:
    return i18n.message(note, "sv")


def swedish_parse_error(e: PopulationImportError) -> str:
    return f"Filen kunde inte läsas och inget har sparats. Fel: {i18n.message(e, 'sv')}."


def _members_in(members: list[dict[str, Any]], budget_year: int) -> list[dict[str, Any]]:
    start, end = f"{budget_year}-01-01", f"{budget_year}-12-31"
    return [m for m in members if m["joined_on"] <= end and (not m.get("left_on") or m["left_on"] >= start)]


@router.get("/admin/befolkning", response_class=HTMLResponse)
def population_page(request: Request, actor: Admin, read_models: Reads) -> Response:
    members = list(read_models.members())
    this = date.today().year
    years = [this - 3, this - 2, this - 1]
    return render(request, "admin/population.html", page_title="Befolkningsuppgifter", members=members, years=years)


@router.get("/admin/befolkning/import", response_class=HTMLResponse)
def import_page(request: Request, actor: Admin) -> Response:
    return render(request, "admin/population_import.html", page_title="Importera befolkningsuppgifter",
                  values={"year": str(date.today().year - 1)})


@router.post("/admin/befolkning/import", response_class=HTMLResponse)
def read_file(request: Request, form: CheckedForm, actor: Admin, read_models: Reads) -> Response:
    """Read the file and show what would be recorded; nothing is written until the admin confirms."""
    f = Form({k: v for k, v in form.items() if k != "file"})
    year = f.year()
    source = f.text("source", required=False, max_length=300)
    data, filename = read_upload(form, f, MAX_FILE_BYTES,
                                 "Filen är större än 5 MB. Exportera bara kommunerna och åldrarna 0–17.")
    parsed: PopulationImport | None = None
    if f.ok and year is not None:
        try:
            parsed = parse_child_population(data, year)
        except PopulationImportError as e:
            f.errors["file"] = swedish_parse_error(e)
    values = {k: v for k, v in f.data.items() if k != "csrf_token"}
    if parsed is None or year is None:
        return render(request, "admin/population_import.html", 422, page_title="Importera befolkningsuppgifter",
                      errors=f.errors, values=values)
    if not source:
        source = (f"SCB, folkmängd 0–17 år, {year}-12-31 (fil {filename})" if parsed.format == "scb"
                  else f"kommunkod och antal barn för {year} (fil {filename})")
    members = {m["municipality"]: m for m in read_models.members()}
    rows, ignored = [], []
    for fig in parsed.figures:
        member = members.get(fig.municipality)
        if member is None:
            ignored.append(f"{fig.municipality} {fig.name or ''}".strip())
            continue
        previous = (member.get("child_population") or {}).get(year)
        if fig.children > MAX_CHILDREN:
            state = "för stort"
        elif previous == {"children": fig.children, "source": source}:
            state = "oförändrad"
        elif previous:
            state = f"ersätter {previous['children']} ({previous.get('source') or 'ingen källa'})"
        else:
            state = "ny"
        rows.append({"municipality": fig.municipality, "name": member["name"], "file_name": fig.name,
                     "children": fig.children, "state": state})
    in_file = {fig.municipality for fig in parsed.figures}
    missing = [f"{m['municipality']} {m['name']}" for m in _members_in(list(members.values()), year + 1)
               if m["municipality"] not in in_file]
    return render(request, "admin/population_preview.html", page_title="Kontrollera importen", year=year,
                  source=source, filename=filename, parsed=parsed, rows=rows, ignored=ignored, missing=missing,
                  notes=[swedish_note(n) for n in parsed.notes],
                  writable=[r for r in rows if r["state"] not in ("oförändrad", "för stort")])


@router.post("/admin/befolkning/import/spara", response_class=HTMLResponse)
def write_figures(request: Request, form: CheckedForm, actor: Admin, pool: Pool, read_models: Reads) -> Response:
    """Record each confirmed figure and report, per member, what was written and what failed."""
    f = Form(form)
    year = f.year()
    source = f.text("source", required=False, max_length=300)
    names = {m["municipality"]: m["name"] for m in read_models.members()}
    figures = [match.groups() for raw in form.getlist("figure") if (match := _FIGURE.match(str(raw)))]
    if year is None or not figures:
        return render(request, "admin/population_import.html", 422, page_title="Importera befolkningsuppgifter",
                      errors={"form": "Det fanns inget att spara. Läs in filen igen."},
                      values={"year": str(year or "")})
    results, last = [], None
    for code, count in figures:
        try:
            last = pool.record_child_population(actor, code, year, children=int(count), source=source)
            results.append({"municipality": code, "name": names.get(code, ""), "children": int(count), "ok": True,
                            "message": "Sparad"})
        except PoolError as e:
            results.append({"municipality": code, "name": names.get(code, ""), "children": int(count), "ok": False,
                            "message": swedish(e)})
    settle_if_available(request, last)
    written = sum(1 for r in results if r["ok"])
    return render(request, "admin/population_result.html", page_title="Importen är klar", year=year, source=source,
                  results=results, written=written)
