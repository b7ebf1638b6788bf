"""`familjepool allocation YEAR --format table|csv|json`: the cost allocation, read as the API reads it."""

from __future__ import annotations

import json
from enum import StrEnum

import typer

from api.i18n import message
from api.cli_read import open_views
from api.cli_users import opened
from api.allocation_reports import Shown, allocation_csv, allocation_document, shown_allocation
from pool.errors import PoolError
from pool.allocation import AllocationError

CATCH_UP_SECONDS = 120.0


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def table(shown: Shown) -> str:
    """A fixed-width table for a terminal; every figure, where it comes from, and whether it is adopted."""
    doc = allocation_document(shown)
    a = doc["adoption"]
    status = (f"adopted {a['adopted_on']} by {a['adopted_by']}, version {a['version']} of {a['versions']}"
              + (f" ({a['reason']})" if a["reason"] else "")) if a else "preliminary (not adopted)"
    lines = [f"Cost allocation {doc['year']}: budget {doc['budget_sek']} SEK, reference date "
             f"{doc['reference_date']}; {status}",
             f"{'member':<26}{'children':>9}{'placed':>8}{'pool':>6}{'days':>5}{'share':>24}{'amount_sek':>15}"
             f"{'children part':>15}{'placement part':>15}"]
    for r in doc["members"]:
        lines.append(f"{r['municipality'] + ' ' + r['name']:<26}{r['children']:>9}{r['placed_children']:>8}"
                     f"{r['pool_placements']:>6}{r['membership_days']:>5}{r['share']:>24}{r['amount_sek']:>15}"
                     f"{r['children_part_sek']:>15}{r['placements_part_sek']:>15}")
    lines.append(f"{'total':<26}{doc['children_total']:>9}{doc['placed_children_total']:>8}"
                 f"{doc['pool_placements_total']:>6}{'':>5}{'':>24}{doc['total_sek']:>15}"
                 f"{doc['children_half_sek']:>15}{doc['placements_half_sek']:>15}")
    for r in doc["members"]:
        if r["pool_placement_ids"]:
            lines.append(f"pool placements of {r['municipality']} (check only): " + " ".join(r["pool_placement_ids"]))
        if r["population_source"]:
            lines.append(f"population figure of {r['municipality']}: {r['population_source']}")
        if r["placed_children_source"]:
            lines.append(f"placed children of {r['municipality']}: {r['placed_children_source']}")
    lines += [f"note: {n}" for n in doc["notes"]]
    changes = doc["changes_since_adoption"]
    if changes is not None:
        if not changes["computable"]:
            lines.append(f"changes since adoption: cannot recompute from today's inputs: {changes['problem']}")
        elif not changes["changed"]:
            lines.append("changes since adoption: none")
        else:
            lines.append(f"changes since adoption (today's inputs, budget {changes['budget_sek']} SEK):")
            for c in changes["members"]:
                lines.append(f"  {c['municipality'] + ' ' + c['name']:<26}{c['adopted_amount_sek'] or '-':>15} -> "
                             f"{c['current_amount_sek'] or '-':>15}{c['difference_sek']:>15}")
    return "\n".join(lines)


def allocation_command(
    year: int = typer.Argument(..., min=2000, max=2100, help="The budget year."),
    output: Format = typer.Option(Format.table, "--format", help="table, csv or json (the API's JSON)."),
    version: int | None = typer.Option(None, "--version", min=1, help="An adopted version (default: the latest)."),
) -> None:
    """Print the cost allocation of a budget year (adopted, else preliminary): shares, amounts and their inputs."""
    with opened() as app:
        read_models = open_views(app, timeout=CATCH_UP_SECONDS)
        try:
            try:
                shown = shown_allocation(app, read_models, year, version)
            except (AllocationError, PoolError) as e:
                typer.echo(f"error: {message(e)}", err=True)
                raise typer.Exit(1) from None
        finally:
            read_models.close()
    if output is Format.json:
        typer.echo(json.dumps(allocation_document(shown), ensure_ascii=False, indent=2))
    elif output is Format.csv:
        typer.echo(allocation_csv(shown), nl=False)
    else:
        typer.echo(table(shown))
