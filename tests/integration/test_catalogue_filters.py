"""The catalogue's filters through indexes, and its total counted once per view position (issue 14)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from eventsourcing.persistence import Tracking

from benchmarks.catalogue import FILTERS
from benchmarks.suggestions import fill
from projections.bootstrap import ReadModelsImpl
from projections.contract import CatalogueFilter
from projections.core.view import APPLICATION_NAME

FAMILIES = 3000


class Statements(list):
    def __init__(self) -> None:
        super().__init__()
        self.params: dict[str, list[Any]] = {}


@pytest.fixture
def filled(database_url: str) -> Iterator[ReadModelsImpl]:
    rm = ReadModelsImpl(database_url)
    try:
        fill(rm, FAMILIES, seed=5)  # straight into the tables (ANALYZEd on PostgreSQL)
        rm.views["catalogue"].apply_batch([], Tracking(APPLICATION_NAME, 1))  # a position to count at
        yield rm
    finally:
        rm.close()


def recording(rm: ReadModelsImpl) -> Statements:
    """The statements the catalogue view runs from now on (their parameters in `.params`)."""
    view = rm.views["catalogue"]
    original, statements = view.query, Statements()

    def query(sql: str, params: Any = ()) -> list[dict[str, Any]]:
        statements.append(sql)
        statements.params[sql] = list(params)
        return original(sql, params)

    view.query = query  # type: ignore[method-assign]
    return statements


def by_columns(rm: ReadModelsImpl, f: CatalogueFilter) -> set[str]:
    """The old way (LIKE on the barred columns): what the indexed filters must still find."""
    where, params = ["1 = 1"], []
    if f.kind:
        where.append("kinds LIKE ?")
        params.append(f"%|{f.kind}|%")
    if f.language:
        where.append("languages LIKE ?")
        params.append(f"%|{f.language}|%")
    rows = rm.views["catalogue"].query(f"SELECT family_id FROM {{s}}catalogue WHERE {' AND '.join(where)}", params)
    return {r["family_id"] for r in rows}


def test_kind_and_language_filters_find_what_the_columns_say(filled: ReadModelsImpl) -> None:
    for f in (CatalogueFilter(kind="jourhem"), CatalogueFilter(language="ar"),
              CatalogueFilter(kind="kontaktfamilj", language=" SO ")):
        page = filled.catalogue(f, limit=FAMILIES)
        expected = by_columns(filled, CatalogueFilter(kind=f.kind, language=(f.language or "").strip().lower() or None))
        assert {i["family_id"] for i in page.items} == expected and page.total == len(expected)


def test_the_total_is_counted_once_per_view_position(filled: ReadModelsImpl) -> None:
    statements = recording(filled)
    f = CatalogueFilter(kind="jourhem")
    first = filled.catalogue(f, limit=10)
    assert sum("COUNT(*)" in s for s in statements) == 1
    statements.clear()
    assert filled.catalogue(f, limit=10, offset=10).total == first.total
    assert not any("COUNT(*)" in s for s in statements), "the same view position: the kept count"
    assert len(statements) == 2  # the page (with the position) and its training courses
    filled.views["catalogue"].apply_batch([("remove", [first.items[0]["family_id"]])], Tracking(APPLICATION_NAME, 2))
    statements.clear()
    assert filled.catalogue(f, limit=10).total == first.total - 1  # the view moved: counted again
    assert sum("COUNT(*)" in s for s in statements) == 1
    statements.clear()
    last = filled.catalogue(f, limit=10, offset=first.total - 5)  # a page that is not full ends the list
    assert len(last.items) == 4 and last.total == first.total - 1 and not any("COUNT(*)" in s for s in statements)


@pytest.mark.postgres
def test_every_filter_page_is_served_by_an_index(fresh_postgres_url: str) -> None:
    rm = ReadModelsImpl(fresh_postgres_url)
    try:
        fill(rm, FAMILIES, seed=5)
        rm.views["catalogue"].apply_batch([], Tracking(APPLICATION_NAME, 1))
        statements = recording(rm)
        view = rm.views["catalogue"]
        for name, args in FILTERS.items():
            statements.clear()
            f = CatalogueFilter(**args)
            rm.catalogue(f, limit=50)
            page_sql = next(s for s in statements if "ORDER BY k.seq" in s)
            plan = "\n".join(str(next(iter(r.values())))
                             for r in view.query("EXPLAIN " + page_sql, statements.params[page_sql]))
            assert "Seq Scan on catalogue c" not in plan, (name, plan)
            if f.kind:
                assert "catalogue_kinds_pkey" in plan, plan
            if f.language:
                assert "catalogue_languages_pkey" in plan, plan
    finally:
        rm.close()

