"""Steering group pages: cost allocation with invoice bases, statistics, non-executed decisions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.as_of import as_of_day
from api.csv_dialects import EXCEL_SV, PLAIN, CsvDialect
from api.allocation_reports import Shown, input_sources, shown_allocation
from api.deps import get_pool, get_read_models
from api.reports import allocation_csv, invoice_csv, invoice_pdf, non_executed_csv, statistics_csv, worded_statistics
from api.web.as_of import past_choice
from api.web.common import CheckedForm, done, render, require_roles
from api.web.figures import (
    STATISTICS_SECTIONS, allocation_section, changes_table, non_executed_table, statistics_sections,
)
from api.web.figures_series import SERIES_KEYS, SERIES_SECTIONS, with_series
from api.web.messages import swedish
from pool.actors import Actor, Role
from pool.adoption import allocation_changes
from pool.allocation import AllocationError, MissingPlacedChildrenError, MissingPopulationError
from pool.application import PoolApplication
from pool.errors import CodedError, InvalidInputError, NotFoundError, RuleViolationError
from projections.contract import ReadModels, StatisticsPeriod

router = APIRouter(include_in_schema=False)
Steering = Annotated[Actor, Depends(require_roles(Role.STEERING, Role.ADMIN))]
# Pool staff follow the statistics and the non-executed report too; the money stays with the steering group.
Oversight = Annotated[Actor, Depends(require_roles(Role.STEERING, Role.POOL_STAFF, Role.ADMIN))]
Reads = Annotated[ReadModels, Depends(get_read_models)]
Pool = Annotated[PoolApplication, Depends(get_pool)]
# Only the steering group adopts an allocation (the administrator sees it but does not decide it).
Adopter = Annotated[Actor, Depends(require_roles(Role.STEERING))]

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


def problem_text(read_models: ReadModels, year: int, e: Exception) -> str:
    """A Swedish sentence saying why there is no allocation of `year`."""
    if isinstance(e, MissingPopulationError | MissingPlacedChildrenError):
        names = {m["municipality"]: m["name"] for m in _members(read_models)}
        who = ", ".join(f"{k} {names.get(k, '')}".strip() for k in e.municipalities)
        if isinstance(e, MissingPopulationError):
            return (f"Befolkningsuppgift (barn 0–17 den 1 november {year - 1}) saknas för {who}. "
                    "En administratör registrerar den under Befolkning.")
        return (f"Antalet placerade barn 0–17 den 1 november {year - 1} (kommunens egen uppgift) saknas för {who}. "
                "Registrera det under Placerade barn.")
    if isinstance(e, NotFoundError) and e.code == "budget.not_set":
        return f"Ingen budget är satt för {year}. Sätt budgeten under Budget."
    if isinstance(e, NotFoundError):
        return swedish(e)
    return (f"Kostnadsfördelningen för {year} kan inte beräknas: kontrollera medlemmar, "
            "befolkningsuppgifter, placerade barn och budget.")


def shown_or_problem(pool: PoolApplication, read_models: ReadModels, year: int,
                     version: int | None = None) -> tuple[Shown | None, str | None]:
    """The adopted (or preliminary) allocation, or a Swedish sentence saying why there is none."""
    try:
        return shown_allocation(pool, read_models, year, version), None
    except (AllocationError, NotFoundError, RuleViolationError) as e:
        return None, problem_text(read_models, year, e)


def _version(request: Request) -> int | None:
    raw = request.query_params.get("version", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else None


def _allocation_page(request: Request, read_models: ReadModels, pool: PoolApplication, year: int, actor: Actor,
                     status: int = 200, error: str | None = None, **ctx: Any) -> Response:
    budgets = [b["year"] for b in read_models.budgets()]
    version = _version(request)
    shown, problem = shown_or_problem(pool, read_models, year, version) if not error else (None, None)
    changes = None
    if shown is not None and shown.adoption is not None and shown.current is not None:
        changes = allocation_changes(shown.allocation, shown.current)
    current_problem = (problem_text(read_models, year, shown.current_problem)
                       if shown is not None and shown.current_problem is not None else None)
    q = f"?version={shown.adoption.version}" if shown and shown.adoption and version else ""
    ctx["can_adopt"] = actor.role is Role.STEERING  # the steering group adopts; the administrator only looks
    return render(request, "steering/allocation.html", 422 if error else status,
                  page_title=f"Kostnadsfördelning {year}", year=year, budgets=budgets, shown=shown,
                  allocation=shown.allocation if shown else None, problem=problem, sources=shown.sources if shown else {},
                  section=allocation_section(shown.allocation) if shown else None,
                  changes=changes, changed=bool(changes) and any(r["changed"] for r in changes),
                  changes_table=changes_table(changes, year) if changes else None, current_problem=current_problem,
                  download_query=q,
                  errors={"ar": error} if error else ctx.pop("errors", {}),
                  values={"ar": request.query_params.get("ar", year)}, **ctx)


@router.get("/styrgrupp/kostnadsfordelning", response_class=HTMLResponse)
def allocation_page(request: Request, actor: Steering, read_models: Reads, pool: Pool) -> Response:
    budgets = [b["year"] for b in read_models.budgets()]
    this_year = date.today().year
    default = this_year if this_year in budgets or not budgets else max(budgets)
    year, error = _year(request.query_params.get("ar"), default)
    return _allocation_page(request, read_models, pool, year, actor, error=error)


@router.post("/styrgrupp/kostnadsfordelning/{year}/faststall", response_class=HTMLResponse)
def adopt(year: int, request: Request, form: CheckedForm, actor: Adopter, read_models: Reads,
          pool: Pool) -> Response:
    """Adopt the allocation from today's inputs; again is a new version and needs a reason."""
    reason = str(form.get("reason") or "").strip() or None
    read_models.wait_for(pool.recorder.max_notification_id(), timeout=5.0)
    try:
        allocation = read_models.allocation(year)
        saved = pool.adopt_allocation(actor, year, allocation=allocation,
                                      sources=input_sources(read_models.members(), year), reason=reason)
    except CodedError as e:
        status = 422 if isinstance(e, InvalidInputError) else 409
        message = problem_text(read_models, year, e) if isinstance(e, AllocationError | NotFoundError) else swedish(e)
        return _allocation_page(request, read_models, pool, year, actor, status, errors={"reason": message},
                                reason_value=reason or "")
    version = pool.adopted_allocation(year).version  # type: ignore[union-attr]
    return done(request, saved, f"/styrgrupp/kostnadsfordelning?ar={year}",
                f"Kostnadsfördelningen för {year} är fastställd (version {version}).")


def _shown_for_download(request: Request, pool: PoolApplication, read_models: ReadModels,
                        year: int) -> Shown | Response:
    shown, problem = shown_or_problem(pool, read_models, year, _version(request))
    if shown is None:
        from api.web import error_page  # the package imports this module

        return error_page(request, 409, problem)
    return shown


@router.get("/styrgrupp/kostnadsfordelning/{year}.csv")
def allocation_download(year: int, request: Request, actor: Steering, read_models: Reads, pool: Pool) -> Response:
    shown = _shown_for_download(request, pool, read_models, year)
    if isinstance(shown, Response):
        return shown
    return _csv(allocation_csv(shown, dialect=_dialect(request)), f"kostnadsfordelning-{year}.csv")


@router.get("/styrgrupp/kostnadsfordelning/{year}/underlag/{kommunkod}.{fmt}")
def invoice_download(year: int, kommunkod: str, fmt: str, request: Request, actor: Steering,
                     read_models: Reads, pool: Pool) -> Response:
    if fmt not in ("pdf", "csv") or not (kommunkod.isdigit() and len(kommunkod) == 4):
        raise NotFoundError("invoice.not_found")
    shown = _shown_for_download(request, pool, read_models, year)
    if isinstance(shown, Response):
        return shown
    filename = f"fakturaunderlag-{year}-{kommunkod}.{fmt}"
    if fmt == "csv":
        return _csv(invoice_csv(shown, kommunkod, _dialect(request)), filename)
    return Response(invoice_pdf(shown, kommunkod), media_type="application/pdf",
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
    past = past_choice(request)
    stats = read_models.at(past.moment).statistics(  # type: ignore[call-arg]
        period, municipality, **({"today": as_of_day(past.moment)} if past.moment else {}))
    query = f"fran={period.start}&till={period.end}" + (f"&kommun={municipality}" if municipality else "")
    values = {"fran": request.query_params.get("fran", str(period.start)),
              "till": request.query_params.get("till", str(period.end)), "kommun": municipality or ""}
    return render(request, "steering/statistics.html", 422 if errors else 200, page_title="Statistik",
                  period=period, sections=with_series(statistics_sections(stats), stats),
                  member_options=member_options(read_models),
                  municipality=municipality, query=query, errors=errors, values=values, as_of=past)


@router.get("/styrgrupp/statistik.csv")
def statistics_download(request: Request, actor: Oversight, read_models: Reads) -> Response:
    period, municipality, errors = _period(request)
    municipality = _scope(read_models, municipality, errors)
    stats = worded_statistics(read_models.statistics(period, municipality), "sv")
    part = request.query_params.get("del")
    name = f"statistik-{period.start}-{period.end}"
    if part:
        if part not in STATISTICS_SECTIONS and part not in SERIES_SECTIONS:
            raise NotFoundError("statistics.part_not_found")
        keys = SECTION_KEYS.get(part) or SERIES_KEYS[part]
        stats = {k: v for k, v in stats.items() if k in ("period", "municipality", *keys)}
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
