"""Statistics and the non-executed decisions report (minimal until the statistics issue)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api.deps import ReadModelsDep, roles
from api.errors import PROBLEMS
from pool.actors import Actor, Role

router = APIRouter(tags=["statistics"], responses=PROBLEMS)
Oversight = Annotated[Actor, Depends(roles(Role.STEERING, Role.ADMIN, Role.POOL_STAFF))]


@router.get("/statistics", response_model=dict[str, int])
def statistics(actor: Oversight, read_models: ReadModelsDep) -> dict[str, int]:
    """Minimal counts (the full statistics belong to the statistics issue): no personal data."""
    return {
        "families_waiting": read_models.register("applied", limit=1).total
        + read_models.register("under_investigation", limit=1).total,
        "families_published": read_models.register("published", limit=1).total,
        "referrals_open": read_models.referrals(None, "open", limit=1).total,
        "interests_pending": read_models.interests(None, "pending", limit=1).total,
        "placements_active": read_models.placements(None, True, limit=1).total,
    }
