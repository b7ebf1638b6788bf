"""A view whose tables were built by other code is rebuilt from the events when its runner starts."""

from __future__ import annotations

import pytest

from pool.application import PoolApplication
from projections.bootstrap import start_embedded
from projections.contract import CatalogueFilter
from projections.core.schemas import ViewSchemas
from projections.core.storage import as_storage
from projections.registry import open_view, view_fingerprint
from tests.factories import published_family


def _catalogue_size(app: PoolApplication) -> int:
    rm = start_embedded(app)
    try:
        assert rm.wait_for(app.recorder.max_notification_id(), timeout=10)
        return rm.catalogue(CatalogueFilter()).total
    finally:
        rm.close()


def _served(database_url: str) -> tuple[int, str | None, bool]:
    view = open_view(as_storage(database_url), "catalogue")
    try:
        rows = view.query("SELECT COUNT(*) AS n FROM {s}catalogue")
        return int(rows[0]["n"]), ViewSchemas(view).stored("catalogue"), view.stale
    finally:
        view.datastore.close()


def _tamper(database_url: str, fingerprint: str | None) -> None:
    """What older code leaves behind: other tables' shape (here: emptied rows) under another fingerprint."""
    view = open_view(as_storage(database_url), "catalogue")
    try:
        with view.datastore.transaction(commit=True) as c:
            c.execute(view.translate("DELETE FROM {s}catalogue"))
            c.execute(view.translate("DELETE FROM {s}view_schemas WHERE name = 'catalogue'"))
            if fingerprint is not None:
                c.execute(view.translate("INSERT INTO {s}view_schemas (name, fingerprint) VALUES (?, ?)"),
                          ["catalogue", fingerprint])
    finally:
        view.datastore.close()


def test_a_new_database_records_each_views_fingerprint(app: PoolApplication, database_url: str) -> None:
    published_family(app)
    assert _catalogue_size(app) == 1
    count, stored, stale = _served(database_url)
    view = open_view(as_storage(database_url), "catalogue")
    try:
        assert (count, stored, stale) == (1, view_fingerprint(view), False)
    finally:
        view.datastore.close()


def test_a_changed_view_is_rebuilt_before_its_runner_serves(app: PoolApplication, database_url: str) -> None:
    published_family(app)
    published_family(app)
    assert _catalogue_size(app) == 2
    _tamper(database_url, "built-by-older-code")
    assert _served(database_url)[::2] == (0, True)  # stale: readers see the old tables until the rebuild
    assert _catalogue_size(app) == 2  # the runner rebuilt it from the events
    count, stored, stale = _served(database_url)
    assert (count, stale) == (2, False) and stored != "built-by-older-code"


def test_tables_from_before_the_record_existed_are_rebuilt_once(app: PoolApplication, database_url: str) -> None:
    published_family(app)
    assert _catalogue_size(app) == 1
    _tamper(database_url, None)
    assert _served(database_url)[2] is True
    assert _catalogue_size(app) == 1
    assert _served(database_url)[::2] == (1, False)


@pytest.mark.postgres
def test_a_rebuild_leaves_planner_statistics_behind(fresh_postgres_url: str) -> None:
    import psycopg

    from projections.rebuild import rebuild

    storage = as_storage(fresh_postgres_url)
    rebuild(storage, "catalogue")
    with psycopg.connect(storage.conninfo or "") as conn:
        rows = conn.execute("SELECT relname FROM pg_stat_user_tables WHERE schemaname = %s "
                            "AND last_analyze IS NOT NULL", [storage.schema]).fetchall()
    assert {"catalogue", "catalogue_tracking"} <= {r[0] for r in rows}
