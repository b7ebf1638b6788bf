"""Worker mode on PostgreSQL: the worker announces each flush and an API process hears it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pool.application import PoolApplication
from pool.bootstrap import bootstrap, close
from pool.sealing import MasterKey
from projections.bootstrap import open_read_models
from projections.registry import NAMES
from projections.runtime import ProjectionRuntime
from tests.conftest import SIGTUNA
from tests.factories import add_members, referral_data


@pytest.fixture
def pg_app(fresh_postgres_url: str) -> Iterator[PoolApplication]:
    app = bootstrap(fresh_postgres_url, MasterKey.from_base64(MasterKey.generate_base64()))
    try:
        yield app
    finally:
        close(app)


@pytest.mark.postgres
def test_an_api_process_hears_the_workers_flushes(pg_app: PoolApplication) -> None:
    app = pg_app
    runtime = ProjectionRuntime(app.storage).start()  # stands in for `familjepool projections run`
    api_side = open_read_models(app, run_projections=False)
    try:
        assert api_side.listener is not None
        add_members(app)
        saved = app.register_referral(SIGTUNA, **referral_data())
        assert api_side.wait_for(saved.position, timeout=5.0)
        assert api_side.referral(saved.id, "0191")["status"] == "open"
        # Every view announced a position at least as far as the write: the wait was woken, not polled.
        heard_all = all(api_side.listener.heard(n) >= saved.position for n in NAMES)
        assert heard_all, {n: api_side.listener.heard(n) for n in NAMES}
    finally:
        api_side.close()
        runtime.stop()


@pytest.mark.postgres
def test_a_lost_announcement_costs_latency_only(pg_app: PoolApplication) -> None:
    app = pg_app
    runtime = ProjectionRuntime(app.storage).start()
    runtime.announcer = None  # a worker that never announces (or notifications lost on a reconnect)
    api_side = open_read_models(app, run_projections=False)
    try:
        add_members(app)
        saved = app.register_referral(SIGTUNA, **referral_data())
        assert api_side.wait_for(saved.position, timeout=5.0)  # the tracking tables, read every 250 ms
        assert all(api_side.listener.heard(n) == 0 for n in NAMES)
    finally:
        api_side.close()
        runtime.stop()
