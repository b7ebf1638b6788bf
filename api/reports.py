"""Renderers of the cost allocation, invoice bases, statistics and the non-executed report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from api import i18n
from api.csv_dialects import PLAIN, CsvDialect, write_csv
from pool.allocation import Allocation, MemberAllocation
from pool.errors import Note, NotFoundError

ALLOCATION_COLUMNS = ("municipality", "name", "children", "population_source", "placed_children",
                      "placed_source", "placement_ids", "children_share", "placements_share",
                      "key_share", "membership_days", "pro_rata", "share", "amount_sek")
NON_EXECUTED_COLUMNS = ("status", "municipality", "name", "code", "kind", "legal_basis", "decision_date",
                        "days_waited", "reason", "executed_on")
# The report's three lists, in order, as the `status` column names them.
NON_EXECUTED_PARTS = (("items", "not_executed"), ("not_reportable", "not_reportable_lvu"),
                      ("executed", "executed_after_report"))
STATISTICS_COLUMNS = ("section", "item", "key", "value")
# Fields that name a statistics row (e.g. "familjehem 0-6"); the rest become keys.
_ROW_LABELS = ("municipality", "name", "kind", "age_band", "legal_basis", "status", "step")
FORMULA = ("children_share = c / C; placements_share = p / P (= c / C when P = 0); "
           "key_share = 0.5 x children_share + 0.5 x placements_share; "
           "share = key_share, pro rata by days of membership; "
           "amount = budget x share, rounded to öre by largest remainder (the amounts sum to the budget)")


def money(value: Decimal) -> str:
    """SEK with öre as text: "1234.50"."""
    return f"{Decimal(value):.2f}"


def _fraction(value: Decimal) -> str:
    return f"{value:f}"  # never "0E-20": the shares are printed as plain decimals


def days_in_year(allocation: Allocation) -> int:
    return (date(allocation.year + 1, 1, 1) - date(allocation.year, 1, 1)).days


def _population_source(row: MemberAllocation, sources: Mapping[str, str] | None) -> str | None:
    if sources and sources.get(row.municipality):
        return sources[row.municipality]
    return getattr(row, "population_source", None) or getattr(row, "children_source", None) or None


def allocation_rows(allocation: Allocation, population_sources: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The JSON member rows, with the inputs every figure comes from; money as "0.00" strings."""
    return [{
        "municipality": m.municipality, "name": m.name,
        "children": m.children, "population_source": _population_source(m, population_sources),
        "placed_children": m.placed_children, "placed_source": m.placed_source,
        "placement_ids": list(m.placement_ids),
        "children_share": _fraction(m.children_share), "placements_share": _fraction(m.placements_share),
        "key_share": _fraction(m.key_share), "membership_days": m.membership_days,
        "pro_rata": _fraction(m.pro_rata), "share": _fraction(m.share), "amount_sek": money(m.amount_sek),
    } for m in allocation.members]


def allocation_document(allocation: Allocation,
                        population_sources: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The whole allocation as `GET /api/allocations/{year}` answers it (also `--format json`)."""
    return {
        "year": allocation.year, "budget_sek": money(allocation.budget_sek),
        "reference_date": allocation.reference_date.isoformat(), "days_in_year": days_in_year(allocation),
        "children_total": sum(m.children for m in allocation.members),
        "placed_children_total": sum(m.placed_children for m in allocation.members),
        "placement_key_fallback": allocation.placement_key_fallback,
        "members": allocation_rows(allocation, population_sources),
        "total_sek": money(allocation.total_sek), "notes": [i18n.message(n, "en") for n in allocation.notes],
    }


def allocation_csv(allocation: Allocation, population_sources: Mapping[str, str] | None = None,
                   dialect: CsvDialect = PLAIN) -> str:
    """One row per member and a final `total` row; placement ids separated by spaces."""
    rows = []
    for r in allocation_rows(allocation, population_sources):
        rows.append([" ".join(r[c]) if c == "placement_ids" else r[c] for c in ALLOCATION_COLUMNS])
    members = allocation.members
    rows.append(["total", "", sum(m.children for m in members), "", sum(m.placed_children for m in members),
                 "", "", "", "", "", "", "", _fraction(sum((m.share for m in members), Decimal(0))),
                 money(allocation.total_sek)])
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


def invoice_items(allocation: Allocation, kommunkod: str,
                  population_source: str | None = None) -> list[tuple[str, str]]:
    """(item, value) pairs of a member's invoice basis: the formula, the inputs, the totals, the amount."""
    m = invoice_member(allocation, kommunkod)
    members = allocation.members
    source = population_source or _population_source(m, None)
    items = [
        ("year", str(allocation.year)), ("municipality", m.municipality), ("name", m.name),
        ("reference_date", allocation.reference_date.isoformat()), ("formula", FORMULA),
        ("budget_sek", money(allocation.budget_sek)),
        ("children", str(m.children)), ("population_source", source or ""),
        ("children_total", str(sum(x.children for x in members))),
        ("placed_children", str(m.placed_children)), ("placed_source", m.placed_source),
        ("placement_ids", " ".join(m.placement_ids)),
        ("placed_children_total", str(sum(x.placed_children for x in members))),
        ("placement_key_fallback", "true" if allocation.placement_key_fallback else "false"),
        ("children_share", _fraction(m.children_share)), ("placements_share", _fraction(m.placements_share)),
        ("key_share", _fraction(m.key_share)), ("membership_days", str(m.membership_days)),
        ("days_in_year", str(days_in_year(allocation))), ("pro_rata", _fraction(m.pro_rata)),
        ("share", _fraction(m.share)), ("amount_sek", money(m.amount_sek)),
        ("total_sek", money(allocation.total_sek)),
    ]
    items += [("note", i18n.message(n, "en")) for n in member_notes(allocation, kommunkod)]
    return items


def invoice_csv(allocation: Allocation, kommunkod: str, population_source: str | None = None,
                dialect: CsvDialect = PLAIN) -> str:
    """A member's invoice basis as `item,value` rows (unknown kommunkod: NotFoundError)."""
    items = invoice_items(allocation, kommunkod, population_source)
    return write_csv(("item", "value"), ((dialect.item(k), v) for k, v in items), dialect)


def invoice_pdf(allocation: Allocation, kommunkod: str, population_source: str | None = None) -> bytes:
    """A member's invoice basis as a one-page PDF (unknown kommunkod: NotFoundError)."""
    from api.invoice_pdf import render  # fpdf2 is imported only when a PDF is asked for

    member = invoice_member(allocation, kommunkod)
    return render(allocation, member, member_notes(allocation, kommunkod),
                  population_source or _population_source(member, None))


def non_executed_csv(report: Mapping[str, Any], dialect: CsvDialect = PLAIN) -> str:
    """The non-executed decisions report, one row per decision: not executed (SoL, LSS), LVU, executed late."""
    rows = ([status if c == "status" else _cell(r.get(c)) for c in NON_EXECUTED_COLUMNS]
            for part, status in NON_EXECUTED_PARTS for r in report[part])
    return write_csv(NON_EXECUTED_COLUMNS, rows, dialect)


DEMAND_SUPPLY_COLUMNS = ("month", "kind", "age_band", "demand", "supply", "pipeline")


def demand_supply_csv(report: Mapping[str, Any], dialect: CsvDialect = PLAIN) -> str:
    """Behov och tillgång: one row per month, kind and age band."""
    rows = ([m["month"], *[r[c] for c in DEMAND_SUPPLY_COLUMNS[1:]]] for m in report["months"] for r in m["rows"])
    return write_csv(DEMAND_SUPPLY_COLUMNS, rows, dialect)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _fraction(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _flatten(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, Mapping):
        out: list[tuple[str, Any]] = []
        for k, v in value.items():
            out += _flatten(f"{prefix}.{k}" if prefix else str(k), v)
        return out
    if isinstance(value, (list, tuple)):
        return [(prefix, " ".join(str(_cell(v)) for v in value))]
    return [(prefix, _cell(value))]


def statistics_rows(stats: Mapping[str, Any]) -> list[tuple[str, str, str, Any]]:
    """The statistics document as (section, item, key, value): one row per figure."""
    rows: list[tuple[str, str, str, Any]] = []
    for section, value in stats.items():
        if isinstance(value, list):
            for entry in value:
                if not isinstance(entry, Mapping):
                    rows.append((section, "", "", _cell(entry)))
                    continue
                item = " ".join(str(entry[k]) for k in _ROW_LABELS if entry.get(k) is not None)
                rest = {k: v for k, v in entry.items() if k not in _ROW_LABELS}
                rows += [(section, item, key, v) for key, v in _flatten("", rest)]
        elif isinstance(value, Mapping):
            rows += [(section, "", key, v) for key, v in _flatten("", value)]
        else:
            rows.append((section, "", "", _cell(value)))
    return rows


def worded_statistics(stats: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The statistics with their note (a code and parameters) worded in the reader's language."""
    note = stats.get("shares_note")
    return {**stats, "shares_note": i18n.message(note, lang) if note is not None else None}


def statistics_csv(stats: Mapping[str, Any], dialect: CsvDialect = PLAIN) -> str:
    """The statistics of docs/statistics.md flattened to section,item,key,value rows."""
    return write_csv(STATISTICS_COLUMNS, statistics_rows(stats), dialect)


def population_sources(members: Iterable[Mapping[str, Any]], year: int) -> dict[str, str]:
    """kommunkod -> the source of the population figure that the allocation of `year` uses (1 Nov year-1)."""
    out = {}
    for m in members:
        figures = m.get("child_population") or {}
        figure = figures.get(year - 1) or figures.get(str(year - 1)) or {}
        if figure.get("source"):
            out[m["municipality"]] = figure["source"]
    return out
