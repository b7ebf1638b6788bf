"""Sending the outbox by SMTP: at least once, with a stable Message-ID, retried with back-off.

A row is marked sent only after the server accepted the message. A crash between the two sends
the message again on restart with the same ``Message-ID`` (``<outbox-id@familjepool>``), which
mail clients and servers use to drop the duplicate: SMTP offers no way to make the transaction
itself idempotent. A failing server only delays the notifier, never a command.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from projections.notifications.outbox import Outbox, message_id
from projections.notifications.texts import email_text
from projections.notifications.worklist import worklist, worklist_text

log = logging.getLogger("familjepool.notifications")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    starttls: bool = True
    user: str = ""
    password: str = ""
    sender: str = "familjepoolen@localhost"
    timeout: float = 20.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> SmtpSettings | None:
        """FAMILJEPOOL_SMTP_*; None without a host (notices then stay in the product only)."""
        env = dict(os.environ) if env is None else env
        host = env.get("FAMILJEPOOL_SMTP_HOST", "").strip()
        if not host:
            return None
        return cls(host=host, port=int(env.get("FAMILJEPOOL_SMTP_PORT", "587") or 587),
                   starttls=env.get("FAMILJEPOOL_SMTP_STARTTLS", "1").strip().lower() not in ("0", "false", "no", ""),
                   user=env.get("FAMILJEPOOL_SMTP_USER", ""), password=env.get("FAMILJEPOOL_SMTP_PASSWORD", ""),
                   sender=env.get("FAMILJEPOOL_SMTP_SENDER", "") or "familjepoolen@localhost")


def base_url(env: dict[str, str] | None = None) -> str:
    return (env if env is not None else os.environ).get("FAMILJEPOOL_BASE_URL", "") or "http://localhost:8000"


class Sender:
    """Sends due outbox rows; ``address_of(user_id)`` opens the (sealed, audited) address or None."""

    def __init__(self, outbox: Outbox, settings: SmtpSettings | None, address_of: Callable[[str], str | None],
                 url: str | None = None, after_send: Callable[[dict[str, Any]], None] | None = None):
        self.outbox = outbox
        self.settings = settings
        self.address_of = address_of
        self.url = url or base_url()
        self.after_send = after_send  # tests: a crash between the server's "250 OK" and marking the row

    def message(self, row: dict[str, Any], to: str, now: datetime | None = None) -> EmailMessage | None:
        if row["kind"] == "worklist":  # composed now: the day's state of the cases
            today = (now or datetime.now(timezone.utc)).date()
            text = worklist_text(worklist(self.outbox.view, row["user_id"], today), self.url)
            if text is None:
                return None
            subject, body = text
        else:
            notices = self.outbox.notices_of(row)
            if not notices:
                return None
            subject, body = email_text(notices, self.outbox.role_of(row["user_id"]), self.url,
                                       row["kind"] == "digest")
        msg = EmailMessage()
        msg["From"] = self.settings.sender if self.settings else "familjepoolen@localhost"
        msg["To"] = to
        msg["Subject"] = subject
        msg["Date"] = formatdate(usegmt=True)
        msg["Message-ID"] = message_id(row["outbox_id"])
        msg.set_content(body)
        return msg

    def send_due(self, now: datetime | None = None, limit: int = 50) -> int:
        """Try every due row once; the number sent."""
        now = now or datetime.now(timezone.utc)
        rows = self.outbox.due(now, limit)
        if not rows:
            return 0
        if self.settings is None:
            for row in rows:
                self.outbox.skipped(row["outbox_id"], "no_smtp_host")
            return 0
        sent = 0
        smtp: smtplib.SMTP | None = None
        try:
            for row in rows:
                to = self.address_of(row["user_id"])
                msg = self.message(row, to, now) if to else None
                if msg is None:
                    self.outbox.skipped(row["outbox_id"], "no_address" if not to else "nothing_to_report")
                    continue
                try:
                    smtp = smtp or self._connect()
                    smtp.send_message(msg)
                except Exception as e:  # noqa: BLE001 - the server's trouble: retry later, never lose the row
                    error = f"{type(e).__name__} {getattr(e, 'smtp_code', '')}".strip()
                    state = self.outbox.failed_once(row, error, now)
                    log.warning("notification %s not sent (%s); %s", row["outbox_id"], error, state)
                    smtp = self._close(smtp)
                    continue
                if self.after_send is not None:
                    self.after_send(row)
                self.outbox.sent(row["outbox_id"], datetime.now(timezone.utc))
                sent += 1
        finally:
            self._close(smtp)
        return sent

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        assert s is not None
        smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        if s.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if s.user:
            smtp.login(s.user, s.password)
        return smtp

    @staticmethod
    def _close(smtp: smtplib.SMTP | None) -> None:
        if smtp is not None:
            try:
                smtp.quit()
            except Exception:  # noqa: BLE001 - a broken connection is closed either way
                smtp.close()
        return None
