"""Parsing of children 0-17 per municipality from an SCB (PxWeb) CSV export, wide or long, or a plain CSV."""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass

from pool.errors import Note
from pool.population_cells import (
    AGES,
    CODE,
    SCB_SYMBOLS,
    PopulationImportError,
    combine_sexes,
    looks_like_region,
    parse_age,
    parse_count,
    parse_sex,
    parse_year,
    region_of,
    sum_0_17,
)

DELIMITERS = (";", ",", "\t")
_YEAR_COLUMN = re.compile(r"^(?:(.*\S)\s+)?(\d{4})$")  # "2025", or "Folkmängd 2025" (PxWeb API)
_PERIOD_COLUMN = re.compile(r"^(?:.*\s)?\d{4}[KkMm]\d{1,2}$")  # quarters, months
_ROLES = {"region": "region", "ålder": "age", "age": "age", "kön": "sex", "sex": "sex", "år": "year",
          "year": "year", "folkmängd": "value", "population": "value", "antal": "value", "value": "value"}
_PLAIN_HEADER = ({"kommunkod", "kommun", "municipality", "code"},
                 {"children", "barn", "antal barn", "children_0_17", "barn 0-17", "antal", "placerade barn",
                  "placed_children", "placerade"})


@dataclass(frozen=True)
class PopulationFigure:
    municipality: str
    name: str | None
    children: int


@dataclass(frozen=True)
class PopulationImport:
    figures: tuple[PopulationFigure, ...]
    format: str  # "scb" or "plain"
    encoding: str
    rows_read: int
    notes: tuple[Note, ...]
    ignored_regions: tuple[str, ...] = ()  # counties and the whole country, as written in the file


def parse_child_population(data: bytes, year: int) -> PopulationImport:
    """Children 0-17 per region from the SCB column for `year`, or from `kommunkod,children`."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
        raise PopulationImportError("population.bad_year", value=repr(year))
    text, encoding = _decode(data)
    every = list(enumerate(text.splitlines(), start=1))
    lines = [(n, line) for n, line in every if not _blank(line)]
    if not lines:
        raise PopulationImportError("population.empty")
    found = _find_scb_header(lines)
    if found is not None:
        return _parse_scb(lines, every, found, year, encoding)
    return _parse_plain(every, year, encoding)


def parse_placed_children(data: bytes, year: int) -> PopulationImport:
    """Each member's placed children 0-17 from a plain `kommunkod;antal` CSV (header optional)."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
        raise PopulationImportError("population.bad_year", value=repr(year))
    text, encoding = _decode(data)
    every = list(enumerate(text.splitlines(), start=1))
    if not any(not _blank(line) for _, line in every):
        raise PopulationImportError("population.empty")
    return _parse_plain(every, year, encoding)


def _blank(line: str) -> bool:
    """Empty, or only the empty cells Excel writes (";;;")."""
    return not line.strip(' ;,\t"')


def _trim(cells: list[str], width: int) -> list[str]:
    """Drop the empty cells Excel leaves after the last column."""
    while len(cells) > width and not cells[-1]:
        cells.pop()
    return cells


def _footnote(cells: list[str]) -> str:
    return ", ".join(c for c in cells if c)


def _decode(data: bytes) -> tuple[str, str]:
    if not isinstance(data, bytes | bytearray):
        raise PopulationImportError("population.not_bytes")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise PopulationImportError("population.utf16")
    try:
        text = bytes(data).decode("utf-8-sig")
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError:
        # PxWeb's "ANSI" export and Excel on Swedish Windows write Windows-1252.
        try:
            text, encoding = bytes(data).decode("cp1252"), "cp1252"
        except UnicodeDecodeError as exc:
            raise PopulationImportError("population.bad_encoding", byte=exc.start) from None
    if "\x00" in text:
        raise PopulationImportError("population.nul_bytes")
    return text, encoding


def _split(line: str, delimiter: str, n: int) -> list[str]:
    try:
        return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter,
                                                         strict=True))]
    except csv.Error:
        raise PopulationImportError("population.bad_quoting", line=n) from None


def _find_scb_header(lines: list[tuple[int, str]]) -> tuple[int, str, list[str]] | None:
    """Index, delimiter and cells of the header with a "region" column, among the first lines."""
    for index, (n, line) in enumerate(lines[:5]):
        for delimiter in DELIMITERS:
            try:
                cells = _split(line, delimiter, n)
            except PopulationImportError:
                continue  # quoting that only fits another delimiter
            if len(cells) >= 2 and "region" in (c.lower() for c in cells):
                return index, delimiter, cells
    return None


def _parse_scb(lines: list[tuple[int, str]], every: list[tuple[int, str]], found: tuple[int, str, list[str]],
               year: int, encoding: str) -> PopulationImport:
    index, delimiter, header = found
    header = _trim(header, 0)
    header_line = lines[index][0]
    notes = []
    for n, line in lines[:index]:
        title = [c for c in _split(line, delimiter, n) if c]
        if len(title) != 1:
            raise PopulationImportError("population.not_title_or_header", line=n)
        notes.append(Note("population.note_title", {"title": title[0]}))
    roles, year_columns = _column_roles(header, header_line)
    long = "year" in roles  # SCB's long layout: one row per region, age, sex and year
    wanted = roles["value"] if long else year_columns.get(year)
    if wanted is None:
        raise PopulationImportError("population.no_year_column", line=header_line, year=year,
                                    have=[str(y) for y in sorted(year_columns)])

    names: dict[str, str] = {}
    first_line: dict[str, int] = {}
    cells_by: dict[str, dict[str | None, dict[tuple[int, int], int]]] = {}
    ignored = rows_read = 0
    years_seen: set[int] = set()
    regions_ignored: dict[str, None] = {}
    footnotes: list[str] = []
    after_blank = False
    seen: set[tuple[str, tuple[int, int] | None, str | None]] = set()
    for n, line in (item for item in every if item[0] > header_line):
        if _blank(line):
            after_blank = True
            continue
        row = _trim(_split(line, delimiter, n), len(header))
        # A source line or footnote after the data ("Källa: SCB"): everything after it is text.
        if footnotes or (rows_read and (after_blank or sum(1 for c in row if c) == 1)):
            if len(row) == len(header) and looks_like_region(row[roles["region"]]):
                raise PopulationImportError("population.data_after_footnote", line=n)
            footnotes.append(_footnote(row))
            continue
        if len(row) != len(header):
            raise PopulationImportError("population.column_count", line=n, count=len(row),
                                        header_line=header_line, expected=len(header))
        rows_read += 1
        region = region_of(row[roles["region"]], n, roles["region"] + 1)
        if region is None:
            regions_ignored[row[roles["region"]]] = None
            continue
        if long:
            row_year = parse_year(row[roles["year"]], n, roles["year"] + 1)
            years_seen.add(row_year)
            if row_year != year:
                continue
        code, name = region
        where = {"line": n, "column": roles["region"] + 1}
        if names.setdefault(code, name) != name:
            raise PopulationImportError("population.region_named_twice", kommunkod=code, first=names[code],
                                        second=name, **where)
        first_line.setdefault(code, n)
        ages = parse_age(row[roles["age"]], n, roles["age"] + 1)
        sex = parse_sex(row[roles["sex"]], n, roles["sex"] + 1) if "sex" in roles else None
        for y, col in year_columns.items():  # other years' figures are checked, not used
            if y != year and row[col] not in SCB_SYMBOLS:
                parse_count(row[col], n, col + 1, header[col])
        value = parse_count(row[wanted], n, wanted + 1, header[wanted])
        if (code, ages, sex) in seen:
            raise PopulationImportError("population.duplicate_row", line=n, row=", ".join(
                    [f"{code} {name}", row[roles["age"]]] + ([sex] if sex else [])))
        seen.add((code, ages, sex))
        if ages is None or ages[0] > AGES[-1]:
            ignored += 1
            continue
        cells_by.setdefault(code, {}).setdefault(sex, {})[ages] = value
    if long and year not in years_seen:
        raise PopulationImportError("population.no_year_column", line=header_line, year=year,
                                    have=[str(y) for y in sorted(years_seen)])
    if not names:
        raise PopulationImportError("population.no_data_rows", line=header_line)

    figures = []
    for code in sorted(names):
        where = {"line": first_line[code], "region": f"{code} {names[code]}"}
        per_sex = {sex: sum_0_17(by_age, where, sex)
                   for sex, by_age in cells_by.get(code, {None: {}}).items()}
        figures.append(PopulationFigure(code, names[code], combine_sexes(per_sex, where)))
    used = {"line": header_line, "column": header[wanted]}
    notes.append(Note("population.note_scb_sexes", used) if "sex" in roles else Note("population.note_scb", used))
    others = [header[c] for y, c in sorted(year_columns.items()) if y != year]
    others += [str(y) for y in sorted(years_seen - {year})]
    if others:
        notes.append(Note("population.note_other_years", {"columns": others}))
    if ignored:
        notes.append(Note("population.note_ignored_rows", {"count": ignored}))
    if regions_ignored:
        notes.append(Note("population.note_ignored_regions", {"regions": list(regions_ignored)}))
    notes += [Note("population.note_footnote", {"text": text}) for text in footnotes]
    notes.append(Note("population.note_reference_date", {"year": year}))
    return PopulationImport(tuple(figures), "scb", encoding, rows_read, tuple(notes),
                            tuple(regions_ignored))


def _column_roles(header: list[str], n: int) -> tuple[dict[str, int], dict[int, int]]:
    roles: dict[str, int] = {}
    years: dict[int, int] = {}
    for col, cell in enumerate(header):
        where = {"line": n, "column": col + 1}
        low = cell.lower()
        if low in _ROLES:
            if _ROLES[low] in roles:
                raise PopulationImportError("population.duplicate_column", name=cell, **where)
            roles[_ROLES[low]] = col
        elif match := _YEAR_COLUMN.match(cell):
            y = int(match.group(2))
            if y in years:
                raise PopulationImportError("population.duplicate_year_column", year=y, **where)
            years[y] = col
        elif _PERIOD_COLUMN.match(cell):
            raise PopulationImportError("population.period_column", name=cell, **where)
        else:
            raise PopulationImportError("population.unknown_column", name=cell, **where)
    if "age" not in roles:
        raise PopulationImportError("population.no_age_column", line=n)
    if "year" in roles and "value" not in roles:
        raise PopulationImportError("population.no_value_column", line=n)
    if "value" in roles and ("year" not in roles or years):
        col = roles["value"]
        raise PopulationImportError("population.unknown_column", line=n, column=col + 1, name=header[col])
    if not years and "year" not in roles:
        raise PopulationImportError("population.no_year_columns", line=n)
    return roles, years


def _parse_plain(every: list[tuple[int, str]], year: int, encoding: str) -> PopulationImport:
    lines = [(n, line) for n, line in every if not _blank(line)]
    first_n, first = lines[0]
    delimiter = next((d for d in (";", "\t") if d in first), ",")
    rows = [(n, _trim(_split(line, delimiter, n), 2)) for n, line in lines]
    head = [c.lower() for c in rows[0][1]]
    if len(head) == 2 and head[0] in _PLAIN_HEADER[0] and head[1] in _PLAIN_HEADER[1]:
        rows = rows[1:]
    elif not (head and CODE.match(head[0])):
        raise PopulationImportError("population.not_understood", line=first_n)
    if not rows:
        raise PopulationImportError("population.no_data_rows", line=first_n)
    blank_lines = {n for n, line in every if _blank(line)}
    seen: dict[str, int] = {}
    figures, footnotes = [], []
    for n, row in rows:
        # A source line or footnote after the data: a blank line before it, or a single text cell.
        if footnotes or (seen and (n - 1 in blank_lines or (len(row) == 1 and not CODE.match(row[0])))):
            if len(row) == 2 and CODE.match(row[0]):
                raise PopulationImportError("population.data_after_footnote", line=n)
            footnotes.append(_footnote(row))
            continue
        if len(row) != 2:
            raise PopulationImportError("population.plain_column_count", line=n, count=len(row))
        code, count = row
        if not CODE.match(code):
            raise PopulationImportError("population.not_a_kommunkod", line=n, column=1, value=code)
        if code in seen:
            raise PopulationImportError("population.duplicate_code", line=n, kommunkod=code,
                                        first_line=seen[code])
        seen[code] = n
        figures.append(PopulationFigure(code, None, parse_count(count, n, 2, "children")))
    notes = [Note("population.note_plain", {"delimiter": delimiter, "year": year})]
    notes += [Note("population.note_footnote", {"text": text}) for text in footnotes]
    return PopulationImport(tuple(sorted(figures, key=lambda f: f.municipality)), "plain",
                            encoding, len(figures), tuple(notes))
