"""Renderers of the cost allocation and the invoice bases: adopted or preliminary, with changes since adoption."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from api import i18n
from api.csv_dialects import PLAIN, CsvDialect, write_csv
from pool.adoption import AdoptedVersion, allocation_changes
from pool.allocation import Allocation, MemberAllocation
from pool.errors import CodedError, Note, NotFoundError

ALLOCATION_COLUMNS = ("municipality", "name", "children", "population_source", "placed_children",
                      "placed_children_source", "pool_placements", "pool_placement_ids", "pool_share",
                      "children_share", "placements_share", "key_share", "membership_days", "pro_rata", "share",
                      "amount_sek", "children_part_sek", "placements_part_sek", "status", "version", "adopted_on")
FORMULA = ("children_share = c / C; placements_share = p / P (= c / C when P = 0); "
           "key_share = 0.5 x children_share + 0.5 x placements_share; "
           "share = key_share, pro rata by days of membership; "
           "amount = budget x share, rounded to öre by largest remainder (the amounts sum to the budget); "
           "p = the member's reported placed children 0-17 (all of them, not only the pool's)")
Sources = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Shown:
    """The allocation an output shows: the adopted version if any (else preliminary), and today's recomputation."""

    allocation: Allocation
    sources: Sources = field(default_factory=dict)  # kommunkod -> {"population": …, "placed_children": …}
    adoption: AdoptedVersion | None = None
    current: Allocation | None = None  # from today's inputs, when adopted
    current_problem: CodedError | None = None  # why today's inputs give no allocation

    @property
    def status(self) -> str:
        return "adopted" if self.adoption else "preliminary"


def input_sources(members: Iterable[Mapping[str, Any]], year: int) -> dict[str, dict[str, str]]:
    """kommunkod -> the sources of the figures the allocation of `year` uses (1 November year-1)."""
    out = {}
    for m in members:
        found = {}
        for key, figures in (("population", m.get("child_population")), ("placed_children", m.get("placed_children"))):
            figures = figures or {}
            figure = figures.get(year - 1) or figures.get(str(year - 1)) or {}
            found[key] = figure.get("source") or ""
        out[m["municipality"]] = found
    return out


def shown_allocation(pool: Any, read_models: Any, year: int, version: int | None = None) -> Shown:
    """The adopted allocation of `year` (latest or `version`) with today's recomputation, else the preliminary one.

    Before adoption the refusals of the computation (no budget, a missing figure) are raised; after
    it they only explain why there is no "changes since adoption".
    """
    adopted = pool.adopted_allocation(year, version)
    if adopted is None:
        return Shown(read_models.allocation(year), input_sources(read_models.members(), year))
    try:
        current, problem = read_models.allocation(year), None
    except CodedError as e:
        current, problem = None, e
    return Shown(adopted.allocation, adopted.sources, adopted, current, problem)


def money(value: Decimal) -> str:
    """SEK with öre as text: "1234.50"."""
    return f"{Decimal(value):.2f}"


def fraction(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"  # never "0E-20": plain decimals


def days_in_year(allocation: Allocation) -> int:
    return (date(allocation.year + 1, 1, 1) - date(allocation.year, 1, 1)).days


def _source(sources: Sources | None, kommunkod: str, key: str) -> str | None:
    return ((sources or {}).get(kommunkod) or {}).get(key) or None


def allocation_rows(allocation: Allocation, sources: Sources | None = None) -> list[dict[str, Any]]:
    """The JSON member rows, with the inputs every figure comes from; money as "0.00" strings."""
    return [{
        "municipality": m.municipality, "name": m.name,
        "children": m.children, "population_source": _source(sources, m.municipality, "population"),
        "placed_children": m.placed_children,
        "placed_children_source": _source(sources, m.municipality, "placed_children"),
        "pool_placements": m.pool_placements, "pool_placement_ids": list(m.pool_placement_ids),
        "pool_share": fraction(m.pool_share),
        "children_share": fraction(m.children_share), "placements_share": fraction(m.placements_share),
        "key_share": fraction(m.key_share), "membership_days": m.membership_days,
        "pro_rata": fraction(m.pro_rata), "share": fraction(m.share), "amount_sek": money(m.amount_sek),
        "children_part_sek": money(m.children_part_sek), "placements_part_sek": money(m.placements_part_sek),
    } for m in allocation.members]


def adoption_document(shown: Shown) -> dict[str, Any] | None:
    a = shown.adoption
    if a is None:
        return None
    return {"version": a.version, "versions": a.versions, "adopted_on": a.adopted_on.isoformat(),
            "adopted_by": a.adopted_by, "reason": a.reason}


def changes_document(shown: Shown, lang: str = "en") -> dict[str, Any] | None:
    """The allocation from today's inputs against the adopted one, per member (None before adoption)."""
    if shown.adoption is None:
        return None
    if shown.current is None:
        return {"computable": False, "problem": i18n.message(shown.current_problem, lang)
                if shown.current_problem else None, "changed": None, "budget_sek": None, "members": []}
    rows = allocation_changes(shown.allocation, shown.current)
    return {"computable": True, "problem": None, "changed": any(r["changed"] for r in rows),
            "budget_sek": money(shown.current.budget_sek),
            "members": [{**r, **{k: money(r[k]) if r[k] is not None else None
                                 for k in ("adopted_amount_sek", "current_amount_sek", "difference_sek")}}
                        for r in rows]}


def allocation_document(shown: Shown | Allocation, sources: Sources | None = None) -> dict[str, Any]:
    """The whole allocation as `GET /api/allocations/{year}` answers it (also `--format json`)."""
    if isinstance(shown, Allocation):
        shown = Shown(shown, sources or {})
    a = shown.allocation
    return {
        "year": a.year, "status": shown.status, "adoption": adoption_document(shown),
        "budget_sek": money(a.budget_sek),
        "reference_date": a.reference_date.isoformat(), "days_in_year": days_in_year(a),
        "children_total": sum(m.children for m in a.members),
        "placed_children_total": sum(m.placed_children for m in a.members),
        "pool_placements_total": sum(m.pool_placements for m in a.members),
        "placement_key_fallback": a.placement_key_fallback,
        "members": allocation_rows(a, shown.sources),
        "total_sek": money(a.total_sek), "children_half_sek": money(a.children_half_sek),
        "placements_half_sek": money(a.placements_half_sek),
        "notes": [i18n.message(n, "en") for n in a.notes],
        "changes_since_adoption": changes_document(shown),
    }


def _marks(shown: Shown) -> list[Any]:
    a = shown.adoption
    return [shown.status, a.version if a else "", a.adopted_on.isoformat() if a else ""]


def allocation_csv(shown: Shown | Allocation, sources: Sources | None = None, dialect: CsvDialect = PLAIN) -> str:
    """One row per member and a final `total` row; ids separated by spaces; status, version, adopted_on on each."""
    if isinstance(shown, Allocation):
        shown = Shown(shown, sources or {})
    a, rows = shown.allocation, []
    for r in allocation_rows(a, shown.sources):
        r = {**r, "pool_placement_ids": " ".join(r["pool_placement_ids"])}
        rows.append([r[c] for c in ALLOCATION_COLUMNS[:-3]] + _marks(shown))
    members = a.members
    rows.append(["total", "", sum(m.children for m in members), "", sum(m.placed_children for m in members), "",
                 sum(m.pool_placements for m in members), "", "", "", "", "", "", "",
                 fraction(sum((m.share for m in members), Decimal(0))), money(a.total_sek),
                 money(a.children_half_sek), money(a.placements_half_sek)] + _marks(shown))
    return write_csv(ALLOCATION_COLUMNS, rows, dialect)


def invoice_member(allocation: Allocation, kommunkod: str) -> MemberAllocation:
    """The member's row of the allocation, or NotFoundError."""
    for m in allocation.members:
        if m.municipality == kommunkod:
            return m
    raise NotFoundError("allocation.member_not_found", kommunkod=kommunkod, year=allocation.year)


def member_notes(allocation: Allocation, kommunkod: str) -> list[Note]:
    """The notes about this member and those about the whole allocation (not about other members)."""
    others = {m.municipality for m in allocation.members} - {kommunkod}
    return [n for n in allocation.notes if n.params.get("kommunkod") not in others]


def invoice_items(shown: Shown | Allocation, kommunkod: str) -> list[tuple[str, str]]:
    """(item, value) pairs of a member's invoice basis: status, formula, inputs, totals, the amount."""
    if isinstance(shown, Allocation):
        shown = Shown(shown)
    a = shown.allocation
    m = invoice_member(a, kommunkod)
    status, version, adopted_on = _marks(shown)
    items = [
        ("year", str(a.year)), ("status", status), ("version", str(version)), ("adopted_on", adopted_on),
        ("municipality", m.municipality), ("name", m.name),
        ("reference_date", a.reference_date.isoformat()), ("formula", FORMULA),
        ("budget_sek", money(a.budget_sek)),
        ("children", str(m.children)), ("population_source", _source(shown.sources, kommunkod, "population") or ""),
        ("children_total", str(sum(x.children for x in a.members))),
        ("placed_children", str(m.placed_children)),
        ("placed_children_source", _source(shown.sources, kommunkod, "placed_children") or ""),
        ("placed_children_total", str(sum(x.placed_children for x in a.members))),
        ("pool_placements", str(m.pool_placements)), ("pool_placement_ids", " ".join(m.pool_placement_ids)),
        ("pool_share", fraction(m.pool_share) or ""),
        ("placement_key_fallback", "true" if a.placement_key_fallback else "false"),
        ("children_share", fraction(m.children_share)), ("placements_share", fraction(m.placements_share)),
        ("key_share", fraction(m.key_share)), ("membership_days", str(m.membership_days)),
        ("days_in_year", str(days_in_year(a))), ("pro_rata", fraction(m.pro_rata)),
        ("share", fraction(m.share)), ("amount_sek", money(m.amount_sek)),
        ("children_part_sek", money(m.children_part_sek)), ("placements_part_sek", money(m.placements_part_sek)),
        ("total_sek", money(a.total_sek)),
    ]
    items += [("note", i18n.message(n, "en")) for n in member_notes(a, kommunkod)]
    return items


def invoice_csv(shown: Shown | Allocation, kommunkod: str, dialect: CsvDialect = PLAIN) -> str:
    """A member's invoice basis as `item,value` rows (unknown kommunkod: NotFoundError)."""
    items = invoice_items(shown, kommunkod)
    return write_csv(("item", "value"), ((dialect.item(k), v) for k, v in items), dialect)


def invoice_pdf(shown: Shown | Allocation, kommunkod: str) -> bytes:
    """A member's invoice basis as a one-page PDF (unknown kommunkod: NotFoundError)."""
    from api.invoice_pdf import render  # fpdf2 is imported only when a PDF is asked for

    if isinstance(shown, Allocation):
        shown = Shown(shown)
    member = invoice_member(shown.allocation, kommunkod)
    return render(shown, member, member_notes(shown.allocation, kommunkod))
