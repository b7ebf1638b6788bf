"""SCB's list of Sweden's municipalities, shipped with the package (pool/data/kommuner.csv)."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources


@cache
def municipality_names() -> dict[str, str]:
    """Name per 4-digit kommunkod, e.g. "0184" -> "Solna"."""
    text = resources.files("pool").joinpath("data/kommuner.csv").read_text(encoding="utf-8")
    return {row["kommunkod"]: row["kommun"] for row in csv.DictReader(text.splitlines())}
