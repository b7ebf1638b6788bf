"""The catalogue's cards kept per view position, and its descriptions opened per request (erasure at once)."""

from __future__ import annotations

from typing import Any

from pool.application import PoolApplication
from projections.bootstrap import ReadModelsImpl
from projections.contract import CatalogueFilter
from tests.conftest import STAFF
from tests.factories import published_family


def statements(rm: ReadModelsImpl) -> list[str]:
    """The catalogue view's statements from now on."""
    view, seen = rm.views["catalogue"], []
    original = view.query

    def query(sql: str, params: Any = ()) -> list[dict[str, Any]]:
        seen.append(sql)
        return original(sql, params)

    view.query = query  # type: ignore[method-assign]
    return seen


def test_a_page_read_again_at_the_same_position_reuses_its_cards(app: PoolApplication,
                                                                  read_models: ReadModelsImpl) -> None:
    a = published_family(app, description="Familj A med trädgård.")
    b = published_family(app, description="Familj B nära havet.")
    assert read_models.wait_for(app.recorder.max_notification_id())
    first = read_models.catalogue(CatalogueFilter(), limit=50)
    seen = statements(read_models)
    again = read_models.catalogue(CatalogueFilter(), limit=50)
    assert again == first and len(seen) == 1, seen  # the page only: no training courses read again
    by_id = {i["family_id"]: i for i in again.items}
    assert by_id[str(a)]["description"] == "Familj A med trädgård."
    again.items[0]["description"] = "changed by a caller"  # a caller's change stays in its own answer
    assert read_models.catalogue(CatalogueFilter(), limit=50) == first

    # The key destroyed, the event not (yet) applied: the view has not moved, the text is gone at once.
    app.sealer.destroy(b)
    seen.clear()
    after = {i["family_id"]: i for i in read_models.catalogue(CatalogueFilter(), limit=50).items}
    assert after[str(b)]["description"] is None and after[str(a)]["description"] == "Familj A med trädgård."
    assert len(seen) == 1
    assert {**after[str(b)], "description": "Familj B nära havet."} == by_id[str(b)]  # the rest as before
    again = {i["family_id"]: i for i in read_models.catalogue(CatalogueFilter(), limit=50).items}
    assert again[str(b)]["description"] is None  # and stays gone

    # The view moves: the cards are built (and the training read) again.
    app.record_training(STAFF, a, course="ett-hem-att-vaxa-i", completed_on="2026-04-01")
    assert read_models.wait_for(app.recorder.max_notification_id())
    seen.clear()
    moved = {i["family_id"]: i for i in read_models.catalogue(CatalogueFilter(), limit=50).items}
    assert moved[str(a)]["training"] == ["ett-hem-att-vaxa-i"] and len(seen) == 2

