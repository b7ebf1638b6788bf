"""`familjepool allocation YEAR --format table|csv|json`: the cost allocation, read as the API reads it."""

from __future__ import annotations

import json
from enum import StrEnum

import typer

from api.i18n import message
from api.cli_read import open_views
from api.cli_users import opened
from api.reports import allocation_csv, allocation_document, population_sources
from pool.allocation import Allocation, AllocationError

CATCH_UP_SECONDS = 120.0


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def table(allocation: Allocation, sources: dict[str, str]) -> str:
    """A fixed-width table for a terminal; every figure and where it comes from."""
    doc = allocation_document(allocation, sources)
    lines = [f"Cost allocation {doc['year']}: budget {doc['budget_sek']} SEK, reference date "
             f"{doc['reference_date']}",
             f"{'member':<26}{'children':>9}{'placed':>8} {'from':<9}{'days':>5}{'share':>24}{'amount_sek':>15}"]
    for r in doc["members"]:
        lines.append(f"{r['municipality'] + ' ' + r['name']:<26}{r['children']:>9}{r['placed_children']:>8} "
                     f"{r['placed_source']:<9}{r['membership_days']:>5}{r['share']:>24}{r['amount_sek']:>15}")
    lines.append(f"{'total':<26}{doc['children_total']:>9}{doc['placed_children_total']:>8} {'':<9}{'':>5}"
                 f"{'':>24}{doc['total_sek']:>15}")
    for r in doc["members"]:
        if r["placement_ids"]:
            lines.append(f"placements counted for {r['municipality']}: " + " ".join(r["placement_ids"]))
        if r["population_source"]:
            lines.append(f"population figure of {r['municipality']}: {r['population_source']}")
    lines += [f"note: {n}" for n in doc["notes"]]
    return "\n".join(lines)


def allocation_command(
    year: int = typer.Argument(..., min=2000, max=2100, help="The budget year."),
    output: Format = typer.Option(Format.table, "--format", help="table, csv or json (the API's JSON)."),
) -> None:
    """Print the cost allocation of a budget year: each member's share, amount and the inputs behind them."""
    with opened() as app:
        read_models = open_views(app, timeout=CATCH_UP_SECONDS)
        try:
            try:
                allocation = read_models.allocation(year)
            except AllocationError as e:
                typer.echo(f"error: {message(e)}", err=True)
                raise typer.Exit(1) from None
            sources = population_sources(read_models.members(), year)
        finally:
            read_models.close()
    if output is Format.json:
        typer.echo(json.dumps(allocation_document(allocation, sources), ensure_ascii=False, indent=2))
    elif output is Format.csv:
        typer.echo(allocation_csv(allocation, sources), nl=False)
    else:
        typer.echo(table(allocation, sources))
