"""Behov och tillgång: where the pool lacks families, month by month, for steering and pool staff."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_read_models
from api.formatting import sv_number
from api.reports import demand_supply_csv
from api.web.charts import grouped_bars, series
from api.web.common import render, require_roles
from api.web.figures import Table
from api.web.messages import KINDS
from api.web.steering import _csv, _dialect, _scope, member_options
from pool.actors import Actor, Role
from pool.values import Kind
from projections.contract import ReadModels

router = APIRouter(include_in_schema=False)
Oversight = Annotated[Actor, Depends(require_roles(Role.STEERING, Role.POOL_STAFF, Role.ADMIN))]
Reads = Annotated[ReadModels, Depends(get_read_models)]
MONTHS = 24


def gap_sentence(row: dict[str, Any]) -> str:
    """"12 förfrågningar om familjehem 13-17 år, 0 lediga familjer, 2 under utredning"."""
    asked = "förfrågan" if row["demand"] == 1 else "förfrågningar"
    free = "ledig familj" if row["supply"] == 1 else "lediga familjer"
    return (f"{sv_number(row['demand'])} {asked} om {KINDS.get(row['kind'], row['kind']).lower()} {row['age_band']} år, "
            f"{sv_number(row['supply'])} {free}, {sv_number(row['pipeline'])} under utredning")


def month_sums(report: dict[str, Any], kind: str) -> list[tuple[str, list[int]]]:
    """(month, [demand, supply, pipeline]) of one kind, all age bands summed."""
    return [(m["month"], [sum(r[c] for r in m["rows"] if r["kind"] == kind) for c in ("demand", "supply", "pipeline")])
            for m in report["months"]]


def month_table(sums: list[tuple[str, list[int]]], kind: str) -> Table:
    return Table(f"{KINDS.get(kind, kind)}, alla åldrar, vid varje månads slut",
                 ["Månad", "Förfrågningar", "Lediga familjer", "Under utredning"],
                 [[month, *[sv_number(v) for v in values]] for month, values in sums], [False, True, True, True])


def latest_table(report: dict[str, Any]) -> Table:
    latest = report["months"][-1]
    rows = [[f"{KINDS.get(r['kind'], r['kind'])} {r['age_band']}", sv_number(r["demand"]), sv_number(r["supply"]),
             sv_number(r["pipeline"])] for r in latest["rows"]]
    return Table(f"Läget {latest['on']}", ["Insats och ålder", "Förfrågningar", "Lediga familjer",
                                            "Under utredning"], rows, [False, True, True, True])


@router.get("/styrgrupp/behov", response_class=HTMLResponse)
def demand_page(request: Request, actor: Oversight, read_models: Reads) -> Response:
    errors: dict[str, str] = {}
    municipality = _scope(read_models, request.query_params.get("kommun") or None, errors)
    kind = request.query_params.get("insats") or Kind.FAMILJEHEM.value
    if kind not in {k.value for k in Kind}:
        errors["insats"], kind = "Välj en insatstyp i listan.", Kind.FAMILJEHEM.value
    report = read_models.demand_and_supply(MONTHS, municipality)
    sums = month_sums(report, kind)
    table = month_table(sums, kind)
    chart = grouped_bars("chart-demand", "Förfrågningar, lediga familjer och familjer under utredning",
                         f"Liggande staplar per månad för {KINDS.get(kind, kind).lower()}: antal förfrågningar, lediga "
                         "familjer och sökande under utredning vid månadens slut. Samma siffror finns i tabellen.",
                         [month for month, _ in sums], series("Förfrågningar", "Lediga familjer", "Under utredning"),
                         [values for _, values in sums])
    query = f"insats={kind}" + (f"&kommun={municipality}" if municipality else "")
    return render(request, "steering/demand.html", 422 if errors else 200, page_title="Behov och tillgång",
                  gaps=[gap_sentence(g) for g in report["gaps"]], chart=chart, table=table,
                  latest=latest_table(report), member_options=member_options(read_models),
                  kinds=[(k.value, KINDS.get(k.value, k.value)) for k in Kind], kind=kind,
                  municipality=municipality, query=query, errors=errors,
                  values={"insats": kind, "kommun": municipality or ""})


@router.get("/styrgrupp/behov.csv")
def demand_download(request: Request, actor: Oversight, read_models: Reads) -> Response:
    errors: dict[str, str] = {}
    municipality = _scope(read_models, request.query_params.get("kommun") or None, errors)
    report = read_models.demand_and_supply(MONTHS, municipality)
    return _csv(demand_supply_csv(report, _dialect(request)), "behov-och-tillgang.csv")
