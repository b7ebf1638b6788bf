"""Cells of the population import: regions, ages, sexes, years and counts, and the sums over ages and sexes."""

from __future__ import annotations

import re
from typing import Any

from pool.errors import CodedError
from pool.municipalities import municipality_names

AGES = range(0, 18)
REGION = re.compile(r"^(\d{4})\s+(\S.*)$")
CODE = re.compile(r"^\d{4}$")
COUNT = re.compile(r"^\d+$")
AGE_ONE = re.compile(r"^(\d{1,3})(\+?)\s*(?:år|years?)$")
AGE_SPAN = re.compile(r"^(\d{1,3})\s*-\s*(\d{1,3})\s*(?:år|years?)$")
AGE_TOTALS = {"totalt ålder", "total age", "totalt", "total", "samtliga åldrar", "all ages"}
SEXES = {"män": "män", "men": "män", "kvinnor": "kvinnor", "women": "kvinnor",
         "totalt": "totalt", "total": "totalt", "båda könen": "totalt", "both sexes": "totalt"}
COUNTY = re.compile(r"^\d{2}(?:\s+\S.*)?$")  # "01 Stockholms län", "00 Riket"
NATION = {"riket", "sverige", "hela riket", "sweden"}
YEAR = re.compile(r"^\d{4}$")
SCB_SYMBOLS = {"..", ".", "-", "…"}  # SCB: missing, not applicable, nil


class PopulationImportError(CodedError, ValueError):
    """The file cannot be fully understood; the parameters name the line (and column)."""


def looks_like_region(cell: str) -> bool:
    return bool(re.match(r"\d{2}", cell)) or cell.lower() in NATION


def region_of(cell: str, n: int, col: int) -> tuple[str, str] | None:
    """(kommunkod, name) of a municipality; None for a county or the whole country."""
    if match := REGION.match(cell):
        return match.group(1), match.group(2)
    if CODE.match(cell):  # the code alone: SCB's list of municipalities names it
        name = municipality_names().get(cell)
        if name is None:
            raise PopulationImportError("population.unknown_kommunkod", line=n, column=col, value=cell)
        return cell, name
    if cell.lower() in NATION or COUNTY.match(cell):
        return None
    raise PopulationImportError("population.region_without_code", line=n, column=col, region=cell)


def parse_year(cell: str, n: int, col: int) -> int:
    if not YEAR.match(cell):
        raise PopulationImportError("population.bad_year_cell", line=n, column=col, value=cell)
    return int(cell)


def parse_age(cell: str, n: int, col: int) -> tuple[int, int] | None:
    """(first, last) age of the row; None for totals; last 999 for an open class like 100+."""
    low = cell.lower()
    if low in AGE_TOTALS:
        return None
    if match := AGE_ONE.match(low):
        first = int(match.group(1))
        ages = (first, 999 if match.group(2) else first)
    elif match := AGE_SPAN.match(low):
        ages = (int(match.group(1)), int(match.group(2)))
    else:
        raise PopulationImportError("population.bad_age", line=n, column=col, value=cell)
    if ages[0] > ages[1] or ages[0] <= AGES[-1] < ages[1]:
        raise PopulationImportError("population.age_class_across_17", line=n, column=col, value=cell)
    return ages


def parse_sex(cell: str, n: int, col: int) -> str:
    try:
        return SEXES[cell.lower()]
    except KeyError:
        raise PopulationImportError("population.bad_sex", line=n, column=col, value=cell) from None


def parse_count(cell: str, n: int, col: int, column: str) -> int:
    if COUNT.match(cell):
        return int(cell)
    if cell in SCB_SYMBOLS:
        raise PopulationImportError("population.missing_figure", line=n, column=col, name=column, value=cell)
    raise PopulationImportError("population.not_a_count", line=n, column=col, name=column, value=cell)


def sum_0_17(by_age: dict[tuple[int, int], int], where: dict[str, Any], sex: str | None) -> int:
    covered: dict[int, int] = {}
    for first, last in by_age:
        for age in range(first, last + 1):
            if age in covered:
                raise PopulationImportError("population.age_twice", age=age, **where)
            covered[age] = 1
    missing = [a for a in AGES if a not in covered]
    if missing:
        if sex:
            raise PopulationImportError("population.ages_incomplete_sex", sex=sex, missing=missing, **where)
        raise PopulationImportError("population.ages_incomplete", missing=missing, **where)
    return sum(by_age.values())


def combine_sexes(per_sex: dict[str | None, int], where: dict[str, Any]) -> int:
    if set(per_sex) in ({None}, {"totalt"}):
        return next(iter(per_sex.values()))
    if "män" not in per_sex or "kvinnor" not in per_sex:
        raise PopulationImportError("population.one_sex", **where)
    both = per_sex["män"] + per_sex["kvinnor"]
    if "totalt" in per_sex and per_sex["totalt"] != both:
        raise PopulationImportError("population.total_differs", total=per_sex["totalt"], both=both, **where)
    return both
