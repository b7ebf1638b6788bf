"""The municipality views' queries; every one takes the member to scope by."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from projections.contract import Page
from projections.core.encoding import code_of, days_since
from projections.core.queries import ViewQueries


class MunicipalityQueries(ViewQueries):
    """Mixed into ReadModelsImpl; ``municipality=None`` means every member (the API decides who may)."""

    def _referral_items(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        proposals: dict[str, list[dict[str, Any]]] = {}
        if rows:
            ids = [r["referral_id"] for r in rows]
            marks = ",".join("?" * len(ids))
            for p in self.views["municipality"].query(
                    f"SELECT p.referral_id, p.family_id, k.seq FROM {{s}}mv_proposals p "
                    f"LEFT JOIN {{s}}mv_codes k ON k.family_id = p.family_id WHERE p.referral_id IN ({marks}) "
                    "ORDER BY p.proposed_at, k.seq", ids):
                proposals.setdefault(p["referral_id"], []).append(
                    {"family_id": p["family_id"], "code": code_of(p["seq"])})
        return [{
            "referral_id": r["referral_id"], "municipality": r["municipality"], "status": r["status"],
            "kind": r["kind"], "legal_basis": r["legal_basis"], "decision_date": r["decision_date"],
            "days_since_decision": days_since(r["decision_date"]), "child_birth_month": r["child_birth_month"],
            "registered_at": r["registered_at"], "updated_at": r["updated_at"],
            "proposed_families": proposals.get(r["referral_id"], []),
        } for r in rows]

    def referrals(self, municipality: str | None, status: str | None = None, limit: int = 50,
                  offset: int = 0) -> Page:
        where: list[str] = []
        params: list[Any] = []
        self._scope(municipality, "r.municipality", where, params)
        if status:
            where.append("r.status = ?")
            params.append(status)
        rows, total = self._page("municipality", "SELECT r.* FROM {s}mv_referrals r", where, params,
                                 "r.decision_date, r.referral_id", limit, offset, "{s}mv_referrals r")
        return Page(items=self._referral_items(rows), total=total)

    def referral(self, referral_id: UUID, municipality: str | None) -> dict[str, Any] | None:
        where, params = ["r.referral_id = ?"], [str(referral_id)]
        self._scope(municipality, "r.municipality", where, params)
        rows = self.views["municipality"].query(f"SELECT r.* FROM {{s}}mv_referrals r WHERE {' AND '.join(where)}",
                                                params)
        return self._referral_items(rows)[0] if rows else None

    # A pending interest rests ("vilande") while its family is unpublished, withdrawn or has no place
    # left (all taken by active placements or promised to brokered links); its position then is none,
    # and when the family is available again the queue resumes in arrival order. A family the view
    # has no row for (events from before the queue's tables, until a rebuild) counts as available.
    INTEREST_SELECT = (
        "SELECT i.*, k.seq, x.broker_reason_code, x.link_outcome, "
        "CASE WHEN f.family_id IS NOT NULL AND (f.available = 0 OR f.capacity "
        "- (SELECT COUNT(*) FROM {s}mv_placements p WHERE p.family_id = i.family_id AND p.end_date IS NULL) "
        "- (SELECT COUNT(*) FROM {s}mv_interests b WHERE b.family_id = i.family_id AND b.status = 'brokered') "
        "<= 0) THEN 1 ELSE 0 END AS family_resting, "
        "CASE WHEN i.status = 'pending' THEN (SELECT COUNT(*) FROM {s}mv_interests q "
        "WHERE q.family_id = i.family_id AND q.status = 'pending' AND q.arrival <= i.arrival) END AS queue_position "
        "FROM {s}mv_interests i LEFT JOIN {s}mv_codes k ON k.family_id = i.family_id "
        "LEFT JOIN {s}mv_queue_families f ON f.family_id = i.family_id "
        "LEFT JOIN {s}mv_interest_extra x ON x.interest_id = i.interest_id")

    def _interest_items(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        referrals: dict[str, list[str]] = {}
        passes: dict[str, list[str]] = {}
        if rows:
            ids = [r["interest_id"] for r in rows]
            marks = ",".join("?" * len(ids))
            view = self.views["municipality"]
            for a in view.query(f"SELECT a.interest_id, a.referral_id FROM {{s}}mv_interest_referrals a "
                                f"WHERE a.interest_id IN ({marks}) ORDER BY a.referral_id", ids):
                referrals.setdefault(a["interest_id"], []).append(a["referral_id"])
            for p in view.query(f"SELECT p.interest_id, p.reason_code FROM {{s}}mv_passes p "
                                f"WHERE p.interest_id IN ({marks}) ORDER BY p.passed_at", ids):
                passes.setdefault(p["interest_id"], []).append(p["reason_code"])
        return [self._interest_item(r, referrals.get(r["interest_id"]), passes.get(r["interest_id"], []))
                for r in rows]

    @staticmethod
    def _interest_item(r: dict[str, Any], referral_ids: list[str] | None, passed_by: list[str]) -> dict[str, Any]:
        resting = r["status"] == "pending" and bool(r["family_resting"])
        return {"interest_id": r["interest_id"], "municipality": r["municipality"], "family_id": r["family_id"],
                "family_code": code_of(r["seq"]), "referral_id": r["referral_id"], "status": r["status"],
                "queue_position": None if resting else r["queue_position"], "resting": resting,
                "brokered": r["status"] == "brokered",
                "referral_ids": referral_ids or ([r["referral_id"]] if r["referral_id"] else []),
                "broker_reason_code": r["broker_reason_code"], "link_outcome": r["link_outcome"],
                "passed_by": passed_by, "expressed_at": r["expressed_at"], "updated_at": r["updated_at"]}

    def interests(self, municipality: str | None, status: str | None = None, limit: int = 50,
                  offset: int = 0) -> Page:
        where: list[str] = []
        params: list[Any] = []
        self._scope(municipality, "i.municipality", where, params)
        if status:
            where.append("i.status = ?")
            params.append(status)
        rows, total = self._page("municipality", self.INTEREST_SELECT, where, params, "i.arrival", limit, offset,
                                 "{s}mv_interests i")
        return Page(items=self._interest_items(rows), total=total)

    def interest(self, interest_id: UUID, municipality: str | None) -> dict[str, Any] | None:
        where, params = ["i.interest_id = ?"], [str(interest_id)]
        self._scope(municipality, "i.municipality", where, params)
        rows = self.views["municipality"].query(f"{self.INTEREST_SELECT} WHERE {' AND '.join(where)}", params)
        return self._interest_items(rows)[0] if rows else None

    PLACEMENT_SELECT = ("SELECT p.*, k.seq FROM {s}mv_placements p "
                        "LEFT JOIN {s}mv_codes k ON k.family_id = p.family_id")

    @staticmethod
    def _placement_item(r: dict[str, Any], today: date | None = None) -> dict[str, Any]:
        # Overdue depends on today's date: never stored, always asked of the planned end at read time.
        today_iso = (today or date.today()).isoformat()
        return {"placement_id": r["placement_id"], "municipality": r["municipality"], "family_id": r["family_id"],
                "family_code": code_of(r["seq"]), "kind": r["kind"], "referral_id": r["referral_id"],
                "start_date": r["start_date"], "planned_end_date": r["planned_end_date"],
                "end_date": r["end_date"], "end_reason": r["end_reason"],
                "child_birth_month": r["child_birth_month"], "active": r["end_date"] is None,
                "overdue": r["end_date"] is None and r["planned_end_date"] < today_iso,
                "age_override": bool(r["age_override"])}

    def placements(self, municipality: str | None, active: bool | None = None, limit: int = 50,
                   offset: int = 0, overdue: bool | None = None, today: date | None = None) -> Page:
        """`overdue`: past the planned end and not ended (True), or not so (False), on `today`."""
        today = today or date.today()
        where: list[str] = []
        params: list[Any] = []
        self._scope(municipality, "p.municipality", where, params)
        if active is not None:
            where.append("p.end_date IS NULL" if active else "p.end_date IS NOT NULL")
        if overdue is not None:
            where.append("(p.end_date IS NULL AND p.planned_end_date < ?)" if overdue
                         else "(p.end_date IS NOT NULL OR p.planned_end_date >= ?)")
            params.append(today.isoformat())
        rows, total = self._page("municipality", self.PLACEMENT_SELECT, where, params,
                                 "p.start_date, p.placement_id", limit, offset, "{s}mv_placements p")
        return Page(items=[self._placement_item(r, today) for r in rows], total=total)

    def placement(self, placement_id: UUID, municipality: str | None) -> dict[str, Any] | None:
        where, params = ["p.placement_id = ?"], [str(placement_id)]
        self._scope(municipality, "p.municipality", where, params)
        rows = self.views["municipality"].query(f"{self.PLACEMENT_SELECT} WHERE {' AND '.join(where)}", params)
        return self._placement_item(rows[0]) if rows else None
