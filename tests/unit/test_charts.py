"""Tests of the SVG charts: well-formed, accessible, labelled, proportional, escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from api.web.charts import (
    PALETTE,
    grouped_bars,
    series,
    stacked_bars,
    sv_number,
    sv_percent,
    sv_sek,
)

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on markup that is not well-formed


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def bars(root: ET.Element) -> list[ET.Element]:
    # Legend swatches are 14 wide and have no <title>; bars always carry one.
    return [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.find("svg:title", NS) is not None]


def test_swedish_number_formats():
    assert sv_number(1234567) == "1\u00a0234\u00a0567"
    assert sv_number(Decimal("1234.5"), 2) == "1\u00a0234,50"
    assert sv_sek(Decimal("450000.00")) == "450\u00a0000,00\u00a0kr"
    assert sv_percent(Decimal("0.235")) == "23,5\u00a0%"
    assert sv_number(None) == sv_sek(None) == sv_percent(None) == "–"


def test_stacked_bars_are_accessible_and_labelled():
    svg = stacked_bars("alloc", "Belopp per kommun", "Barndel och placeringsdel per kommun.",
                       ["Solna", "Sigtuna"], series("Barndel", "Placeringsdel"),
                       [[Decimal("300000.00"), Decimal("270000.00")], [Decimal("210000"), Decimal("375000")]],
                       fmt=sv_sek)
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "alloc-title alloc-desc"
    assert root.find("svg:title", NS).text == "Belopp per kommun"
    assert root.find("svg:desc", NS).text == "Barndel och placeringsdel per kommun."
    labels = texts(root)
    assert "Solna" in labels and "Sigtuna" in labels and "Barndel" in labels and "Placeringsdel" in labels
    assert sv_sek(Decimal("570000.00")) in labels and sv_sek(Decimal("585000")) in labels  # totals
    segment_titles = [r.find("svg:title", NS).text for r in bars(root)]
    assert "Solna, Barndel: " + sv_sek(Decimal("300000.00")) in segment_titles


def test_stacked_bar_widths_are_proportional_and_stack():
    root = parse(stacked_bars("c", "t", "d", ["A", "B"], series("x", "y"), [[30, 10], [10, 10]]))
    a_x, a_y, b_x, b_y = bars(root)
    width = lambda r: float(r.get("width"))  # noqa: E731
    assert width(a_x) / width(a_y) == 3.0
    assert (width(a_x) + width(a_y)) / (width(b_x) + width(b_y)) == 2.0
    assert float(a_y.get("x")) == float(a_x.get("x")) + width(a_x)  # the parts stack
    assert a_x.get("fill") == PALETTE[0] and a_y.get("fill") == PALETTE[1]


def test_grouped_bars_write_each_value_and_dash_for_missing():
    root = parse(grouped_bars("sd", "Tillgång och efterfrågan", "Per insatstyp.",
                              ["familjehem 0-6", "jourhem 13-17"], series("Tillgång", "Efterfrågan"),
                              [[3, 5], [None, 2]]))
    labels = texts(root)
    assert {"3", "5", "2", "–"} <= set(labels)
    assert len(bars(root)) == 3  # no bar for the missing value
    widths = [float(r.get("width")) for r in bars(root)]
    assert widths[1] == max(widths)  # 5 is the longest bar


def test_single_series_has_no_legend():
    root = parse(grouped_bars("f", "Tratt", "Steg.", ["Ansökt", "Godkänd"], series("Antal"), [[30], [18]]))
    assert "Antal" not in texts(root)


def test_text_is_escaped():
    svg = stacked_bars("e", "A <b> & c", "\"quoted\"", ["<script>"], series("x&y"), [[1]])
    root = parse(svg)
    assert "<script>" not in svg and "<script>" in texts(root)
    assert root.find("svg:title", NS).text == "A <b> & c"


def test_empty_data_says_so():
    root = parse(grouped_bars("n", "Inget", "Tomt.", [], series("a"), []))
    assert texts(root) == ["Inga uppgifter att visa."]
    assert parse(stacked_bars("n", "t", "d", [], series("a"), [])) is not None


def test_all_zero_values_draw_no_bars_but_keep_labels():
    root = parse(stacked_bars("z", "t", "d", ["A"], series("x", "y"), [[0, 0]]))
    assert bars(root) == [] and "A" in texts(root) and "0" in texts(root)
