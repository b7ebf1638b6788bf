"""Renderers of the cost allocation, invoice bases, statistics and the non-executed report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from api import i18n
from api.allocation_reports import (  # noqa: F401  (the allocation's renderers, re-exported)
    ALLOCATION_COLUMNS, FORMULA, Shown, allocation_csv, allocation_document, allocation_rows, input_sources,
    invoice_csv, invoice_items, invoice_member, invoice_pdf, member_notes, money, shown_allocation,
)
from api.csv_dialects import PLAIN, CsvDialect, write_csv

NON_EXECUTED_COLUMNS = ("status", "municipality", "name", "code", "kind", "legal_basis", "decision_date",
                        "days_waited", "reason", "executed_on")
# The report's three lists, in order, as the `status` column names them.
NON_EXECUTED_PARTS = (("items", "not_executed"), ("not_reportable", "not_reportable_lvu"),
                      ("executed", "executed_after_report"))
STATISTICS_COLUMNS = ("section", "item", "key", "value")
# Fields that name a statistics row (e.g. "familjehem 0-6"); the rest become keys.
_ROW_LABELS = ("municipality", "name", "kind", "age_band", "legal_basis", "status", "step", "home_type")


def _fraction(value: Decimal) -> str:
    return f"{value:f}"  # never "0E-20": plain decimals


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
