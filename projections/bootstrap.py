"""The read side the API opens in its lifespan: ``open_read_models(app, run_projections)``.

``ReadModelsImpl`` implements ``projections.contract.ReadModels`` by querying the views (indexed
tables; nothing here replays events). With ``run_projections=True`` it also runs the projections
in this process (embedded mode); otherwise another process runs them (worker mode) and
``wait_for`` waits for the worker's announcements (PostgreSQL LISTEN/NOTIFY,
``projections/core/announce.py``), reading the tracking tables as the truth.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime
from typing import Any

from pool.settings import Storage, parse_database_url
from projections.audit.queries import AuditQueries
from projections.catalogue.queries import CatalogueQueries
from projections.contract import ProjectionStatus
from projections.core.announce import FlushListener
from projections.core.failures import FailureLog
from projections.core.history import AsOfView
from projections.core.storage import as_storage, open_datastore, open_reader
from projections.core.view import View
from projections.municipality.queries import MunicipalityQueries
from projections.notifications.queries import NotificationQueries
from projections.register.courses import CourseQueries
from projections.register.queries import RegisterQueries
from projections.register.worklist import WorklistQueries
from projections.registry import NAMES, NOTIFICATIONS, PROJECTION_CLASSES
from projections.core.lock import ProjectionBusyError
from projections.runtime import ProjectionRuntime, open_view
from projections.steering.queries import SteeringQueries
from projections.steering.statistics import StatisticsQueries


log = logging.getLogger("familjepool.projections")


class ReadModelsImpl(CatalogueQueries, MunicipalityQueries, RegisterQueries, CourseQueries, AuditQueries,
                     SteeringQueries, StatisticsQueries, NotificationQueries, WorklistQueries):
    """Queries over the views; every municipality-scoped query filters by the member."""

    def __init__(self, storage: Storage | str, runtime: ProjectionRuntime | None = None, app: Any = None,
                 sealer: Any = None):
        self.storage = as_storage(storage)
        self.runtime = runtime
        self._app = app
        # Opens the sealed descriptions the catalogue keeps (none: a catalogue card has no description).
        self.sealer = sealer if sealer is not None else getattr(app, "sealer", None)
        self._hooked: Any = None
        open_reader(self.storage).close()  # the events table exists before a view asks for the head
        self._datastore = open_datastore(self.storage, pool_size=2, max_overflow=8)
        self.views: dict[str, View] = {n: open_view(self.storage, n, self._datastore) for n in NAMES}
        # Written by the notifier (its own runner, maybe its own process); read here for the pages.
        self.notifications_view = open_view(self.storage, NOTIFICATIONS, self._datastore)
        self.notifier: Any = None
        self.failures = FailureLog(self.storage, self._datastore)
        # Worker mode on PostgreSQL: hear the worker's flushes instead of polling every view.
        self.listener = FlushListener(self.storage) if runtime is None and self.storage.backend == "postgres" else None

    # Lifecycle -----------------------------------------------------------------------------------

    def close(self) -> None:
        if self._app is not None and self._hooked is not None:
            self._app.__dict__.pop("_notify", None)
        if self.notifier is not None:
            self.notifier.stop()
            self.notifier = None
        if self.runtime is not None:
            self.runtime.stop()
            self.runtime = None
        if self.listener is not None:
            self.listener.close()
        self._datastore.close()

    def __enter__(self) -> ReadModelsImpl:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def hook(self, app: Any) -> None:
        """Wake the in-process runners as soon as this process saves something."""
        if self.runtime is None:
            return
        original = app._notify
        runtime = self.runtime
        read_models = self

        def _notify(recordings: Any) -> None:
            original(recordings)
            runtime.wake()
            if read_models.notifier is not None:
                read_models.notifier.wake()

        app._notify = _notify
        self._app, self._hooked = app, _notify

    # As the system knew it ---------------------------------------------------------------------------

    def at(self, as_of: datetime | None) -> ReadModelsImpl:
        """These read models over the row versions valid at `as_of`: the same query code, the historised
        tables replaced (projections/core/history.py). Views that keep no history are left out, so a
        query that would read them fails instead of mixing today's rows into the past."""
        if as_of is None:
            return self
        past = object.__new__(type(self))
        past.__dict__.update(self.__dict__)
        past.views = {n: AsOfView(v, as_of) for n, v in self.views.items() if v.HISTORY}  # type: ignore[misc]
        past.as_of = as_of
        return past

    # Read-your-writes and status -------------------------------------------------------------------

    def wait_for(self, position: int | None, timeout: float = 2.0) -> bool:
        if position is None:
            return True
        if self.runtime is not None:
            return self.runtime.wait_for(position, timeout)
        deadline = time.monotonic() + timeout
        halted: dict[str, int] | None = None
        known: dict[str, int] = {}
        read_at = -1.0
        while True:  # another process runs the projections
            now = time.monotonic()
            # The tracking tables are the truth: read at first and every 250 ms; in between (on
            # PostgreSQL) the worker's announcements wake this thread as each view commits.
            if self.listener is None or now - read_at >= 0.25:
                known, read_at = {n: view.position() for n, view in self.views.items()}, now
            heard = self.listener.heard if self.listener is not None else (lambda name: 0)
            behind = [n for n in self.views if max(known[n], heard(n)) < position]
            for n in behind:  # the events after its tracking row may all be ones it ignores (lazy skips)
                known[n] = self.views[n].applied_through(known[n], position, PROJECTION_CLASSES[n].topics)
            behind = [n for n in behind if max(known[n], heard(n)) < position]
            if not behind:
                return True
            if halted is None:  # one look at the failures per wait: a halted view never catches up
                halted = self._halted(known)
            remaining = deadline - now
            if all(n in halted and halted[n] <= position for n in behind) or remaining <= 0:
                return False
            if self.listener is None:
                time.sleep(0.01)  # SQLite: no notifications between processes
                continue
            with self.listener.condition:
                if all(self.listener.heard(n) < position for n in behind):
                    self.listener.wait(min(remaining, 0.25))

    def _halted(self, positions: dict[str, int]) -> dict[str, int]:
        if self.runtime is not None:
            return self.runtime.halted()
        return {str(r["projection"]): int(r["notification_id"]) for r in self.failures.open_rows(positions)
                if r["state"] != "parked"}

    def status(self) -> list[ProjectionStatus]:
        head = next(iter(self.views.values())).head()
        positions = {n: v.applied_through(v.position(), head, PROJECTION_CLASSES[n].topics)
                     for n, v in self.views.items()}
        failed = self.failures.open_rows(positions)
        result = []
        for n, position in positions.items():
            mine = [r for r in failed if r["projection"] == n]
            halted = [int(r["notification_id"]) for r in mine if r["state"] != "parked"]
            result.append(ProjectionStatus(name=n, position=position, head=head, lag=max(head - position, 0),
                                           halted_at=halted[0] if halted else None,
                                           parked=len(mine) - len(halted)))
        return result

def start_embedded(app: Any, *, batch_size: int | None = None, poll_interval: float = 0.05) -> ReadModelsImpl:
    """Run every projection in this process (threads) and return the read models over them."""
    storage = getattr(app, "storage", None) or parse_database_url(app.env_url)  # type: ignore[attr-defined]
    kwargs: dict[str, Any] = {"poll_interval": poll_interval}
    if batch_size:
        kwargs["batch_size"] = batch_size
    runtime = ProjectionRuntime(storage, **kwargs).start()
    try:
        read_models = ReadModelsImpl(storage, runtime, sealer=getattr(app, "sealer", None))
    except BaseException:
        runtime.stop()
        raise
    read_models.hook(app)
    if os.environ.get("FAMILJEPOOL_RUN_NOTIFIER", "1") != "0":
        start_notifier(read_models, app, storage, poll_interval)
    return read_models


def start_notifier(read_models: ReadModelsImpl, app: Any, storage: Storage, poll_interval: float = 0.05) -> None:
    """Embedded mode runs the notifier too, unless another process already does (its lock is taken)."""
    from projections.notifications.worker import Notifier

    try:
        read_models.notifier = Notifier(storage, app, poll_interval=poll_interval).start()
    except ProjectionBusyError:
        log.info("the notifier runs in another process; not starting one here")


def open_read_models(app: Any, run_projections: bool = True) -> ReadModelsImpl:
    """The API's entry point: embedded runners (default) or worker mode (``run_projections=False``)."""
    if run_projections:
        return start_embedded(app)
    return ReadModelsImpl(app.storage, sealer=app.sealer)
