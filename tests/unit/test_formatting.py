"""Swedish formatting through Babel: exact to the öre, CLDR's separators, dates in the Swedish short form."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from api.formatting import sv_date, sv_exact, sv_number, sv_percent, sv_sek

NBSP = "\u00a0"


def test_money_numbers_and_shares_in_swedish_form():
    assert sv_sek(Decimal("7300000.50")) == f"7{NBSP}300{NBSP}000,50{NBSP}kr"
    assert sv_sek(12) == f"12,00{NBSP}kr"
    assert sv_number(Decimal("-1234.5"), 1) == f"-1{NBSP}234,5"
    assert sv_percent(Decimal("0.25833"), 2) == f"25,83{NBSP}%" and sv_percent(1, 0) == f"100{NBSP}%"
    assert sv_number(0.1, 2) == "0,10"  # a float goes through str, not its binary expansion
    assert sv_exact(Decimal("0.25833093663119547503")) == "0,25833093663119547503"
    assert sv_exact(Decimal("1.00000000000000000000")) == "1," + "0" * 20 and sv_exact(Decimal(7)) == "7"


def test_dates_in_the_swedish_short_form():
    assert sv_date(date(2025, 11, 1)) == "2025-11-01" == sv_date("2025-11-01")
    assert sv_date(datetime(2026, 3, 4, 23, 59)) == "2026-03-04" == sv_date("2026-03-04T23:59:00+00:00")
    assert sv_date(None) == sv_date("") == "–" and sv_date("2016-05") == "2016-05"


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_money_is_exact_to_the_ore(amount: Decimal):
    text = sv_sek(amount)
    assert text.endswith(f"{NBSP}kr")
    back = Decimal(text.removesuffix(f"{NBSP}kr").replace(NBSP, "").replace(",", "."))
    assert back == amount
