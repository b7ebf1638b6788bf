"""Rebuilding a projection into new tables (swapped in when complete) and every projection's status."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any

from eventsourcing.persistence import Tracking

from pool.settings import Storage
from projections.core.failures import BadEvent, FailureLog, is_transient, parks
from projections.core.lock import RunnerLock
from projections.core.projection import EventFailed, replay_carefully, replay_page
from projections.core.storage import EventReader, as_storage, open_datastore, open_reader
from projections.core.view import APPLICATION_NAME, REBUILD_SUFFIX, View
from projections.core.schemas import ViewSchemas
from projections.registry import NAMES, PROJECTION_CLASSES, open_view, view_fingerprint


class RebuildFailed(RuntimeError):
    """A rebuild met an event it cannot apply and halts: the served tables are untouched."""

    def __init__(self, name: str, bad: BadEvent):
        super().__init__(f"projection '{name}' cannot apply event {bad.notification_id} ({bad.topic}, "
                         f"{bad.error_type}); the old view still serves. Fix the cause, or park bad events "
                         f"of this projection (FAMILJEPOOL_PARK_BAD_EVENTS={name}) and rebuild again")
        self.bad = bad


def rebuild(storage: Storage | str, name: str, *, batch_size: int = 1000,
            progress: Callable[[int, int], None] | None = None, lock_held: bool = False) -> int:
    """Replay every event into new tables and swap them in; refuse while a runner holds the projection.

    Until the swap the old tables serve; a rebuild that fails (or is killed) leaves them as they
    were and its own tables are dropped (now, or by the next rebuild).
    """
    storage = as_storage(storage)
    lock = RunnerLock(storage, name)
    if not lock_held:  # a runner that found its view stale holds the lock already
        lock.acquire(wait=False)
    reader = open_reader(storage)
    datastore = open_datastore(storage)
    try:
        failures = FailureLog(storage, datastore)
        view = open_view(storage, name, datastore, suffix=REBUILD_SUFFIX)
        view.discard_rebuild()  # what an interrupted rebuild left
        view = open_view(storage, name, datastore, suffix=REBUILD_SUFFIX)
        try:
            applied, parked = _replay_all(reader, view, name, failures, batch_size, progress)
        except BaseException:
            view.discard_rebuild()
            raise
        view.swap()
        ViewSchemas(view).record(name, view_fingerprint(view))
        analyze(storage, view)
        failures.resolve_all(name, keep=parked)  # the new view holds every event but those it parked
        return applied
    finally:
        datastore.close()
        reader.close()
        if not lock_held:
            lock.release()


def analyze(storage: Storage, view: View) -> None:
    """Fresh planner statistics for a view's tables: right after a rebuild PostgreSQL has none and
    picks slow plans (a filtered catalogue query went from 8 to 33 ms) until autovacuum comes by."""
    if storage.backend != "postgres":
        return
    with view.datastore.transaction(commit=True) as c:
        for table in [*view.TABLES, f"{view.name}_tracking"]:
            c.execute(view.translate(f"ANALYZE {{s}}{table}"))


def _replay_all(reader: EventReader, view: View, name: str, failures: FailureLog, batch_size: int,
                progress: Callable[[int, int], None] | None) -> tuple[int, set[int]]:
    head = reader.recorder.max_notification_id() or 0
    position, applied, parked = 0, 0, set()
    while True:
        projection = PROJECTION_CLASSES[name](view, head=None, batch_size=batch_size)
        try:
            position, count = replay_page(reader, projection, position, batch_size)
        except Exception as e:  # noqa: BLE001 - find the event, one transaction each
            if is_transient(e):
                raise
            projection = PROJECTION_CLASSES[name](view, head=None, batch_size=1)
            try:
                applied += replay_carefully(reader, projection, view.position(), batch_size)
            except EventFailed as failed:
                if not parks(name):
                    raise RebuildFailed(name, failed.bad) from None
                failures.record(name, failed.bad, "parked")
                view.apply_batch([], Tracking(APPLICATION_NAME, failed.bad.notification_id))
                parked.add(failed.bad.notification_id)
                applied += 1
            position = view.position()
            continue
        applied += count
        if progress is not None:
            progress(position, head)
        if count < batch_size:
            return applied, parked


def position_at(reader: EventReader, moment: datetime, page: int = 1000) -> int:
    """The last notification recorded at or before `moment` (by the events' own recording times)."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    position, after = 0, 0
    while True:
        notifications = reader.recorder.select_notifications(after, page, inclusive_of_start=False)
        for n in notifications:
            if reader.mapper.to_domain_event(n).timestamp > moment:
                return position
            position = n.id
        if len(notifications) < page:
            return position
        after = notifications[-1].id


def replay_until(storage: Storage | str, name: str, moment: datetime, datastore: Any,
                 suffix: str = "__until", batch_size: int = 1000) -> View:
    """A view of its own tables (`suffix`) built from only the events recorded up to `moment`.

    What an ``as_of`` answer must equal (tests/integration/test_as_of.py) and the replay that
    benchmarks/as_of.py measures the history tables against; the served tables are not touched.
    """
    storage = as_storage(storage)
    reader = open_reader(storage)
    try:
        view = open_view(storage, name, datastore, suffix=suffix)
        view.discard_rebuild()
        view = open_view(storage, name, datastore, suffix=suffix)
        stop = position_at(reader, moment)
        projection = PROJECTION_CLASSES[name](view, head=None, batch_size=batch_size)
        position = 0
        while position < stop:
            position, count = replay_page(reader, projection, position, batch_size, stop=stop)
            if count < batch_size:
                break
        return view
    finally:
        reader.close()


def status(storage: Storage | str, names: Iterable[str] = NAMES) -> list[dict[str, Any]]:
    storage = as_storage(storage)
    open_reader(storage).close()
    datastore = open_datastore(storage)
    try:
        result = []
        views = {name: open_view(storage, name, datastore) for name in names}
        head = next(iter(views.values())).head() if views else 0
        # Applied or stepped over: a live runner writes no tracking row for the events a view ignores.
        positions = {name: v.applied_through(v.position(), head, PROJECTION_CLASSES[name].topics)
                     for name, v in views.items()}
        failed = FailureLog(storage, datastore).open_rows(positions)
        for name in names:
            view = views[name]
            position = positions[name]
            held = RunnerLock(storage, name).is_held()
            mine = [r for r in failed if r["projection"] == name]
            halted = [int(r["notification_id"]) for r in mine if r["state"] != "parked"]
            result.append({"name": name, "position": position, "head": head, "lag": max(head - position, 0),
                           "runner": "running" if held else "stopped",
                           "state": f"halted at {halted[0]}" if halted else "ok",
                           "parked": len(mine) - len(halted)})
        return result
    finally:
        datastore.close()
