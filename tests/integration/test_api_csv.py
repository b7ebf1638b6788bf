"""CSV over HTTP on both backends: `Accept: text/csv` wherever `?format=csv` works, and Swedish Excel's dialect."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from api.csv_dialects import SWEDISH_HEADERS
from tests.integration.test_api_allocation import rows, year_2026
from tests.integration.test_api_support import Api, api  # noqa: F401

TABLES = ["/api/allocations/2026", "/api/statistics?start=2025-01-01&end=2025-12-31",
          "/api/reports/non-executed?year=2025&quarter=4"]


def excel_rows(r) -> list[list[str]]:
    assert r.content.startswith("\ufeff".encode()), "Swedish Excel reads UTF-8 only with a byte-order mark"
    return list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))


def sep(path: str) -> str:
    return "&" if "?" in path else "?"


def test_accept_text_csv_is_honoured_wherever_format_csv_is(api: Api) -> None:
    year_2026(api)
    for path in TABLES:
        by_query = api.call("GET", f"{path}{sep(path)}format=csv", "steering")
        by_accept = api.call("GET", path, "steering", headers={"Accept": "text/csv"})
        assert by_query.status_code == by_accept.status_code == 200, (path, by_accept.text)
        assert by_accept.headers["content-type"] == "text/csv; charset=utf-8"
        assert by_accept.text == by_query.text and by_accept.headers["content-disposition"].startswith("attachment")
        # JSON stays the default, also when the client ranks it above CSV; ?format= beats Accept.
        for accept in ("application/json", "application/json, text/csv;q=0.5", "*/*", ""):
            r = api.call("GET", path, "steering", headers={"Accept": accept})
            assert r.headers["content-type"] == "application/json", (path, accept)
            assert r.headers["vary"] == "Accept"
        r = api.call("GET", f"{path}{sep(path)}format=json", "steering", headers={"Accept": "text/csv"})
        assert r.headers["content-type"] == "application/json"
    invoice = "/api/allocations/2026/invoices/0184"
    assert api.call("GET", invoice, "municipality").headers["content-type"] == "application/pdf"
    r = api.call("GET", invoice, "municipality", headers={"Accept": "text/csv"})
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.text == api.call("GET", f"{invoice}?format=csv", "municipality").text
    r = api.call("GET", invoice, "municipality", headers={"Accept": "application/pdf, text/csv;q=0.1"})
    assert r.headers["content-type"] == "application/pdf"
    assert api.call("GET", invoice, "other_municipality", headers={"Accept": "text/csv"}).status_code == 404


def test_excel_dialect_semicolons_decimal_comma_swedish_headers_bom(api: Api) -> None:
    year_2026(api)
    plain = rows(api.call("GET", "/api/allocations/2026?format=csv", "steering").text)
    r = api.call("GET", "/api/allocations/2026?format=csv&dialect=excel-sv", "steering")
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="allocation-2026-excel-sv.csv"'
    table = excel_rows(r)
    amount = table[0].index("belopp (kr)")
    assert table[0][:3] == ["kommunkod", "kommun", "barn 0-17"] and "varav barndel (kr)" in table[0]
    assert len(table) == len(plain) + 1
    for excel, row in zip(table[1:], plain):
        assert excel[0] == row["municipality"] and excel[amount] == row["amount_sek"].replace(".", ",")
        assert excel[table[0].index("andel")] == row["share"].replace(".", ",") and "." not in excel[amount]
    # Exact to the öre: the Swedish amounts add up to the budget.
    total = sum(Decimal(x[amount].replace(",", ".")) for x in table[1:-1])
    assert total == Decimal("7300000.00") and table[-1][amount] == "7300000,00"
    invoice = excel_rows(api.call("GET", "/api/allocations/2026/invoices/0184?dialect=excel-sv",
                                  "municipality", headers={"Accept": "text/csv"}))
    assert invoice[0] == ["post", "värde"] and ["budgetår", "2026"] in invoice
    assert ["poolens budget (kr)", "7300000,00"] in invoice
    stats = excel_rows(api.call("GET", "/api/statistics?format=csv&dialect=excel-sv", "steering"))
    assert stats[0] == [SWEDISH_HEADERS[c] for c in ("section", "item", "key", "value")]
    report = excel_rows(api.call("GET", "/api/reports/non-executed?year=2025&quarter=4&format=csv&dialect=excel-sv",
                                 "steering"))
    assert report[0] == ["status", "kommunkod", "kommun", "ärende", "insats", "lagrum", "beslutsdatum",
                         "dagar sedan beslut", "skäl", "verkställt"]


@pytest.mark.parametrize("query", ["format=xls", "dialect=excel", "format=csv&dialect=semikolon"])
def test_unknown_format_or_dialect_is_422(api: Api, query: str) -> None:
    r = api.call("GET", f"/api/statistics?{query}", "steering")
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
