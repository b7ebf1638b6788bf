"""The audit trail's query: entries filtered by actor, aggregate, municipality and time."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from projections.contract import AuditFilter, Page
from projections.core.encoding import loads
from projections.core.queries import ViewQueries


def as_utc_text(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds")


class AuditQueries(ViewQueries):
    """Mixed into ReadModelsImpl; reads the audit view only."""

    def audit(self, f: AuditFilter, limit: int = 100, offset: int = 0) -> Page:
        where: list[str] = []
        params: list[Any] = []
        if f.actor:
            where.append("a.actor_username = ?")
            params.append(f.actor)
        if f.aggregate:
            where.append("(a.aggregate_id = ? OR a.subject_id = ? OR a.fields LIKE ?)")
            params += [str(f.aggregate), str(f.aggregate), f'%"family:{f.aggregate}"%']
        if f.municipality:
            where.append("a.municipality = ?")
            params.append(f.municipality)
        if f.since:
            where.append("a.occurred_at >= ?")
            params.append(as_utc_text(f.since))
        if f.until:
            where.append("a.occurred_at < ?")
            params.append(as_utc_text(f.until))
        rows, total = self._page("audit", "SELECT a.* FROM {s}audit_log a", where, params, "a.position DESC",
                                 limit, offset, "{s}audit_log a")
        items = []
        for r in rows:
            item = {k: r[k] for k in ("position", "event_id", "topic", "event_name", "entry_type", "aggregate_type",
                                      "aggregate_id", "aggregate_version", "municipality", "occurred_at")}
            item["actor"] = {"user_id": r["actor_user_id"], "username": r["actor_username"],
                             "role": r["actor_role"], "municipality": r["actor_municipality"]}
            if r["entry_type"] == "access":
                item["access"] = {"subject_type": r["subject_type"], "subject_id": r["subject_id"],
                                  "via": r["via"], "fields": loads(r["fields"], []), "purpose": r["purpose"]}
            elif r["entry_type"] == "denied":
                item["denied"] = {"subject_type": r["subject_type"], "subject_id": r["subject_id"],
                                  "via": r["via"], "reason": r["reason"]}
            items.append(item)
        return Page(items=items, total=total)

    def audit_verification(self) -> dict[str, Any] | None:
        """The outcome of the last `familjepool audit verify`, or None if it never ran on this database."""
        rows = self.views["audit"].query("SELECT * FROM {s}audit_verification WHERE id = 1")
        if not rows:
            return None
        r = rows[0]
        return {"position": int(r["position"]), "entries": int(r["entries"]), "ok": bool(r["ok"]),
                "problem": loads(r["problem"]), "verified_at": r["verified_at"]}
