"""Steering group pages: cost allocation with invoice bases, statistics, non-executed decisions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.csv_dialects import EXCEL_SV, PLAIN, CsvDialect
from api.deps import get_read_models
from api.reports import (
    allocation_csv,
    invoice_csv,
    invoice_pdf,
    non_executed_csv,
    population_sources,
    statistics_csv,
    worded_statistics,
)
from api.web.common import render, require_roles
from api.web.figures import STATISTICS_SECTIONS, allocation_section, non_executed_table, statistics_sections
from pool.actors import Actor, Role
from pool.allocation import Allocation, AllocationError, MissingPopulationError
from pool.errors import NotFoundError, RuleViolationError
from projections.contract import ReadModels, StatisticsPeriod

router = APIRouter(include_in_schema=False)
Steering = Annotated[Actor, Depends(require_roles(Role.STEERING, Role.ADMIN))]
# Pool staff follow the statistics and the non-executed report too; the money stays with the steering group.
Oversight = Annotated[Actor, Depends(require_roles(Role.STEERING, Role.POOL_STAFF, Role.ADMIN))]
Reads = Annotated[ReadModels, Depends(get_read_models)]

# Which keys of the statistics document each section's CSV holds (period and scope always).
SECTION_KEYS = {"tillgang": ("as_of", "supply_demand"), "vantetider": ("as_of", "waiting"), "tratt": ("funnel",),
                "tid-till-placering": ("time_to_placement", "time_from_decision"),
                "placeringar": ("placements", "placements_total"), "andelar": ("shares", "shares_note"),
                "kostnad-per-placering": ("cost_per_placement",)}


def _dialect(request: Request) -> CsvDialect:
    """`?dialekt=excel`: semicolons, decimal commas and Swedish headers, for Excel with Swedish settings."""
    return EXCEL_SV if request.query_params.get("dialekt") == "excel" else PLAIN


def _csv(text: str, filename: str) -> Response:
    # The byte-order mark makes Excel on Swedish Windows read the file as UTF-8 (å, ä, ö).
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})


def _year(raw: str | None, default: int) -> tuple[int, str | None]:
    if raw is None or raw == "":
        return default, None
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw), None
    return default, "Ange ett år mellan 2000 och 2100."


def _members(read_models: ReadModels) -> list[dict[str, Any]]:
    return list(read_models.members())


def member_options(read_models: ReadModels) -> list[tuple[str, str]]:
    return [(m["municipality"], f"{m['municipality']} {m['name']}") for m in _members(read_models)]


def allocation_or_problem(read_models: ReadModels, year: int) -> tuple[Allocation | None, str | None]:
    """The allocation, or a Swedish sentence saying why there is none."""
    try:
        return read_models.allocation(year), None
    except MissingPopulationError as e:
        names = {m["municipality"]: m["name"] for m in _members(read_models)}
        who = ", ".join(f"{k} {names.get(k, '')}".strip() for k in e.municipalities)
        return None, (f"Befolkningsuppgift (barn 0–17 den 1 november {year - 1}) saknas för {who}. "
                      "En administratör registrerar den under Befolkning.")
    except NotFoundError:
        return None, f"Ingen budget är satt för {year}. Sätt budgeten under Budget."
    except (AllocationError, RuleViolationError):
        return None, (f"Kostnadsfördelningen för {year} kan inte beräknas: kontrollera medlemmar, "
                      "befolkningsuppgifter och budget.")


@router.get("/styrgrupp/kostnadsfordelning", response_class=HTMLResponse)
def allocation_page(request: Request, actor: Steering, read_models: Reads) -> Response:
    budgets = [b["year"] for b in read_models.budgets()]
    this_year = date.today().year
    default = this_year if this_year in budgets or not budgets else max(budgets)
    year, error = _year(request.query_params.get("ar"), default)
    allocation, problem = allocation_or_problem(read_models, year) if not error else (None, None)
    sources = population_sources(_members(read_models), year) if allocation else {}
    return render(request, "steering/allocation.html", 422 if error else 200, page_title=f"Kostnadsfördelning {year}",
                  year=year, budgets=budgets, allocation=allocation, problem=problem, sources=sources,
                  section=allocation_section(allocation) if allocation else None,
                  errors={"ar": error} if error else {}, values={"ar": request.query_params.get("ar", year)})


def _allocation_for_download(request: Request, read_models: ReadModels, year: int) -> Allocation | Response:
    allocation, problem = allocation_or_problem(read_models, year)
    if allocation is None:
        from api.web import error_page  # the package imports this module

        return error_page(request, 409, problem)
    return allocation


@router.get("/styrgrupp/kostnadsfordelning/{year}.csv")
def allocation_download(year: int, request: Request, actor: Steering, read_models: Reads) -> Response:
    allocation = _allocation_for_download(request, read_models, year)
    if isinstance(allocation, Response):
        return allocation
    return _csv(allocation_csv(allocation, population_sources(_members(read_models), year), _dialect(request)),
                f"kostnadsfordelning-{year}.csv")


@router.get("/styrgrupp/kostnadsfordelning/{year}/underlag/{kommunkod}.{fmt}")
def invoice_download(year: int, kommunkod: str, fmt: str, request: Request, actor: Steering,
                     read_models: Reads) -> Response:
    if fmt not in ("pdf", "csv") or not (kommunkod.isdigit() and len(kommunkod) == 4):
        raise NotFoundError("invoice.not_found")
    allocation = _allocation_for_download(request, read_models, year)
    if isinstance(allocation, Response):
        return allocation
    source = population_sources(_members(read_models), year).get(kommunkod)
    filename = f"fakturaunderlag-{year}-{kommunkod}.{fmt}"
    if fmt == "csv":
        return _csv(invoice_csv(allocation, kommunkod, source, _dialect(request)), filename)
    return Response(invoice_pdf(allocation, kommunkod, source), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def _period(request: Request) -> tuple[StatisticsPeriod, str | None, dict[str, str]]:
    """The period and member the query asks for, and Swedish errors by field (defaults on error)."""
    q = request.query_params
    today = date.today()
    errors: dict[str, str] = {}
    parsed: dict[str, date] = {}
    for name, default in (("fran", date(today.year, 1, 1)), ("till", date(today.year, 12, 31))):
        raw = q.get(name, "")
        try:
            parsed[name] = date.fromisoformat(raw) if raw else default
        except ValueError:
            errors[name] = "Ange ett datum som ÅÅÅÅ-MM-DD."
            parsed[name] = default
    if not errors and parsed["fran"] > parsed["till"]:
        errors["till"] = "Slutdatumet måste vara samma dag som eller efter startdatumet."
    if not errors and (parsed["till"] - parsed["fran"]).days > 366 * 10:
        errors["till"] = "Välj en period på högst tio år."
    if errors:
        parsed = {"fran": date(today.year, 1, 1), "till": date(today.year, 12, 31)}
    municipality = q.get("kommun") or None
    return StatisticsPeriod(parsed["fran"], parsed["till"]), municipality, errors


def _scope(read_models: ReadModels, municipality: str | None, errors: dict[str, str]) -> str | None:
    if municipality and municipality not in {m["municipality"] for m in _members(read_models)}:
        errors["kommun"] = "Välj en medlemskommun eller hela poolen."
        return None
    return municipality


@router.get("/styrgrupp/statistik", response_class=HTMLResponse)
def statistics_page(request: Request, actor: Oversight, read_models: Reads) -> Response:
    period, municipality, errors = _period(request)
    municipality = _scope(read_models, municipality, errors)
    stats = read_models.statistics(period, municipality)
    query = f"fran={period.start}&till={period.end}" + (f"&kommun={municipality}" if municipality else "")
    values = {"fran": request.query_params.get("fran", str(period.start)),
              "till": request.query_params.get("till", str(period.end)), "kommun": municipality or ""}
    return render(request, "steering/statistics.html", 422 if errors else 200, page_title="Statistik",
                  period=period, sections=statistics_sections(stats), member_options=member_options(read_models),
                  municipality=municipality, query=query, errors=errors, values=values)


@router.get("/styrgrupp/statistik.csv")
def statistics_download(request: Request, actor: Oversight, read_models: Reads) -> Response:
    period, municipality, errors = _period(request)
    municipality = _scope(read_models, municipality, errors)
    stats = worded_statistics(read_models.statistics(period, municipality), "sv")
    part = request.query_params.get("del")
    name = f"statistik-{period.start}-{period.end}"
    if part:
        if part not in STATISTICS_SECTIONS:
            raise NotFoundError("statistics.part_not_found")
        stats = {k: v for k, v in stats.items() if k in ("period", "municipality", *SECTION_KEYS[part])}
        name += f"-{part}"
    return _csv(statistics_csv(stats, _dialect(request)), f"{name}.csv")


def _last_ended_quarter(today: date) -> tuple[int, int]:
    first_of_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last = first_of_quarter - timedelta(days=1)
    return last.year, (last.month - 1) // 3 + 1


def _quarter_query(request: Request, read_models: ReadModels) -> tuple[int, int, str | None, dict[str, str]]:
    q = request.query_params
    default_year, default_quarter = _last_ended_quarter(date.today())
    errors: dict[str, str] = {}
    year, error = _year(q.get("ar"), default_year)
    if error:
        errors["ar"] = error
    raw = q.get("kvartal", "")
    quarter = default_quarter
    if raw:
        if raw in ("1", "2", "3", "4"):
            quarter = int(raw)
        else:
            errors["kvartal"] = "Välj kvartal 1–4."
    municipality = _scope(read_models, q.get("kommun") or None, errors)
    return year, quarter, municipality, errors


@router.get("/styrgrupp/ej-verkstallda", response_class=HTMLResponse)
def non_executed_page(request: Request, actor: Oversight, read_models: Reads) -> Response:
    year, quarter, municipality, errors = _quarter_query(request, read_models)
    report = read_models.non_executed(year, quarter, municipality)
    query = f"ar={year}&kvartal={quarter}" + (f"&kommun={municipality}" if municipality else "")
    tables = [non_executed_table(report["items"], year, quarter),
              non_executed_table(report["executed"], year, quarter, executed=True,
                                 caption=f"Rapporterade tidigare och verkställda under kvartal {quarter} {year}"),
              non_executed_table(report["not_reportable"], year, quarter,
                                 caption="LVU-beslut som inte verkställts (rapporteras inte till IVO)")]
    return render(request, "steering/non_executed.html", 422 if errors else 200,
                  page_title="Ej verkställda beslut", year=year, quarter=quarter, quarter_end=report["quarter_end"],
                  tables=tables, report=report, member_options=member_options(read_models),
                  municipality=municipality, query=query, errors=errors,
                  values={"ar": request.query_params.get("ar") or year, "kvartal": str(quarter),
                          "kommun": municipality or ""})


@router.get("/styrgrupp/ej-verkstallda.csv")
def non_executed_download(request: Request, actor: Oversight, read_models: Reads) -> Response:
    year, quarter, municipality, _ = _quarter_query(request, read_models)
    suffix = f"-{municipality}" if municipality else ""
    return _csv(non_executed_csv(read_models.non_executed(year, quarter, municipality), _dialect(request)),
                f"ej-verkstallda-{year}-k{quarter}{suffix}.csv")
