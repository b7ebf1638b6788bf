"""The read side for a CLI command: the views, up to date, without running projections of its own.

While a server or worker runs the projections (it holds their runner locks) the command only
reads and waits for them to reach the head of the event store. When nothing runs them (an
operator on a stopped service, or the development database) it applies the missing events once,
holding each lock for just that catch-up, so the answer is never stale. It never starts a runner,
so it never refuses with ProjectionBusyError and never keeps a starting service from its locks
for longer than the catch-up.
"""

from __future__ import annotations

from typing import Any

import typer

from pool.settings import Storage
from projections.bootstrap import ReadModelsImpl
from projections.core.lock import RunnerLock
from projections.core.projection import replay_page
from projections.core.storage import open_reader
from projections.registry import NAMES, PROJECTION_CLASSES
from projections.runtime import open_view

CATCH_UP_SECONDS = 60.0
BATCH_SIZE = 1000


def catch_up_if_idle(storage: Storage, name: str) -> bool:
    """Apply what projection `name` lacks if no runner has it; False if a runner has it."""
    lock = RunnerLock(storage, name)
    if not lock.try_acquire():
        lock.release()
        return False
    try:
        view = open_view(storage, name)
        reader = open_reader(storage, create_table=False)
        try:
            projection = PROJECTION_CLASSES[name](view, head=None, batch_size=BATCH_SIZE)
            position, count = projection.position, BATCH_SIZE
            while count == BATCH_SIZE:
                position, count = replay_page(reader, projection, position, BATCH_SIZE)
        finally:
            reader.close()
            view.datastore.close()
    finally:
        lock.release()
    return True


def open_views(app: Any, timeout: float = CATCH_UP_SECONDS) -> ReadModelsImpl:
    """Read models over the views, caught up with the event store as it was when the command began."""
    storage: Storage = app.storage
    head = app.recorder.max_notification_id() or 0
    read_models = ReadModelsImpl(storage, sealer=app.sealer)
    try:
        for name in NAMES:
            catch_up_if_idle(storage, name)
        if not read_models.wait_for(head, timeout=timeout):
            typer.echo(f"error: the read models did not catch up with the event store within {timeout:.0f} s; "
                       "see `familjepool projections status`", err=True)
            raise typer.Exit(1)
    except BaseException:
        read_models.close()
        raise
    return read_models
