"""The register's queries: pages of families with their interest queues; rows hold names sealed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from projections.contract import Page
from projections.core.encoding import days_since, loads, unbars
from projections.core.queries import ViewQueries


class RegisterQueries(ViewQueries):
    """Mixed into ReadModelsImpl; ``projections.register.unsealing`` opens the names, audited."""

    def _queues(self, family_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        if not family_ids:
            return {}
        marks = ",".join("?" * len(family_ids))
        queues: dict[str, list[dict[str, Any]]] = {}
        for r in self.views["register"].query(
                "SELECT i.*, r.decision_date FROM {s}reg_interests i "
                f"LEFT JOIN {{s}}reg_referrals r ON r.referral_id = i.referral_id WHERE i.family_id IN ({marks}) "
                "ORDER BY i.family_id, i.arrival", family_ids):
            queue = queues.setdefault(r["family_id"], [])
            pending_before = sum(1 for q in queue if q["status"] == "pending")
            queue.append({"interest_id": r["interest_id"], "municipality": r["municipality"],
                          "referral_id": r["referral_id"], "status": r["status"],
                          "queue_position": pending_before + 1 if r["status"] == "pending" else None,
                          "expressed_at": r["expressed_at"], "referral_decision_date": r["decision_date"],
                          "days_since_decision": days_since(r["decision_date"])})
        return queues

    def _register_item(self, r: dict[str, Any], queues: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
        return {"family_id": r["family_id"], "names": loads(r["names"], []), "status": r["status"],
                "kinds": unbars(r["kinds"]), "home_municipality": r["home_municipality"],
                "applied_on": r["applied_on"], "days_waiting": days_since(r["applied_on"]),
                "last_action_at": r["last_action_at"], "days_since_last_action": days_since(r["last_action_at"]),
                "checklist": {"done": r["checklist_done"], "required": r["checklist_required"]},
                "active_placements": r["active_placements"], "home_type": r["home_type"],
                "interest_queue": queues.get(r["family_id"], [])}

    def register(self, status: str | None = None, limit: int = 50, offset: int = 0) -> Page:
        where: list[str] = []
        params: list[Any] = []
        if status:
            where.append("f.status = ?")
            params.append(status)
        rows, total = self._page("register", "SELECT f.* FROM {s}reg_families f", where, params,
                                 "f.applied_on, f.arrival", limit, offset, "{s}reg_families f")
        queues = self._queues([r["family_id"] for r in rows])
        return Page(items=[self._register_item(r, queues) for r in rows], total=total)

    def register_entry(self, family_id: UUID) -> dict[str, Any] | None:
        rows = self.views["register"].query("SELECT f.* FROM {s}reg_families f WHERE f.family_id = ?",
                                            [str(family_id)])
        return self._register_item(rows[0], self._queues([str(family_id)])) if rows else None

    def interest_queue(self, family_id: UUID) -> list[dict[str, Any]]:
        return self._queues([str(family_id)]).get(str(family_id), [])
