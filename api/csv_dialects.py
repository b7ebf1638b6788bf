"""The two CSV dialects of the downloads: plain (RFC 4180, as the API's JSON) and Swedish Excel's."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from api.formatting import sv_exact

# A figure the reports carry as text ("0.25833…", "1885815.84"): Swedish Excel reads it only with a comma.
_DECIMAL_TEXT = re.compile(r"-?\d+\.\d+")

SWEDISH_HEADERS = {
    # allocation
    "municipality": "kommunkod", "name": "kommun", "children": "barn 0-17", "population_source": "källa befolkning",
    "placed_children": "placerade barn", "placed_children_source": "källa placerade barn",
    "pool_placements": "poolens placeringar", "pool_placement_ids": "poolens placeringar (id)",
    "pool_share": "andel genom poolen",
    "children_share": "andel barn", "placements_share": "andel placeringar", "key_share": "nyckelandel",
    "membership_days": "medlemsdagar", "pro_rata": "pro rata", "share": "andel", "amount_sek": "belopp (kr)",
    "children_part_sek": "varav barndel (kr)", "placements_part_sek": "varav placeringsdel (kr)",
    "status": "status", "version": "version", "adopted_on": "fastställd",
    # non-executed decisions
    "kind": "insats", "legal_basis": "lagrum", "count": "antal", "status": "status", "code": "ärende",
    "decision_date": "beslutsdatum", "days_waited": "dagar sedan beslut", "reason": "skäl",
    "executed_on": "verkställt", "month": "månad", "age_band": "ålder", "demand": "behov", "supply": "tillgång",
    "pipeline": "under utredning",
    # statistics and the invoice basis
    "section": "avsnitt", "item": "post", "key": "nyckel", "value": "värde",
}
# The invoice basis is a list of named items; in the Swedish dialect they are named as on the PDF.
SWEDISH_ITEMS = {
    "year": "budgetår", "municipality": "kommunkod", "name": "kommun", "reference_date": "referensdag",
    "formula": "formel", "budget_sek": "poolens budget (kr)", "children": "barn 0-17 (c)",
    "population_source": "källa befolkning", "children_total": "barn 0-17, alla medlemmar (C)",
    "status": "status", "version": "version", "adopted_on": "fastställd",
    "placed_children": "placerade barn (p)", "placed_children_source": "källa placerade barn",
    "pool_placements": "poolens placeringar (kontroll)", "pool_placement_ids": "poolens placeringar (id)",
    "pool_share": "andel genom poolen", "placed_children_total": "placerade barn, alla medlemmar (P)",
    "placement_key_fallback": "placeringsnyckeln ersatt av barnnyckeln", "children_share": "andel barn (c / C)",
    "placements_share": "andel placeringar (p / P)", "key_share": "nyckelandel", "membership_days": "medlemsdagar (d)",
    "days_in_year": "dagar i året (D)", "pro_rata": "pro rata (d / D)", "share": "andel",
    "amount_sek": "belopp (kr)", "children_part_sek": "varav barndel (kr)",
    "placements_part_sek": "varav placeringsdel (kr)", "total_sek": "summa, alla medlemmar (kr)", "note": "anmärkning",
}


class DialectName(StrEnum):
    plain = "plain"
    excel_sv = "excel-sv"


@dataclass(frozen=True)
class CsvDialect:
    """How a table is written: separator, decimal mark, header language, byte-order mark."""

    name: DialectName
    delimiter: str
    decimal_comma: bool
    headers: Mapping[str, str] = field(default_factory=dict)
    items: Mapping[str, str] = field(default_factory=dict)
    bom: str = ""

    def header(self, column: str) -> str:
        return self.headers.get(column, column)

    def item(self, name: str) -> str:
        return self.items.get(name, name)

    def cell(self, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Decimal):
            return sv_exact(value) if self.decimal_comma else f"{value:f}"
        if isinstance(value, str):
            if self.decimal_comma and _DECIMAL_TEXT.fullmatch(value):
                return sv_exact(Decimal(value))
            return _safe(value)
        return value


PLAIN = CsvDialect(DialectName.plain, ",", decimal_comma=False)
# Semicolon and decimal comma are what Excel with Swedish regional settings expects; the BOM makes it read UTF-8.
EXCEL_SV = CsvDialect(DialectName.excel_sv, ";", decimal_comma=True, headers=SWEDISH_HEADERS, items=SWEDISH_ITEMS,
                      bom="\ufeff")
DIALECTS = {d.name: d for d in (PLAIN, EXCEL_SV)}


def _safe(value: str) -> str:
    # A text cell starting with = + - @ is a formula to a spreadsheet; names and notes are typed by people.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_csv(header: Iterable[str], rows: Iterable[Iterable[Any]], dialect: CsvDialect = PLAIN) -> str:
    """A header row and the rows, CRLF-terminated, in the dialect (without its byte-order mark)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([dialect.header(h) for h in header])
    for row in rows:
        writer.writerow([dialect.cell(v) for v in row])
    return out.getvalue()
