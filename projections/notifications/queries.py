"""The notifications read side: a user's notices and unread count, saved searches, the outbox for the admin."""

from __future__ import annotations

from typing import Any

from projections.contract import Page
from projections.core.view import View
from pool.codes import referral_code
from projections.notifications.texts import notice_link, notice_text
from projections.core.encoding import code_of

NOTICE_SELECT = ("SELECT n.*, k.seq, r.read_at FROM {s}nt_notices n "
                 "LEFT JOIN {s}nt_codes k ON k.family_id = n.family_id "
                 "LEFT JOIN {s}notification_reads r ON r.notice_id = n.notice_id")


class NotificationQueries:
    """Mixed into ReadModelsImpl; ``notifications_view`` is the notifier's view (read here, written there)."""

    notifications_view: View

    def notices(self, user_id: str, role: str | None = None, unread_only: bool = False, limit: int = 50,
                offset: int = 0) -> Page:
        v = self.notifications_view
        where = "n.user_id = ?" + (" AND r.read_at IS NULL" if unread_only else "")
        total = v.count("SELECT COUNT(*) AS n FROM {s}nt_notices n LEFT JOIN {s}notification_reads r "
                        f"ON r.notice_id = n.notice_id WHERE {where}", [user_id])
        rows = v.query(f"{NOTICE_SELECT} WHERE {where} ORDER BY n.position DESC, n.notice_id LIMIT ? OFFSET ?",
                       [user_id, limit, offset])
        return Page(items=[notice_item(r, role) for r in rows], total=total)

    def unread_count(self, user_id: str) -> int:
        return self.notifications_view.count(
            "SELECT COUNT(*) AS n FROM {s}nt_notices n LEFT JOIN {s}notification_reads r "
            "ON r.notice_id = n.notice_id WHERE n.user_id = ? AND r.read_at IS NULL", [user_id])

    def saved_searches(self, user_id: str) -> list[dict[str, Any]]:
        rows = self.notifications_view.query(
            "SELECT * FROM {s}nt_searches WHERE user_id = ? AND NOT deleted ORDER BY created_at, search_id",
            [user_id])
        return [search_item(r) for r in rows]

    def outbox(self, states: tuple[str, ...] = ("retry", "failed"), limit: int = 200) -> list[dict[str, Any]]:
        """Outbox rows by state (no addresses here: only ids, counts and the error's type)."""
        marks = ",".join("?" * len(states))
        return self.notifications_view.query(
            "SELECT o.outbox_id, o.kind, o.state, o.attempts, o.created_at, o.next_attempt_at, o.last_error, "
            f"o.sent_at, u.username FROM {{s}}notification_outbox o LEFT JOIN {{s}}nt_users u ON u.user_id = o.user_id "
            f"WHERE o.state IN ({marks}) ORDER BY o.created_at, o.outbox_id LIMIT ?", [*states, limit])

    def outbox_counts(self) -> dict[str, int]:
        """Outbox rows per state (pending, retry, sent, failed, skipped), for /metrics: the outbox is the
        truth about notifications whichever process queued or sent them, so a scrape reads it."""
        rows = self.notifications_view.query(
            "SELECT state, COUNT(*) AS n FROM {s}notification_outbox GROUP BY state")
        return {str(r["state"]): int(r["n"]) for r in rows}

    def notifications_position(self) -> int:
        return self.notifications_view.position()


def notice_item(row: dict[str, Any], role: str | None) -> dict[str, Any]:
    return {"id": row["notice_id"], "kind": row["kind"], "text": notice_text(row), "link": notice_link(row, role),
            "family_code": code_of(row.get("seq")), "referral_code": referral_code(row.get("referral_id")),
            "referral_id": row.get("referral_id"), "created_at": row["created_at"],
            "read": row.get("read_at") is not None}


def search_item(row: dict[str, Any]) -> dict[str, Any]:
    criteria = {k: row[k] for k in ("kind", "child_age", "language", "area") if row[k] is not None}
    if row["siblings"] is not None:
        criteria["siblings"] = bool(row["siblings"])
    return {"id": row["search_id"], "criteria": criteria, "referral_id": row["referral_id"],
            "referral_code": referral_code(row["referral_id"]), "created_at": row["created_at"]}


def wait_until(view: View, position: int | None, timeout: float = 2.0) -> bool:
    """Until the notifier's view has applied `position` (it runs apart: the API does not wait for it)."""
    import time

    if position is None:
        return True
    from projections.notifications.projection import NotificationsProjection

    deadline = time.monotonic() + timeout
    # Applied or stepped over: the runner writes no tracking row for an event it ignores (lazy skips).
    while view.applied_through(view.position(), position, NotificationsProjection.topics) < position:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True
