"""The notifier: the notifications projection's runner plus the sender loop, in one process of its own.

``familjepool notifications run`` runs it; ``serve --workers N`` and docker-compose's ``notifier``
service start one; the embedded ``serve`` (and ``make run``) run it in the API process. The
projection part reuses projections/core (its own tracking table, one runner per database by
lock, halting at a bad event); the sender reads the outbox the projection fills.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from pool.actors import Actor
from pool.settings import Storage
from projections.core.storage import as_storage
from projections.notifications.outbox import Outbox
from projections.notifications.sender import Sender, SmtpSettings
from projections.registry import NOTIFICATIONS, open_view
from projections.runtime import ProjectionWorker

log = logging.getLogger("familjepool.notifications")
NOTIFIER = Actor.system("notifier")
SENDER_GAP = 0.5  # seconds between two sending rounds at least


def digest_hour() -> int:
    return int(os.environ.get("FAMILJEPOOL_DIGEST_HOUR_UTC", "6") or 6)


def addresses_from(app: Any) -> Callable[[str], str | None]:
    """Each send opens the user's sealed address through the application: an audited read."""

    def address_of(user_id: str) -> str | None:
        return app.notification_address(NOTIFIER, UUID(user_id), via="notifier")

    return address_of


class Notifier:
    def __init__(self, storage: Storage | str, app: Any, *, settings: SmtpSettings | None = None,
                 use_env_settings: bool = True, poll_interval: float = 0.05, send_interval: float = 5.0,
                 after_send: Callable[[dict[str, Any]], None] | None = None):
        self.storage = as_storage(storage)
        self.app = app
        self.settings = settings if settings is not None or not use_env_settings else SmtpSettings.from_env()
        self.send_interval = send_interval
        self.after_send = after_send
        self.worker = ProjectionWorker(self.storage, NOTIFICATIONS, on_flush=self._flushed,
                                       poll_interval=poll_interval)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def _flushed(self, name: str, position: int) -> None:
        self._wake.set()  # new notices may be in the outbox

    def start(self, wait_lock: bool = False) -> Notifier:
        self.worker.start(wait_lock=wait_lock)
        self._thread = threading.Thread(target=self._run, name="notifier-sender", daemon=True)
        self._thread.start()
        if self.settings is None:
            log.info("notifier: no FAMILJEPOOL_SMTP_HOST; notices stay in the product only")
        return self

    def wake(self) -> None:
        self.worker.wake()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self.worker.stop()

    def _run(self) -> None:
        view = open_view(self.storage, NOTIFICATIONS)
        sender = Sender(Outbox(view), self.settings, addresses_from(self.app), after_send=self.after_send)
        try:
            while not self._stop.is_set():
                self._wake.clear()
                try:
                    sender.outbox.enqueue_digests(datetime.now(timezone.utc), digest_hour())
                    sender.outbox.enqueue_worklists(datetime.now(timezone.utc), digest_hour())
                    sender.send_due()
                except Exception as e:  # noqa: BLE001 - a lost database: try again at the next round
                    self.error = e
                    log.warning("notifier: sending interrupted (%s)", type(e).__name__)
                # A burst of commands flushes the view once per event: one round per gap covers them all
                # (three queries a round; issue 14, write path). A notice waits at most this much longer.
                self._stop.wait(SENDER_GAP)
                self._wake.wait(self.send_interval)
        finally:
            view.datastore.close()

    def run_forever(self, stop: threading.Event | None = None) -> None:
        stop = stop or threading.Event()
        while not stop.wait(0.5):
            pass
