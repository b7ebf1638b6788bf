"""Parsing of children 0-17 per municipality from an SCB (PxWeb) CSV export or a plain CSV."""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass

AGES = range(0, 18)
DELIMITERS = (";", ",", "\t")
_REGION = re.compile(r"^(\d{4})\s+(\S.*)$")
_CODE = re.compile(r"^\d{4}$")
_COUNT = re.compile(r"^\d+$")
_YEAR_COLUMN = re.compile(r"^(?:(.*\S)\s+)?(\d{4})$")  # "2025", or "Folkmängd 2025" (PxWeb API)
_PERIOD_COLUMN = re.compile(r"^(?:.*\s)?\d{4}[KkMm]\d{1,2}$")  # quarters, months
_AGE_ONE = re.compile(r"^(\d{1,3})(\+?)\s*(?:år|years?)$")
_AGE_SPAN = re.compile(r"^(\d{1,3})\s*-\s*(\d{1,3})\s*(?:år|years?)$")
_AGE_TOTALS = {"totalt ålder", "total age", "totalt", "total", "samtliga åldrar", "all ages"}
_SEXES = {"män": "män", "men": "män", "kvinnor": "kvinnor", "women": "kvinnor",
          "totalt": "totalt", "total": "totalt", "båda könen": "totalt", "both sexes": "totalt"}
_ROLES = {"region": "region", "ålder": "age", "age": "age", "kön": "sex", "sex": "sex"}
_PLAIN_HEADER = ({"kommunkod", "kommun", "municipality", "code"},
                 {"children", "barn", "antal barn", "children_0_17", "barn 0-17"})
_SCB_SYMBOLS = {"..", ".", "-", "…"}  # SCB: missing, not applicable, nil


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
    notes: tuple[str, ...]


class PopulationImportError(ValueError):
    """The file cannot be fully understood; the message names the line (and column)."""


def parse_child_population(data: bytes, year: int) -> PopulationImport:
    """Children 0-17 per region from the SCB column for `year`, or from `kommunkod,children`."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
        raise PopulationImportError(f"year must be a calendar year, not {year!r}")
    text, encoding = _decode(data)
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise PopulationImportError("the file is empty")
    found = _find_scb_header(lines)
    if found is not None:
        return _parse_scb(lines, found, year, encoding)
    return _parse_plain(lines, year, encoding)


def _decode(data: bytes) -> tuple[str, str]:
    if not isinstance(data, bytes | bytearray):
        raise PopulationImportError("the file must be given as bytes")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise PopulationImportError("the file is UTF-16; save it as UTF-8 or Latin-1 CSV")
    try:
        text = bytes(data).decode("utf-8-sig")
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError:
        # PxWeb's "ANSI" export and Excel on Swedish Windows write Windows-1252.
        try:
            text, encoding = bytes(data).decode("cp1252"), "cp1252"
        except UnicodeDecodeError as exc:
            raise PopulationImportError(
                f"byte {exc.start}: the file is neither UTF-8 nor Latin-1 text") from None
    if "\x00" in text:
        raise PopulationImportError("the file contains NUL bytes: not a CSV text file")
    return text, encoding


def _split(line: str, delimiter: str, n: int) -> list[str]:
    try:
        return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter,
                                                         strict=True))]
    except csv.Error as exc:
        raise PopulationImportError(f"line {n}: cannot read the CSV quoting ({exc})") from None


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


def _parse_scb(lines: list[tuple[int, str]], found: tuple[int, str, list[str]], year: int,
               encoding: str) -> PopulationImport:
    index, delimiter, header = found
    header_line = lines[index][0]
    notes = []
    for n, line in lines[:index]:
        title = [c for c in _split(line, delimiter, n) if c]
        if len(title) != 1:
            raise PopulationImportError(f"line {n}: neither a title nor the header row")
        notes.append(f"title: {title[0]}")
    roles, year_columns = _column_roles(header, header_line)
    wanted = year_columns.get(year)
    if wanted is None:
        have = ", ".join(str(y) for y in sorted(year_columns))
        raise PopulationImportError(f"line {header_line}: no column for {year} (the file has "
                                    f"{have}); export the year you import")

    names: dict[str, str] = {}
    first_line: dict[str, int] = {}
    cells_by: dict[str, dict[str | None, dict[tuple[int, int], int]]] = {}
    ignored = 0
    seen: set[tuple[str, tuple[int, int] | None, str | None]] = set()
    for n, line in lines[index + 1:]:
        row = _split(line, delimiter, n)
        if len(row) != len(header):
            raise PopulationImportError(f"line {n}: {len(row)} columns where the header on "
                                        f"line {header_line} has {len(header)}")
        where = f"line {n}, column {roles['region'] + 1}"
        match = _REGION.match(row[roles["region"]])
        if not match:
            raise PopulationImportError(f"{where}: region {row[roles['region']]!r} has no "
                                        "4-digit kommunkod (select municipalities only)")
        code, name = match.groups()
        if names.setdefault(code, name) != name:
            raise PopulationImportError(f"{where}: {code} is named both {names[code]!r} and "
                                        f"{name!r}")
        first_line.setdefault(code, n)
        ages = _parse_age(row[roles["age"]], n, roles["age"] + 1)
        sex = _parse_sex(row[roles["sex"]], n, roles["sex"] + 1) if "sex" in roles else None
        for y, col in year_columns.items():
            if y != year and row[col] not in _SCB_SYMBOLS:
                _parse_count(row[col], n, col + 1, header[col])
        value = _parse_count(row[wanted], n, wanted + 1, header[wanted])
        if (code, ages, sex) in seen:
            raise PopulationImportError(f"line {n}: a second row for {code} {name}, "
                                        f"{row[roles['age']]}" + (f", {sex}" if sex else ""))
        seen.add((code, ages, sex))
        if ages is None or ages[0] > AGES[-1]:
            ignored += 1
            continue
        cells_by.setdefault(code, {}).setdefault(sex, {})[ages] = value
    if not names:
        raise PopulationImportError(f"line {header_line}: a header but no data rows")

    figures = []
    for code in sorted(names):
        where = f"line {first_line[code]}: {code} {names[code]}"
        per_sex = {sex: _sum_0_17(by_age, where, sex)
                   for sex, by_age in cells_by.get(code, {None: {}}).items()}
        figures.append(PopulationFigure(code, names[code], _combine_sexes(per_sex, where)))
    notes.append(f"SCB format: header on line {header_line}, column {header[wanted]!r}, "
                 f"ages 0-17 summed" + (" over sexes" if "sex" in roles else ""))
    others = [header[c] for y, c in sorted(year_columns.items()) if y != year]
    if others:
        notes.append("other year columns ignored: " + ", ".join(others))
    if ignored:
        notes.append(f"{ignored} rows for ages 18 and over or totals ignored")
    notes.append(f"SCB's yearly figure is the population on 31 December {year}")
    return PopulationImport(tuple(figures), "scb", encoding, len(lines) - index - 1,
                            tuple(notes))


def _column_roles(header: list[str], n: int) -> tuple[dict[str, int], dict[int, int]]:
    roles: dict[str, int] = {}
    years: dict[int, int] = {}
    for col, cell in enumerate(header):
        where = f"line {n}, column {col + 1}"
        low = cell.lower()
        if low in _ROLES:
            if _ROLES[low] in roles:
                raise PopulationImportError(f"{where}: a second {cell!r} column")
            roles[_ROLES[low]] = col
        elif match := _YEAR_COLUMN.match(cell):
            y = int(match.group(2))
            if y in years:
                raise PopulationImportError(f"{where}: a second column for {y}")
            years[y] = col
        elif _PERIOD_COLUMN.match(cell):
            raise PopulationImportError(f"{where}: {cell!r} is a quarter or month; export the "
                                        "yearly table (one column per year)")
        else:
            raise PopulationImportError(f"{where}: unknown column {cell!r} (expected region, "
                                        "ålder, kön and one column per year; leave other "
                                        "variables such as civilstånd out of the export)")
    if "age" not in roles:
        raise PopulationImportError(f"line {n}: no 'ålder' (age) column, so ages 0-17 cannot "
                                    "be summed")
    if not years:
        raise PopulationImportError(f"line {n}: no year column such as \"2025\"")
    return roles, years


def _parse_age(cell: str, n: int, col: int) -> tuple[int, int] | None:
    """(first, last) age of the row; None for totals; last 999 for an open class like 100+."""
    low = cell.lower()
    if low in _AGE_TOTALS:
        return None
    if match := _AGE_ONE.match(low):
        first = int(match.group(1))
        ages = (first, 999 if match.group(2) else first)
    elif match := _AGE_SPAN.match(low):
        ages = (int(match.group(1)), int(match.group(2)))
    else:
        raise PopulationImportError(f"line {n}, column {col}: age {cell!r} not understood")
    if ages[0] > ages[1] or ages[0] <= AGES[-1] < ages[1]:
        raise PopulationImportError(f"line {n}, column {col}: age class {cell!r} cannot be "
                                    "split at 17; export single years of age")
    return ages


def _parse_sex(cell: str, n: int, col: int) -> str:
    try:
        return _SEXES[cell.lower()]
    except KeyError:
        raise PopulationImportError(f"line {n}, column {col}: sex {cell!r} not understood "
                                    "(expected män, kvinnor or totalt)") from None


def _parse_count(cell: str, n: int, col: int, column: str) -> int:
    if _COUNT.match(cell):
        return int(cell)
    if cell in _SCB_SYMBOLS:
        raise PopulationImportError(f"line {n}, column {col} ({column}): {cell!r} is SCB's "
                                    "mark for a missing or not applicable figure")
    raise PopulationImportError(f"line {n}, column {col} ({column}): {cell!r} is not a count")


def _sum_0_17(by_age: dict[tuple[int, int], int], where: str, sex: str | None) -> int:
    covered: dict[int, int] = {}
    for first, last in by_age:
        for age in range(first, last + 1):
            if age in covered:
                raise PopulationImportError(f"{where}: age {age} is counted twice "
                                            "(overlapping age classes)")
            covered[age] = 1
    missing = [a for a in AGES if a not in covered]
    if missing:
        of = f" ({sex})" if sex else ""
        raise PopulationImportError(f"{where}: ages 0-17 incomplete{of}, missing "
                                    + ", ".join(str(a) for a in missing))
    return sum(by_age.values())


def _combine_sexes(per_sex: dict[str | None, int], where: str) -> int:
    if set(per_sex) in ({None}, {"totalt"}):
        return next(iter(per_sex.values()))
    if "män" not in per_sex or "kvinnor" not in per_sex:
        raise PopulationImportError(f"{where}: figures for only one sex; both män and kvinnor "
                                    "(or totalt) are needed")
    both = per_sex["män"] + per_sex["kvinnor"]
    if "totalt" in per_sex and per_sex["totalt"] != both:
        raise PopulationImportError(f"{where}: totalt {per_sex['totalt']} differs from män + "
                                    f"kvinnor {both}")
    return both


def _parse_plain(lines: list[tuple[int, str]], year: int, encoding: str) -> PopulationImport:
    first_n, first = lines[0]
    delimiter = next((d for d in (";", "\t") if d in first), ",")
    rows = [(n, _split(line, delimiter, n)) for n, line in lines]
    head = [c.lower() for c in rows[0][1]]
    if len(head) == 2 and head[0] in _PLAIN_HEADER[0] and head[1] in _PLAIN_HEADER[1]:
        rows = rows[1:]
    elif not (head and _CODE.match(head[0])):
        raise PopulationImportError(
            f"line {first_n}: not understood; expected SCB's header with a 'region' column "
            "or 'kommunkod,children'")
    if not rows:
        raise PopulationImportError(f"line {first_n}: a header but no data rows")
    seen: dict[str, int] = {}
    figures = []
    for n, row in rows:
        if len(row) != 2:
            raise PopulationImportError(f"line {n}: {len(row)} columns, expected kommunkod "
                                        "and children")
        code, count = row
        if not _CODE.match(code):
            raise PopulationImportError(f"line {n}, column 1: {code!r} is not a 4-digit "
                                        "kommunkod")
        if code in seen:
            raise PopulationImportError(f"line {n}: {code} appears again (first on line "
                                        f"{seen[code]})")
        seen[code] = n
        figures.append(PopulationFigure(code, None, _parse_count(count, n, 2, "children")))
    notes = (f"plain format, delimiter {delimiter!r}: figures taken as given for {year}",)
    return PopulationImport(tuple(sorted(figures, key=lambda f: f.municipality)), "plain",
                            encoding, len(rows), notes)
