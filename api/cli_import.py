"""`familjepool import child-population|placed-children FILE --year YEAR`: a figure per member from a CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import typer
from eventsourcing.utils import get_topic

from api.cli_users import opened, operator
from api.i18n import message
from pool.application import PoolApplication
from pool.domain.member import Member
from pool.errors import PoolError
from pool.population import (
    PopulationFigure, PopulationImport, PopulationImportError, parse_child_population, parse_placed_children,
)
from pool.reference import MAX_PLACED
from pool.values import check_text

import_cli = typer.Typer(help="Import reference data from files.", no_args_is_help=True)
MAX_CHILDREN = 2_000_000  # what record_child_population accepts
PAGE = 500


@dataclass(frozen=True)
class Planned:
    figure: PopulationFigure
    member: Member
    previous: dict | None  # the figure already recorded for the year, if any
    unchanged: bool  # the same figure from the same source: nothing to write


def registered_members(app: PoolApplication) -> dict[str, Member]:
    """Every registered member, by kommunkod, read from the event store (no read model needed)."""
    topic = get_topic(Member.Joined)
    ids, start, inclusive = [], None, True
    while True:
        page = app.recorder.select_notifications(start, PAGE, topics=[topic], inclusive_of_start=inclusive)
        ids += [n.originator_id for n in page]
        if len(page) < PAGE:
            break
        start, inclusive = page[-1].id, False
    members = [app.repository.get(i) for i in dict.fromkeys(ids)]
    return {m.kommunkod: m for m in members}


def default_source(parsed: PopulationImport, file: Path, year: int, column: int) -> str:
    name = file.name[:120]
    if parsed.format == "scb":
        return f"SCB, folkmängd 0-17 år, {column}-12-31 (file {name})"
    return f"kommunkod,children CSV for {year} (file {name})"


def plan(parsed: PopulationImport, members: dict[str, Member], year: int, source: str,
         kind: str = "child_population") -> tuple[list[Planned], list[str], list[str]]:
    """What would be recorded, the regions ignored (not members), the members missing from the file.

    `kind` is the member's figures the file holds: "child_population" or "placed_children".
    """
    planned, ignored = [], []
    maximum = MAX_CHILDREN if kind == "child_population" else MAX_PLACED
    for f in parsed.figures:
        if f.children > maximum:
            raise PopulationImportError("population.too_many_children", kommunkod=f.municipality, children=f.children,
                                        maximum=maximum)
        member = members.get(f.municipality)
        if member is None:
            ignored.append(f"{f.municipality} {f.name or ''}".strip())
        else:
            previous = getattr(member, kind).get(year)
            same = previous == {"children": f.children, "source": source}
            planned.append(Planned(f, member, previous, same))
    # The figure for `year` is used by the allocation of budget year year + 1: its members need one.
    budget_year = (date(year + 1, 1, 1), date(year + 1, 12, 31))
    in_file = {f.municipality for f in parsed.figures}
    missing = [f"{m.kommunkod} {m.name}" for code, m in sorted(members.items())
               if code not in in_file and m.is_member_during(*budget_year)]
    return planned, ignored, missing


def report(parsed: PopulationImport, file: Path, year: int, planned: list[Planned], ignored: list[str],
           missing: list[str], what: str = "children 0-17") -> None:
    typer.echo(f"read {file.name}: {parsed.format} format, encoding {parsed.encoding}, {parsed.rows_read} data rows, "
               f"{len(parsed.figures)} regions")
    for note in parsed.notes:
        typer.echo(f"  {message(note)}")
    typer.echo(f"{what} for {year} (used by the allocation of budget year {year + 1}, "
               f"reference date {year}-11-01):")
    for p in planned:
        f, m = p.figure, p.member
        if p.unchanged:
            state = "unchanged"
        elif p.previous is not None:
            state = f"replaces {p.previous.get('children')} ({p.previous.get('source') or 'no source'})"
        else:
            state = "new"
        renamed = f" (named {f.name!r} in the file)" if f.name and f.name != m.name else ""
        typer.echo(f"  {m.kommunkod} {m.name:<20}{f.children:>10}  {state}{renamed}")
    if ignored:
        typer.echo(f"ignored, not members ({len(ignored)}): " + ", ".join(ignored))
    if missing:
        typer.echo(f"members in {year + 1} missing from the file ({len(missing)}): " + ", ".join(missing))


@import_cli.command("child-population")
def child_population(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                help="SCB (PxWeb) CSV of population by region and age, or kommunkod,children."),
    year: int = typer.Option(..., "--year", min=2000, max=2100,
                             help="Record the figures for this year (children on 1 Nov YEAR, used by the "
                                  "allocation of budget year YEAR+1); SCB's column of this year is read."),
    scb_year: int | None = typer.Option(None, "--scb-year", min=2000, max=2100,
                                        help="Read SCB's column of this year instead (e.g. the latest published "
                                             "31 December figure); the source says so."),
    source: str | None = typer.Option(None, "--source", help="Source recorded with each figure "
                                      "(default: SCB and the date, and the file name)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Read, check and report; write nothing."),
) -> None:
    """Record each member's children aged 0-17 from a file; refuse the whole file unless all of it is understood."""
    try:
        column = year if scb_year is None else scb_year
        parsed = parse_child_population(file.read_bytes(), column)
    except PopulationImportError as e:
        typer.echo(f"error: {file.name} refused, nothing was written: {message(e)}", err=True)
        raise typer.Exit(1) from None
    try:
        text = check_text(source if source is not None else default_source(parsed, file, year, column), "source",
                          required=False, max_length=300)
    except PoolError as e:
        typer.echo(f"error: --source: {message(e)}", err=True)
        raise typer.Exit(2) from None
    with opened() as app:
        try:
            planned, ignored, missing = plan(parsed, registered_members(app), year, text)
        except PopulationImportError as e:
            typer.echo(f"error: {file.name} refused, nothing was written: {message(e)}", err=True)
            raise typer.Exit(1) from None
        report(parsed, file, year, planned, ignored, missing)
        if not planned:
            typer.echo("error: no region in the file is a member of the pool; nothing was written", err=True)
            raise typer.Exit(1)
        if dry_run:
            typer.echo("dry run: nothing was written")
            return
        actor, written = operator(), 0
        for p in planned:
            if p.unchanged:
                continue  # re-running an import adds no events
            try:
                app.record_child_population(actor, p.member.kommunkod, year, children=p.figure.children, source=text)
            except PoolError as e:
                typer.echo(f"error: {p.member.kommunkod}: {message(e)}; {written} figures were recorded before this",
                           err=True)
                raise typer.Exit(1) from None
            written += 1
        typer.echo(f"recorded {written} figures for {year} (source: {text})")


@import_cli.command("placed-children")
def placed_children(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                help="kommunkod;antal CSV: each member's placed children 0-17 (header optional)."),
    year: int = typer.Option(..., "--year", min=2000, max=2100,
                             help="Record the figures for this year (placed on 1 Nov YEAR, used by the "
                                  "allocation of budget year YEAR+1)."),
    source: str | None = typer.Option(None, "--source", help="Source recorded with each figure "
                                      "(default: the file name)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Read, check and report; write nothing."),
) -> None:
    """Record each member's reported placed children 0-17 (all of them, not only the pool's) from a file."""
    try:
        parsed = parse_placed_children(file.read_bytes(), year)
    except PopulationImportError as e:
        typer.echo(f"error: {file.name} refused, nothing was written: {message(e)}", err=True)
        raise typer.Exit(1) from None
    try:
        text = check_text(source if source is not None else
                          f"placed children 0-17 on {year}-11-01 as reported (file {file.name[:120]})", "source",
                          required=False, max_length=300)
    except PoolError as e:
        typer.echo(f"error: --source: {message(e)}", err=True)
        raise typer.Exit(2) from None
    with opened() as app:
        try:
            planned, ignored, missing = plan(parsed, registered_members(app), year, text, "placed_children")
        except PopulationImportError as e:
            typer.echo(f"error: {file.name} refused, nothing was written: {message(e)}", err=True)
            raise typer.Exit(1) from None
        report(parsed, file, year, planned, ignored, missing, "placed children 0-17")
        if not planned:
            typer.echo("error: no region in the file is a member of the pool; nothing was written", err=True)
            raise typer.Exit(1)
        if dry_run:
            typer.echo("dry run: nothing was written")
            return
        actor, written = operator(), 0
        for p in planned:
            if p.unchanged:
                continue
            try:
                app.record_placed_children(actor, p.member.kommunkod, year, children=p.figure.children, source=text)
            except PoolError as e:
                typer.echo(f"error: {p.member.kommunkod}: {message(e)}; {written} figures were recorded before this",
                           err=True)
                raise typer.Exit(1) from None
            written += 1
        typer.echo(f"recorded {written} placed-children figures for {year} (source: {text})")
