"""The population import page's Swedish: the parser's notes and refusals as the admin reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.web.admin_population import swedish_note, swedish_parse_error
from pool.population import PopulationImportError, parse_child_population

DATA = Path(__file__).resolve().parents[1] / "data"


def refusal(data: bytes, year: int = 2025) -> str:
    with pytest.raises(PopulationImportError) as info:
        parse_child_population(data, year)
    return swedish_parse_error(info.value)


def test_notes_of_an_scb_file_in_swedish():
    parsed = parse_child_population((DATA / "scb_population_0_17_utf8bom.csv").read_bytes(), 2025)
    notes = [swedish_note(n) for n in parsed.notes]
    assert "SCB:s årssiffra är folkmängden den 31 december 2025." in notes
    assert any(n.startswith("SCB-format: rubrikraden är rad 3, kolumnen 2025") and n.endswith("över könen.")
               for n in notes)
    assert "Andra år lästes inte: 2024." in notes


def test_plain_file_note():
    parsed = parse_child_population(b"0184,15820\n", 2025)
    assert [swedish_note(n) for n in parsed.notes] == [
        "Enkelt format (kommunkod och antal, avgränsare ,): siffrorna gäller 2025 som de står."]


@pytest.mark.parametrize("data, expected", [
    (b"kommunkod,barn\n0184,many\n", "rad 2, kolumn 2 (children): 'many' är inte ett heltal"),
    (b"kommunkod,barn\n184,10\n", "rad 2, kolumn 1: '184' är inte en kommunkod med fyra siffror"),
    (b"0184,1\n0184,2\n", "rad 2: 0184 finns två gånger (första gången på rad 1)"),
    (b"   \n", "filen är tom"),
    (b"hello world\n", "rad 1: formatet känns inte igen"),
])
def test_refusals_in_swedish(data: bytes, expected: str):
    message = refusal(data)
    assert message.startswith("Filen kunde inte läsas och inget har sparats. Fel: ")
    assert expected in message


def test_missing_year_column():
    message = refusal((DATA / "scb_population_0_17_utf8bom.csv").read_bytes(), 2026)
    assert "filen har ingen kolumn för 2026 (den har 2024 och 2025); exportera det år du importerar" in message
