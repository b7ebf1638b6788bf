"""What the notification tests share: a real SMTP server on 127.0.0.1 (aiosmtpd), users with addresses."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from pool.actors import Actor
from pool.application import PoolApplication
from projections.core.projection import replay_page
from projections.core.storage import open_reader
from projections.notifications.outbox import Outbox
from projections.registry import NOTIFICATIONS, PROJECTION_CLASSES, open_view
from tests.conftest import SYSTEM

PASSWORD = "correct horse battery"
# Everything personal the test data holds (tests/factories.py): none of it may leave in an e-mail.
PERSONAL = ["Kalle", "Testsson", "Lisa", "Provsdotter", "19721212", "1219", "19800101", "Provgränd",
            "19130", "070-555", "testsson@example.se", "Behöver lugn miljö", "Gärna nära"]


@dataclass
class Inbox:
    """Messages the local SMTP server accepted."""

    messages: list[Message] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.arrived:
            self.messages.append(message_from_bytes(envelope.original_content))
            self.recipients.append(list(envelope.rcpt_tos))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def add_user(app: PoolApplication, username: str, role: str, municipality: str | None = None,
             email: str | None = None, mode: str | None = None) -> Actor:
    app.add_user(SYSTEM, username, role=role, municipality=municipality, password=PASSWORD)
    actor = app.authenticate(username, PASSWORD)
    assert actor is not None
    if email:
        app.set_user_email(SYSTEM, username, email=email)
    if mode:
        app.choose_notifications(actor, mode=mode)
    return actor


def catch_up(app: PoolApplication, *others: str) -> Outbox:
    """Run the notifications projection (and `others`) up to the head, here and now; the outbox."""
    storage = app.storage  # type: ignore[attr-defined]
    reader = open_reader(storage)
    try:
        for name in [*others, NOTIFICATIONS]:
            view = open_view(storage, name)
            projection = PROJECTION_CLASSES[name](view, head=None)
            position = projection.position
            while True:
                position, count = replay_page(reader, projection, position, 500)
                if count == 0:
                    break
    finally:
        reader.close()
    return Outbox(view)


def rows(outbox: Outbox, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    return outbox.view.query(sql, params or [])
