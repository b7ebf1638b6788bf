"""Swedish numbers, money, percentages and dates for pages, PDFs and Excel CSV, through Babel (CLDR sv_SE)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = "sv_SE"
MISSING = "–"  # an en dash: a missing figure must not read as 0
Number = int | float | Decimal


def _decimal(value: Number) -> Decimal:
    # Through str: a float's binary noise (0.1 -> 0.1000000000000000055…) must not reach the page.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _fraction_pattern(grouped: bool, decimals: int) -> str:
    return ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals > 0 else "")


def sv_number(value: Number | None, decimals: int = 0) -> str:
    """ "1 234 567" / "1 234,50": CLDR's group (U+00A0, so a figure never breaks) and decimal comma."""
    if value is None:
        return MISSING
    return format_decimal(_decimal(value), _fraction_pattern(True, decimals), locale=LOCALE)


def sv_sek(value: Number | None) -> str:
    """Money to the öre: "7 300 000,50 kr" (Decimal in, never rounded through float)."""
    return MISSING if value is None else format_currency(_decimal(value), "SEK", locale=LOCALE)


def sv_percent(value: Number | None, decimals: int = 1) -> str:
    """A share in [0, 1] as a percentage: "23,5 %"."""
    if value is None:
        return MISSING
    return format_percent(_decimal(value), _fraction_pattern(True, decimals) + "\u00a0%", locale=LOCALE)


def sv_exact(value: Decimal) -> str:
    """Every digit the Decimal holds, with a decimal comma and no grouping: "0,25833093663119547503"."""
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_decimal(value, _fraction_pattern(False, decimals), locale=LOCALE)


def sv_date(value: date | datetime | str | None) -> str:
    """A day in the Swedish short form (ISO 8601, "2025-11-01"); text that is no date is shown as it is."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, "short", locale=LOCALE)
