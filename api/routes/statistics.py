"""Statistics for the steering group and the non-executed decisions report (docs/statistics.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from api import i18n
from api.as_of import AsOf, as_of_day, stated
from api.csv_dialects import DIALECTS, DialectName
from api.deps import ReadModelsDep, municipality_scope, roles
from api.errors import PROBLEMS
from api.reports import demand_supply_csv, non_executed_csv, statistics_csv, worded_statistics
from api.routes.downloads import CSV_CONTENT, DialectQuery, TableFormat, csv_download, negotiated, wants_csv
from api.schemas.common import Kommunkod, Year
from api.schemas.statistics import DemandSupplyPublic, NonExecutedPublic, StatisticsPublic
from pool.actors import Actor, Role
from pool.errors import InvalidInputError
from projections.contract import StatisticsPeriod

router = APIRouter(tags=["statistics"], responses=PROBLEMS)
Oversight = Annotated[Actor, Depends(roles(Role.STEERING, Role.ADMIN, Role.POOL_STAFF))]
ReportReader = Annotated[Actor, Depends(roles(Role.STEERING, Role.ADMIN, Role.POOL_STAFF, Role.MUNICIPALITY))]
FIRST, LAST = date(2000, 1, 1), date(2100, 12, 31)  # the years budgets and figures may have


FormatQuery = Annotated[TableFormat | None, Query(description="json (default) or csv; or send Accept: text/csv")]


def period_of(start: date | None, end: date | None, today: date | None = None) -> StatisticsPeriod:
    """Default: the current calendar year; one bound given: the rest of that bound's year."""
    today = today or date.today()
    if start is None and end is None:
        return StatisticsPeriod.year(today.year)
    start = start or date(end.year, 1, 1)  # type: ignore[union-attr]
    end = end or date(start.year, 12, 31)
    for name, value in (("start", start), ("end", end)):
        if not FIRST <= value <= LAST:
            raise InvalidInputError("statistics.date_out_of_range", field=name, first=FIRST, last=LAST)
    if start > end:
        raise InvalidInputError("statistics.start_after_end", field="start")
    return StatisticsPeriod(start, end)


def last_ended_quarter(today: date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3  # the quarter before the current one; 0 means Q4 of last year
    return (today.year, quarter) if quarter else (today.year - 1, 4)


@router.get("/statistics", response_model=StatisticsPublic, responses={
    200: {"description": "The statistics; `?format=csv` flattens them to section,item,key,value rows",
          "content": CSV_CONTENT}})
def statistics(actor: Oversight, read_models: ReadModelsDep, request: Request, response: Response,
               start: Annotated[date | None, Query(description="first day (default: 1 January of end's year, or of this year)",
                                                   examples=["2026-01-01"])] = None,
               end: Annotated[date | None, Query(description="last day, inclusive (default: 31 December of start's year, or of this year)",
                                                 examples=["2026-12-31"])] = None,
               municipality: Annotated[Kommunkod | None, Query(description="one member's figures only")] = None,
               format: FormatQuery = None,
               dialect: DialectQuery = DialectName.plain, as_of: AsOf = None) -> Any:
    """What the pool delivers in a period: supply and demand, waiting, funnel, placements, shares; no personal data.
    With `as_of`: only what was recorded until then, counted on that day at the latest."""
    period = period_of(start, end)
    if municipality is not None and municipality not in {m["municipality"] for m in read_models.members()}:
        raise InvalidInputError("member.unknown", field="municipality", kommunkod=municipality)
    lang = i18n.negotiate(request.headers.get("accept-language"))
    figures = read_models.at(as_of).statistics(period, municipality, **({"today": as_of_day(as_of)} if as_of else {}))
    # Said only when asked (the CSV of today's statistics keeps its rows).
    stats = worded_statistics({**figures, **({"recorded_until": stated(as_of)} if as_of else {})}, lang)
    if wants_csv(request, format, "application/json"):
        return csv_download(statistics_csv(stats, DIALECTS[dialect]), dialect,
                            f"statistics-{period.start}-{period.end}.csv")
    negotiated(response)
    return stats


@router.get("/statistics/demand-supply", response_model=DemandSupplyPublic, responses={
    200: {"description": "Month by month; `?format=csv` gives one row per month, kind and age band",
          "content": CSV_CONTENT}})
def demand_supply(actor: Oversight, read_models: ReadModelsDep, request: Request, response: Response,
                  months: Annotated[int, Query(ge=1, le=60, description="how many months back, this one included")] = 24,
                  municipality: Annotated[Kommunkod | None, Query(description="one member's demand only")] = None,
                  format: FormatQuery = None, dialect: DialectQuery = DialectName.plain) -> Any:
    """Behov och tillgång: open referrals against published families with a free place and the applicants in
    investigation, by kind and age band, at each month's end."""
    report = read_models.demand_and_supply(months, municipality)
    if wants_csv(request, format, "application/json"):
        return csv_download(demand_supply_csv(report, DIALECTS[dialect]), dialect, "demand-supply.csv")
    negotiated(response)
    return report


@router.get("/reports/non-executed", response_model=NonExecutedPublic, responses={
    200: {"description": "Rows by member, kind and legal basis; `?format=csv` gives them as CSV",
          "content": CSV_CONTENT}})
def non_executed(actor: ReportReader, read_models: ReadModelsDep, request: Request, response: Response,
                 year: Annotated[Year | None, Query(description="with quarter; both left out: the last ended quarter")] = None,
                 quarter: Annotated[int | None, Query(ge=1, le=4, description="1-4, with year",
                                                      examples=[3])] = None,
                 format: FormatQuery = None,
               dialect: DialectQuery = DialectName.plain) -> Any:
    """Decisions not executed within three months, by the quarter's end (IVO's tables); a municipality sees its own."""
    if (year is None) != (quarter is None):
        raise InvalidInputError("statistics.year_and_quarter", field="quarter" if quarter is None else "year")
    if year is None or quarter is None:
        year, quarter = last_ended_quarter(date.today())
    report = read_models.non_executed(year, quarter, municipality_scope(actor))
    if wants_csv(request, format, "application/json"):
        return csv_download(non_executed_csv(report, DIALECTS[dialect]), dialect,
                            f"non-executed-{year}-Q{quarter}.csv")
    negotiated(response)
    return {**report, "total": len(report["items"])}
