"""Every refusal of the population import, through the web import page: Swedish, specific, nothing written."""

from __future__ import annotations

import ast
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import i18n
from pool.population import PopulationImportError, parse_child_population
from tests.integration.test_api_support import Api, start_api
from tests.integration.test_web_session import csrf_of, sign_in
from tests.unit.test_population_import import REFUSALS

ROOT = Path(__file__).resolve().parents[2]
# Refusals a file uploaded through the page cannot cause: the page gives bytes and a checked year.
NOT_FROM_THE_PAGE = {"population.not_bytes", "population.bad_year"}


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, TestClient]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web-population')}/familjepool.db"
    with pytest.MonkeyPatch.context() as mp:
        for api in start_api(url, mp):
            client = TestClient(api.client.app)
            assert sign_in(client, "adam.admin").status_code == 303
            yield api, client


def _parser_codes() -> set[str]:
    trees = [ast.parse((ROOT / "pool" / name).read_text()) for name in ("population.py", "population_cells.py")]
    return {n.args[0].value for tree in trees for n in ast.walk(tree) if isinstance(n, ast.Call)
            and getattr(n.func, "id", None) == "PopulationImportError"}


def test_the_cases_cover_every_refusal_of_the_parser() -> None:
    assert _parser_codes() - NOT_FROM_THE_PAGE <= {code for *_, code in REFUSALS}


@pytest.mark.parametrize("data, year, english, code", [r for r in REFUSALS if r[3] not in NOT_FROM_THE_PAGE])
def test_each_refusal_is_swedish_on_the_import_page(admin: tuple[Api, TestClient], data: bytes, year: int,
                                                    english: str, code: str) -> None:
    api, client = admin
    with pytest.raises(PopulationImportError) as info:
        parse_child_population(data, year)
    swedish = i18n.message(info.value, "sv")
    head = api.pool.recorder.max_notification_id()
    token = csrf_of(client.get("/admin/befolkning/import").text)
    r = client.post("/admin/befolkning/import", data={"year": str(year), "source": "", "csrf_token": token},
                    files={"file": ("folkmangd.csv", data, "text/csv")})
    assert r.status_code == 422
    page = html.unescape(r.text)
    assert f"Filen kunde inte läsas och inget har sparats. Fel: {swedish}." in page
    assert i18n.message(info.value, "en") not in page
    assert not re.search(r"\b(line|column|not|must|the file)\b", swedish), swedish
    assert api.pool.recorder.max_notification_id() == head


@pytest.mark.parametrize("name, extra", [
    ("scb_long_layout.csv", "Andra år lästes inte: 2024."),
    ("scb_wide_excel_resaved.csv", "Regioner som inte är kommuner hoppades över: Riket och 01 Stockholms län."),
])
def test_real_world_layouts_reach_the_preview(admin: tuple[Api, TestClient], name: str, extra: str) -> None:
    api, client = admin
    data = (ROOT / "tests" / "data" / name).read_bytes()
    token = csrf_of(client.get("/admin/befolkning/import").text)
    r = client.post("/admin/befolkning/import", data={"year": "2025", "source": "", "csrf_token": token},
                    files={"file": (name, data, "text/csv")})
    assert r.status_code == 200, r.text
    page = html.unescape(r.text)
    assert "7866" in page.replace("\xa0", "").replace(" ", "")
    assert extra in page
    assert "Text efter uppgifterna: Källa: SCB" in page
