"""Writes next to the notifications view that no event makes: read marks, outbox states, daily digests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from projections.core.encoding import iso
from projections.core.view import View

MAX_ATTEMPTS = 8  # then the row is "failed": shown to the admin, retried only when asked
OPEN_STATES = ("pending", "retry")


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … at most an hour between tries."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def message_id(outbox_id: str) -> str:
    """Stable per outbox row: a resend after a crash carries the same id, so a client drops the copy."""
    return f"<{outbox_id.replace(':', '.')}@familjepool>"


class Outbox:
    """The notifier's and the pages' writes; every statement is one short transaction."""

    def __init__(self, view: View):
        self.view = view

    def _write(self, sql: str, params: list[Any]) -> int:
        with self.view.datastore.transaction(commit=True) as c:
            c.execute(self.view.sql(sql), params)
            return int(getattr(c, "sqlite_cursor", c).rowcount or 0)  # SQLite: the library wraps its cursor

    # Read marks (the Notiser page) ------------------------------------------------------------------

    def mark_read(self, user_id: str, notice_id: str | None = None, now: datetime | None = None) -> int:
        """Mark one of the user's notices (or all of them) read; the number newly marked."""
        where, params = ("n.user_id = ?", [user_id]) if notice_id is None else (
            "n.user_id = ? AND n.notice_id = ?", [user_id, notice_id])
        return self._write("INSERT INTO {s}notification_reads SELECT n.notice_id, n.user_id, ? FROM {s}nt_notices n "
                           f"WHERE {where} ON CONFLICT (notice_id) DO NOTHING",
                           [iso(now or datetime.now(timezone.utc)), *params])

    def owns(self, user_id: str, notice_id: str) -> bool:
        return bool(self.view.query("SELECT 1 AS x FROM {s}nt_notices WHERE user_id = ? AND notice_id = ?",
                                    [user_id, notice_id]))

    # The sender ------------------------------------------------------------------------------------

    def due(self, now: datetime, limit: int = 50) -> list[dict[str, Any]]:
        return self.view.query("SELECT * FROM {s}notification_outbox WHERE state IN ('pending', 'retry') "
                               "AND next_attempt_at <= ? ORDER BY created_at, outbox_id LIMIT ?", [iso(now), limit])

    def notices_of(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        ids = [i for i in row["notice_ids"].split(",") if i]
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return self.view.query("SELECT n.*, k.seq FROM {s}nt_notices n LEFT JOIN {s}nt_codes k "
                               f"ON k.family_id = n.family_id WHERE n.notice_id IN ({marks}) "
                               "ORDER BY n.position, n.notice_id", ids)

    def role_of(self, user_id: str) -> str | None:
        rows = self.view.query("SELECT role FROM {s}nt_users WHERE user_id = ?", [user_id])
        return rows[0]["role"] if rows else None

    def sent(self, outbox_id: str, now: datetime) -> None:
        self._write("UPDATE {s}notification_outbox SET state = 'sent', sent_at = ?, last_error = '' "
                    "WHERE outbox_id = ?", [iso(now), outbox_id])

    def skipped(self, outbox_id: str, why: str) -> None:
        self._write("UPDATE {s}notification_outbox SET state = 'skipped', last_error = ? WHERE outbox_id = ?",
                    [why, outbox_id])

    def failed_once(self, row: dict[str, Any], error: str, now: datetime) -> str:
        attempts = int(row["attempts"]) + 1
        state = "failed" if attempts >= MAX_ATTEMPTS else "retry"
        self._write("UPDATE {s}notification_outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ? "
                    "WHERE outbox_id = ?", [state, attempts, iso(now + backoff(attempts)), error[:200],
                                            row["outbox_id"]])
        return state

    def retry_failed(self, now: datetime | None = None) -> int:
        """`familjepool notifications retry`: failed rows are tried again at once (attempts start over)."""
        return self._write("UPDATE {s}notification_outbox SET state = 'retry', attempts = 0, next_attempt_at = ? "
                           "WHERE state = 'failed'", [iso(now or datetime.now(timezone.utc))])

    def enqueue_digests(self, now: datetime, hour: int) -> int:
        """From `hour` (UTC) on, one digest per daily-mode user with an address: yesterday's notices."""
        if now.hour < hour:
            return 0
        today = now.astimezone(timezone.utc).date()
        start = iso(datetime.combine(today - timedelta(days=1), datetime.min.time(), timezone.utc))
        end = iso(datetime.combine(today, datetime.min.time(), timezone.utc))
        rows = self.view.query(
            "SELECT n.user_id, n.notice_id FROM {s}nt_notices n JOIN {s}nt_users u ON u.user_id = n.user_id "
            "WHERE u.mode = 'daily' AND u.has_email AND NOT u.disabled AND n.created_at >= ? AND n.created_at < ? "
            "ORDER BY n.user_id, n.position, n.notice_id", [start, end])
        by_user: dict[str, list[str]] = {}
        for r in rows:
            by_user.setdefault(r["user_id"], []).append(r["notice_id"])
        added = 0
        for user_id, ids in by_user.items():
            added += self._write(
                "INSERT INTO {s}notification_outbox VALUES (?, ?, 'digest', ?, ?, 'pending', 0, ?, '', NULL) "
                "ON CONFLICT (outbox_id) DO NOTHING",
                [f"digest:{user_id}:{today.isoformat()}", user_id, ",".join(ids), iso(now), iso(now)])
        return added

    def enqueue_worklists(self, now: datetime, hour: int) -> int:
        """From `hour` (UTC) on, one work-list row a day per pool staff user who wants e-mail and has an address."""
        if now.hour < hour:
            return 0
        today = now.astimezone(timezone.utc).date().isoformat()
        users = self.view.query("SELECT user_id FROM {s}nt_users WHERE role = 'pool_staff' AND mode <> 'none' "
                                "AND has_email AND NOT disabled ORDER BY user_id")
        return sum(self._write("INSERT INTO {s}notification_outbox VALUES (?, ?, 'worklist', '', ?, 'pending', 0, ?, "
                               "'', NULL) ON CONFLICT (outbox_id) DO NOTHING",
                               [f"worklist:{u['user_id']}:{today}", u["user_id"], iso(now), iso(now)]) for u in users)
