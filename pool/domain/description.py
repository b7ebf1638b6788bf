"""Refuses an 'anonymous' catalogue description that carries personal data."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pool.errors import InvalidInputError

PERSONNUMMER_SHAPE = re.compile(r"(?<!\d)(?:\d{2})?\d{6}\s*[-+]?\s*\d{4}(?!\d)")
EMAIL_SHAPE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# Seven or more digits, allowing the separators Swedish numbers are written with.
PHONE_SHAPE = re.compile(r"(?:\+\s*46|\b0)[\d\s\-()]{6,}\d")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def find_personal_data(description: str, own_values: Iterable[str]) -> list[str]:
    """Return what kinds of personal data the text carries (empty when it is anonymous)."""
    found: list[str] = []
    folded = description.casefold()
    digits = _digits(description)
    if PERSONNUMMER_SHAPE.search(description):
        found.append("personnummer")
    if EMAIL_SHAPE.search(description):
        found.append("email")
    if PHONE_SHAPE.search(description):
        found.append("phone")
    for value in own_values:
        value = (value or "").strip()
        if len(value) < 2:
            continue
        value_digits = _digits(value)
        if len(value_digits) >= 5 and value_digits == re.sub(r"\s", "", value).replace("-", "").replace("+", ""):
            if value_digits in digits:
                found.append("own_numbers")
            continue
        # Names and street addresses: whole words, in any letter case.
        for part in [value, *value.split()]:
            if len(part) >= 2 and re.search(rf"(?<!\w){re.escape(part.casefold())}(?!\w)", folded):
                found.append("own_name")
                break
    return list(dict.fromkeys(found))


def check_anonymous_description(description: str, own_values: Iterable[str]) -> None:
    found = find_personal_data(description, own_values)
    if found:
        raise InvalidInputError("family.description_personal_data", field="description", found=found)
