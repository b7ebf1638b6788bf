"""A bad stored event: recorded, health degraded, the other views go on; halt or park; retry; safe rebuild."""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pool.application import PoolApplication
from pool.domain.family import Family
from projections.bootstrap import ReadModelsImpl, start_embedded
from projections.cli import projections_cli
from projections.contract import CatalogueFilter, ProjectionStatus
from projections.core.failures import PARK_SETTING
from projections.runtime import RebuildFailed, rebuild
from tests.factories import published_family
from tests.integration.test_api_support import Api, api, http_published_family  # noqa: F401 - fixture

DESCRIPTION = "Lugn familj vid havet"


def inject_bad_publication(pool: PoolApplication, nul: bool = False) -> int:
    """Store, through the library's recorder, a publication the catalogue cannot apply (no description,
    or one holding NUL, which PostgreSQL text refuses); return its notification id."""
    model = next(n for n in pool.recorder.select_notifications(0, 10_000) if n.topic.endswith("Family.Published"))
    state = pool.mapper.transcoder.decode(model.state)
    if nul:
        state["description"] = "Fin\x00familj"
    else:
        del state["description"]
    pool.recorder.insert_events([StoredEvent(originator_id=uuid4(), originator_version=1, topic=model.topic,
                                             state=pool.mapper.transcoder.encode(state))])
    return int(pool.recorder.max_notification_id() or 0)


def catalogue_ids(rm: ReadModelsImpl) -> set[UUID]:
    return {UUID(i["family_id"]) for i in rm.catalogue(CatalogueFilter()).items}


def status_of(rm: ReadModelsImpl, name: str) -> ProjectionStatus:
    return next(s for s in rm.status() if s.name == name)


def eventually(check: Any, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def health(api: Api) -> dict[str, Any]:
    """/api/health as a monitoring client on loopback sees it (other addresses get 404)."""
    monitor = TestClient(api.client.app, client=("127.0.0.1", 50000))
    return monitor.get("/api/health").json()


def cli(database_url: str, *args: str) -> Any:
    return CliRunner().invoke(projections_cli, [*args, "--database-url", database_url])


def test_a_halted_catalogue_is_recorded_named_in_health_and_resumes_on_retry(
        api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rm: ReadModelsImpl = api.client.app.state.read_models  # type: ignore[attr-defined]
    first = UUID(http_published_family(api, description=DESCRIPTION))
    bad = inject_bad_publication(api.pool)
    assert eventually(lambda: status_of(rm, "catalogue").halted_at == bad)

    # A command answers at once: it does not wait 2 s on the halted view, and the write is stored.
    started = time.monotonic()
    r = api.call("POST", f"/api/families/{first}/unpublish", "pool_staff")
    assert r.status_code == 200, r.text
    assert time.monotonic() - started < 1.5
    second = UUID(http_published_family(api, description=DESCRIPTION))
    assert catalogue_ids(rm) == {first}  # the halted view still shows what it had
    # The other views keep up with new events.
    assert rm.register_entry(second)["status"] == "published"
    head = rm.status()[0].head
    assert all(s.position == head for s in rm.status() if s.name != "catalogue")

    body = health(api)
    assert body["status"] == "degraded" and body["failed"] == ["catalogue"]
    assert next(p for p in body["projections"] if p["name"] == "catalogue")["halted_at"] == bad

    listed = cli(database_url, "failures")
    assert listed.exit_code == 0 and f"{bad}" in listed.output and "AttributeError" in listed.output
    rows = rm.failures.rows("catalogue")
    assert [(r["notification_id"], r["state"], r["error_type"]) for r in rows] == [(bad, "halted", "AttributeError")]
    assert DESCRIPTION not in str(rows)

    # A retry before the cause is fixed halts again at the same event.
    assert cli(database_url, "retry", "catalogue").exit_code == 0
    time.sleep(2.5)
    assert status_of(rm, "catalogue").halted_at == bad

    # The fix (a default for the missing field, as an upcaster would give) and a retry resume it.
    monkeypatch.setattr(Family.Published, "description", "", raising=False)
    assert cli(database_url, "retry", "catalogue").exit_code == 0
    assert eventually(lambda: catalogue_ids(rm) == {second})
    assert eventually(lambda: health(api)["status"] == "ok")
    assert rm.failures.rows("catalogue")[0]["state"] == "resolved"
    assert cli(database_url, "retry", "catalogue").exit_code == 1  # nothing halted


def test_a_parking_catalogue_steps_over_the_bad_event(app: PoolApplication, monkeypatch: pytest.MonkeyPatch,
                                                      database_url: str) -> None:
    monkeypatch.setenv(PARK_SETTING, "catalogue")
    rm = start_embedded(app)
    try:
        first = published_family(app)
        bad = inject_bad_publication(app, nul=app.storage.backend == "postgres")  # type: ignore[attr-defined]
        second = published_family(app)
        assert rm.wait_for(app.recorder.max_notification_id(), timeout=10)
        assert catalogue_ids(rm) == {first, second}
        status = status_of(rm, "catalogue")
        assert status.parked == 1 and status.halted_at is None and status.failed
        expected = "DataError" if app.storage.backend == "postgres" else "AttributeError"  # type: ignore[attr-defined]
        assert [(r["notification_id"], r["state"], r["error_type"]) for r in rm.failures.rows()] == [
            (bad, "parked", expected)]
        assert cli(database_url, "acknowledge", "catalogue").exit_code == 0
        assert not status_of(rm, "catalogue").failed
    finally:
        rm.close()


def test_a_halting_projection_can_be_parked_past_its_event(app: PoolApplication, database_url: str) -> None:
    rm = start_embedded(app)
    try:
        published_family(app)
        bad = inject_bad_publication(app)
        assert eventually(lambda: status_of(rm, "catalogue").halted_at == bad)
        result = cli(database_url, "retry", "catalogue", "--park")
        assert result.exit_code == 0, result.output
        later = published_family(app)
        assert eventually(lambda: later in catalogue_ids(rm))
        assert status_of(rm, "catalogue").parked == 1
    finally:
        rm.close()


def test_a_rebuild_that_fails_halfway_leaves_the_old_view_serving(
        app: PoolApplication, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rm = start_embedded(app)
    first = published_family(app)
    assert rm.wait_for(app.recorder.max_notification_id(), timeout=10)
    rm.close()  # the runners stop; the views keep serving reads
    bad = inject_bad_publication(app)
    second = published_family(app)

    with pytest.raises(RebuildFailed) as failed:
        rebuild(database_url, "catalogue", batch_size=3)
    assert failed.value.bad.notification_id == bad
    result = cli(database_url, "rebuild", "catalogue")
    assert result.exit_code == 1 and f"event {bad}" in result.output

    with ReadModelsImpl(database_url) as reader:
        assert catalogue_ids(reader) == {first}  # the old tables, untouched
        leftovers = reader.views["catalogue"].query(
            "SELECT COUNT(*) AS n FROM {s}catalogue WHERE 1 = 1")  # the served table answers
        assert leftovers[0]["n"] == 1

    monkeypatch.setenv(PARK_SETTING, "catalogue")
    rebuild(database_url, "catalogue", batch_size=3)
    with ReadModelsImpl(database_url) as reader:
        assert catalogue_ids(reader) == {first, second}
        assert status_of(reader, "catalogue").parked == 1
        assert status_of(reader, "catalogue").position == app.recorder.max_notification_id()
        # A second rebuild works over the swapped tables and their renamed indexes.
    rebuild(database_url, "catalogue", batch_size=3)
    with ReadModelsImpl(database_url) as reader:
        assert catalogue_ids(reader) == {first, second}
