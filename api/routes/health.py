"""Liveness (/api/health) and readiness (/api/ready), for monitoring addresses only (no sign-in)."""

from __future__ import annotations

import logging
import os
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.errors import Problem
from api.observability import failed_projections, require_monitoring_client

router = APIRouter(tags=["health"], dependencies=[Depends(require_monitoring_client)],
                   responses={404: {"model": Problem, "description": "Not a monitoring address"}})
log = logging.getLogger("familjepool.health")
DEFAULT_MAX_LAG = 1000


class ProjectionStatusPublic(BaseModel):
    name: str
    position: int
    head: int
    lag: int
    halted_at: int | None = None
    parked: int = 0
    failed: bool = False


class AuditVerificationPublic(BaseModel):
    """The last `familjepool audit verify`: the chain is intact up to `position`."""

    position: int
    entries: int
    ok: bool
    problem: dict[str, Any] | None = None
    verified_at: str


class HealthPublic(BaseModel):
    status: str
    failed: list[str] = []
    projections: list[ProjectionStatusPublic]
    audit_verified: AuditVerificationPublic | None = None


@router.get("/health", response_model=HealthPublic)
def health(request: Request) -> Any:
    """Service status, each projection's lag and the audit chain's last verified position (`audit_verified`);
    "degraded" names the projections that failed on an event
    (halted at it, or parked events not yet acknowledged: see `familjepool projections failures`)."""
    read_models = getattr(request.app.state, "read_models", None)
    if read_models is None:
        return {"status": "starting", "projections": []}
    try:
        rows = read_models.status()
    except Exception as e:  # noqa: BLE001 - a storage failure is reported, never a 500
        log.warning("health: the database does not answer (%s)", type(e).__name__)
        return JSONResponse({"status": "unavailable", "failed": [], "projections": []}, 503)
    statuses = [{"name": s.name, "position": s.position, "head": s.head, "lag": s.lag, "halted_at": s.halted_at,
                 "parked": s.parked} for s in rows]
    failed = [s.name for s in rows if s.failed]
    return {"status": "degraded" if failed else "ok", "failed": failed, "projections": statuses,
            "audit_verified": read_models.audit_verification()}


class ReadyPublic(BaseModel):
    status: str
    database: str
    max_lag: int
    projections: list[ProjectionStatusPublic]


def max_lag() -> int:
    return int(os.environ.get("FAMILJEPOOL_READY_MAX_LAG", DEFAULT_MAX_LAG))


@router.get("/ready", response_model=ReadyPublic,
            responses={503: {"model": ReadyPublic, "description": "Not ready: see database and projections"}})
def ready(request: Request) -> Any:
    """Readiness: the database answers, no projection failed and none lags more than FAMILJEPOOL_READY_MAX_LAG."""
    limit = max_lag()
    read_models = getattr(request.app.state, "read_models", None)
    if read_models is None:
        return JSONResponse({"status": "starting", "database": "unknown", "max_lag": limit, "projections": []}, 503)
    try:
        statuses = read_models.status()
    except Exception as e:  # noqa: BLE001 - any storage failure means "not ready", never a 500
        log.warning("readiness: the database does not answer (%s)", type(e).__name__)
        return JSONResponse({"status": "unavailable", "database": "unreachable", "max_lag": limit, "projections": []},
                            503)
    failed = failed_projections(request.app)
    rows = [{"name": s.name, "position": s.position, "head": s.head, "lag": s.lag, "failed": s.name in failed}
            for s in statuses]
    ok = not failed and all(r["lag"] <= limit for r in rows)
    body = {"status": "ready" if ok else "lagging" if not failed else "failed", "database": "ok", "max_lag": limit,
            "projections": rows}
    return body if ok else JSONResponse(body, 503)
