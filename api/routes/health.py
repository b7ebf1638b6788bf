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


class HealthPublic(BaseModel):
    status: str
    projections: list[ProjectionStatusPublic]


@router.get("/health", response_model=HealthPublic)
def health(request: Request) -> dict[str, Any]:
    """Service status and how far each projection lags behind the event store."""
    read_models = getattr(request.app.state, "read_models", None)
    if read_models is None:
        return {"status": "starting", "projections": []}
    statuses = [{"name": s.name, "position": s.position, "head": s.head, "lag": s.lag} for s in read_models.status()]
    return {"status": "ok", "projections": statuses}
