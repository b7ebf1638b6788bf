"""The audit trail: every change and every read of personal data (admin, pool staff)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from api.deps import Limit, Offset, PoolDep, ReadModelsDep, StaffOrAdmin
from api.errors import PROBLEMS
from api.schemas.common import Kommunkod, Text
from api.schemas.read import AuditPagePublic
from projections.contract import AuditFilter

router = APIRouter(tags=["audit"], responses=PROBLEMS)


@router.get("/audit", response_model=AuditPagePublic)
def list_audit(actor: StaffOrAdmin, pool: PoolDep, read_models: ReadModelsDep, limit: Limit = 100, offset: Offset = 0,
               actor_: Annotated[Text | None, Query(alias="actor", max_length=100, description="a username")] = None,
               aggregate: UUID | None = None, municipality: Kommunkod | None = None,
               since: Annotated[datetime | None, Query(examples=["2026-11-22T10:00:00Z"])] = None,
               until: Annotated[datetime | None, Query(examples=["2026-11-23T10:00:00Z"])] = None) -> dict[str, Any]:
    """Who did, read or was refused what, when, and through which call; newest first."""
    # Up to date with the event store: a refused read answers without waiting for its entry.
    read_models.wait_for(pool.recorder.max_notification_id(), timeout=2.0)
    f = AuditFilter(actor=actor_.strip().lower() if actor_ else None, aggregate=aggregate, municipality=municipality,
                    since=since, until=until)
    page = read_models.audit(f, limit=limit, offset=offset)
    return {"items": page.items, "total": page.total}
