"""Service health (no sign-in): status and each projection's lag."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class ProjectionStatusPublic(BaseModel):
    name: str
    position: int
    head: int
    lag: int
    halted_at: int | None = None
    parked: int = 0


class HealthPublic(BaseModel):
    status: str
    failed: list[str] = []
    projections: list[ProjectionStatusPublic]


@router.get("/health", response_model=HealthPublic)
def health(request: Request) -> dict[str, Any]:
    """Service status and each projection's lag; "degraded" names the projections that failed on an event
    (halted at it, or parked events not yet acknowledged: see `familjepool projections failures`)."""
    read_models = getattr(request.app.state, "read_models", None)
    if read_models is None:
        return {"status": "starting", "projections": []}
    rows = read_models.status()
    statuses = [{"name": s.name, "position": s.position, "head": s.head, "lag": s.lag, "halted_at": s.halted_at,
                 "parked": s.parked} for s in rows]
    failed = [s.name for s in rows if s.failed]
    return {"status": "degraded" if failed else "ok", "failed": failed, "projections": statuses}
