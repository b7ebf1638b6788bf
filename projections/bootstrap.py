"""The read side the API opens in its lifespan: ``open_read_models(app, run_projections)``.

``ReadModelsImpl`` implements ``projections.contract.ReadModels`` by querying the views (indexed
tables; nothing here replays events). With ``run_projections=True`` it also runs the projections
in this process (embedded mode); otherwise another process runs them (worker mode) and
``wait_for`` polls the tracking tables.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from pool.settings import Storage, parse_database_url
from projections.core.encoding import code_of, days_since, loads, unbars
from projections.catalogue.queries import CatalogueQueries
from projections.contract import AuditFilter, Page, ProjectionStatus
from projections.registry import NAMES
from projections.statistics import StatisticsQueries
from projections.steering_queries import SteeringQueries
from projections.runtime import ProjectionRuntime, as_storage, open_datastore, open_reader, open_view
from projections.views import View


def as_utc_text(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds")


class ReadModelsImpl(CatalogueQueries, SteeringQueries, StatisticsQueries):
    """Queries over the views; every municipality-scoped query filters by the member."""

    def __init__(self, storage: Storage | str, runtime: ProjectionRuntime | None = None, app: Any = None):
        self.storage = as_storage(storage)
        self.runtime = runtime
        self._app = app
        self._hooked: Any = None
        open_reader(self.storage).close()  # the events table exists before a view asks for the head
        self._datastore = open_datastore(self.storage, pool_size=2, max_overflow=8)
        self.views: dict[str, View] = {n: open_view(self.storage, n, self._datastore) for n in NAMES}

    # Lifecycle -----------------------------------------------------------------------------------

    def close(self) -> None:
        if self._app is not None and self._hooked is not None:
            self._app.__dict__.pop("_notify", None)
        if self.runtime is not None:
            self.runtime.stop()
            self.runtime = None
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

        def _notify(recordings: Any) -> None:
            original(recordings)
            runtime.wake()

        app._notify = _notify
        self._app, self._hooked = app, _notify

    # Read-your-writes and status -------------------------------------------------------------------

    def wait_for(self, position: int | None, timeout: float = 2.0) -> bool:
        if position is None:
            return True
        if self.runtime is not None:
            return self.runtime.wait_for(position, timeout)
        deadline = time.monotonic() + timeout
        while True:  # another process runs the projections: poll the tracking tables every 10 ms
            if all(view.position() >= position for view in self.views.values()):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)

    def status(self) -> list[ProjectionStatus]:
        head = next(iter(self.views.values())).head()
        return [ProjectionStatus(name=n, position=v.position(), head=head, lag=max(head - v.position(), 0))
                for n, v in self.views.items()]

    # 2. Municipality views ---------------------------------------------------------------------------

    @staticmethod
    def _scope(municipality: str | None, column: str, where: list[str], params: list[Any]) -> None:
        if municipality is not None:
            where.append(f"{column} = ?")
            params.append(municipality)

    def _page(self, view: str, select: str, where: list[str], params: list[Any], order: str,
              limit: int, offset: int, count_from: str) -> tuple[list[dict[str, Any]], int]:
        clause = " AND ".join(where) or "1 = 1"
        v = self.views[view]
        total = v.count(f"SELECT COUNT(*) AS n FROM {count_from} WHERE {clause}", params)
        rows = v.query(f"{select} WHERE {clause} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset])
        return rows, total

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

    INTEREST_SELECT = (
        "SELECT i.*, k.seq, CASE WHEN i.status = 'pending' THEN (SELECT COUNT(*) FROM {s}mv_interests q "
        "WHERE q.family_id = i.family_id AND q.status = 'pending' AND q.arrival <= i.arrival) END AS queue_position "
        "FROM {s}mv_interests i LEFT JOIN {s}mv_codes k ON k.family_id = i.family_id")

    @staticmethod
    def _interest_item(r: dict[str, Any]) -> dict[str, Any]:
        return {"interest_id": r["interest_id"], "municipality": r["municipality"], "family_id": r["family_id"],
                "family_code": code_of(r["seq"]), "referral_id": r["referral_id"], "status": r["status"],
                "queue_position": r["queue_position"], "brokered": r["status"] == "brokered",
                "expressed_at": r["expressed_at"], "updated_at": r["updated_at"]}

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
        return Page(items=[self._interest_item(r) for r in rows], total=total)

    def interest(self, interest_id: UUID, municipality: str | None) -> dict[str, Any] | None:
        where, params = ["i.interest_id = ?"], [str(interest_id)]
        self._scope(municipality, "i.municipality", where, params)
        rows = self.views["municipality"].query(f"{self.INTEREST_SELECT} WHERE {' AND '.join(where)}", params)
        return self._interest_item(rows[0]) if rows else None

    PLACEMENT_SELECT = ("SELECT p.*, k.seq FROM {s}mv_placements p "
                        "LEFT JOIN {s}mv_codes k ON k.family_id = p.family_id")

    @staticmethod
    def _placement_item(r: dict[str, Any]) -> dict[str, Any]:
        return {"placement_id": r["placement_id"], "municipality": r["municipality"], "family_id": r["family_id"],
                "family_code": code_of(r["seq"]), "kind": r["kind"], "referral_id": r["referral_id"],
                "start_date": r["start_date"], "planned_end_date": r["planned_end_date"],
                "end_date": r["end_date"], "end_reason": r["end_reason"],
                "child_birth_month": r["child_birth_month"], "active": r["end_date"] is None}

    def placements(self, municipality: str | None, active: bool | None = None, limit: int = 50,
                   offset: int = 0) -> Page:
        where: list[str] = []
        params: list[Any] = []
        self._scope(municipality, "p.municipality", where, params)
        if active is not None:
            where.append("p.end_date IS NULL" if active else "p.end_date IS NOT NULL")
        rows, total = self._page("municipality", self.PLACEMENT_SELECT, where, params,
                                 "p.start_date, p.placement_id", limit, offset, "{s}mv_placements p")
        return Page(items=[self._placement_item(r) for r in rows], total=total)

    def placement(self, placement_id: UUID, municipality: str | None) -> dict[str, Any] | None:
        where, params = ["p.placement_id = ?"], [str(placement_id)]
        self._scope(municipality, "p.municipality", where, params)
        rows = self.views["municipality"].query(f"{self.PLACEMENT_SELECT} WHERE {' AND '.join(where)}", params)
        return self._placement_item(rows[0]) if rows else None

    # 3. Pool register --------------------------------------------------------------------------------

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
                "active_placements": r["active_placements"],
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

    # 4. Audit trail ----------------------------------------------------------------------------------

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
        rows, total = self._page("audit", "SELECT a.* FROM {s}audit_log a", where, params, "a.position",
                                 limit, offset, "{s}audit_log a")
        items = []
        for r in rows:
            item = {k: r[k] for k in ("position", "event_id", "topic", "event_name", "entry_type", "aggregate_type",
                                      "aggregate_id", "aggregate_version", "municipality", "occurred_at")}
            item["actor"] = {"user_id": r["actor_user_id"], "username": r["actor_username"],
                             "role": r["actor_role"], "municipality": r["actor_municipality"]}
            if r["entry_type"] == "access":
                item["access"] = {"subject_type": r["subject_type"], "subject_id": r["subject_id"],
                                  "via": r["via"], "fields": loads(r["fields"], [])}
            items.append(item)
        return Page(items=items, total=total)


def start_embedded(app: Any, *, batch_size: int | None = None, poll_interval: float = 0.05) -> ReadModelsImpl:
    """Run every projection in this process (threads) and return the read models over them."""
    storage = getattr(app, "storage", None) or parse_database_url(app.env_url)  # type: ignore[attr-defined]
    kwargs: dict[str, Any] = {"poll_interval": poll_interval}
    if batch_size:
        kwargs["batch_size"] = batch_size
    runtime = ProjectionRuntime(storage, **kwargs).start()
    try:
        read_models = ReadModelsImpl(storage, runtime)
    except BaseException:
        runtime.stop()
        raise
    read_models.hook(app)
    return read_models


def open_read_models(app: Any, run_projections: bool = True) -> ReadModelsImpl:
    """The API's entry point: embedded runners (default) or worker mode (``run_projections=False``)."""
    if run_projections:
        return start_embedded(app)
    return ReadModelsImpl(app.storage)
