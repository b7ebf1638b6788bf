"""`projections rebuild --all --jobs 2`: the views equal the live ones (both backends); a failure is its own line."""

from __future__ import annotations

from typing import Any

from typer.testing import CliRunner

from pool.application import PoolApplication
from projections.bootstrap import ReadModelsImpl, start_embedded
from projections.cli import projections_cli
from projections.core.view import View
from projections.parallel import ordered
from projections.registry import NAMES
from tests.factories import published_family
from tests.integration.test_projection_failures import inject_bad_publication
from tests.integration.test_projections_helpers import history, snapshot


def rebuild_all(database_url: str, *args: str) -> Any:
    return CliRunner().invoke(projections_cli, ["rebuild", "--all", "--jobs", "2", *args,
                                                "--database-url", database_url])


def indexes(view: View) -> set[str]:
    if view.datastore.__class__.__name__.startswith("Postgres"):
        rows = view.query("SELECT indexname AS name FROM pg_indexes WHERE schemaname = ?", [view.datastore.schema])
    else:
        rows = view.query("SELECT name FROM sqlite_master WHERE type = 'index'")
    return {r["name"] for r in rows}


def test_a_parallel_rebuild_of_every_view_equals_the_live_views(app: PoolApplication, database_url: str) -> None:
    rm = start_embedded(app, batch_size=7)
    try:
        ids = history(app)
        assert rm.wait_for(ids["last"], timeout=5)
        live = {name: snapshot(rm.views[name]) for name in NAMES}
    finally:
        rm.close()
    result = rebuild_all(database_url, "--batch-size", "5")
    assert result.exit_code == 0, result.output
    done = [line.split(":")[0] for line in result.output.splitlines() if " events in " in line]
    assert sorted(done) == sorted(NAMES)
    assert all(f"{name}: {ids['last']} events" in result.output for name in NAMES)
    with ReadModelsImpl(database_url) as rebuilt:
        for name in NAMES:
            view = rebuilt.views[name]
            assert snapshot(view) == live[name], name
            assert view.position() == ids["last"]
            # The indexes a rebuild leaves to the swap (READ_INDEXES) are there, under their served names.
            assert set(view.index_names()) <= indexes(view), name
            assert not any(i.endswith("__new") for i in indexes(view))


def test_one_failing_rebuild_is_one_error_line_and_the_others_finish(app: PoolApplication,
                                                                     database_url: str) -> None:
    published_family(app)
    bad = inject_bad_publication(app)  # the catalogue cannot apply it; the other views can
    result = rebuild_all(database_url)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "'catalogue'" in errors[0] and f"event {bad}" in errors[0]
    assert all(f"{name}: {bad} events" in result.output for name in NAMES if name != "catalogue")


def test_the_largest_projection_is_rebuilt_first() -> None:
    assert ordered(list(NAMES))[0] == "audit" and sorted(ordered(list(NAMES))) == sorted(NAMES)
