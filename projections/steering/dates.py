"""Calendar arithmetic of the steering figures: quarters, months back, birthday cut-offs."""

from __future__ import annotations

import calendar
from datetime import date

from pool.errors import InvalidInputError


def month_cutoff(on: date, years: int) -> str:
    """Children born in a later month than this are under `years` on `on` (birthdays taken on the 1st)."""
    return f"{on.year - years:04d}-{on.month:02d}"


def quarter_end(year: int, quarter: int) -> date:
    if quarter not in (1, 2, 3, 4):
        raise InvalidInputError("statistics.quarter_out_of_range", field="quarter")
    month = quarter * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def months_before(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))
