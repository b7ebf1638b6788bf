"""Placements: pool staff start and end them; a municipality reads its own."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, status

from api.deps import (
    CaseworkUser, ExpectedVersion, Limit, Offset, PoolDep, ReadModelsDep, StaffUser, done, municipality_scope,
)
from api.errors import PROBLEMS
from api.schemas.casework import PlacementCreate, PlacementEndCreate
from api.schemas.common import CreatedPublic, VersionPublic
from api.schemas.read import PlacementPagePublic, with_id

router = APIRouter(tags=["placements"], responses=PROBLEMS)


@router.post("/placements", status_code=status.HTTP_201_CREATED, response_model=CreatedPublic)
def start_placement(body: PlacementCreate, actor: StaffUser, pool: PoolDep, request: Request) -> dict[str, Any]:
    """Start a placement (409 if the family is not approved or has no free capacity)."""
    saved = pool.start_placement(actor, **body.model_dump())
    return done(request, saved)


@router.post("/placements/{placement_id}/end", response_model=VersionPublic)
def end_placement(placement_id: UUID, body: PlacementEndCreate, actor: StaffUser, pool: PoolDep, request: Request,
                  expected_version: ExpectedVersion) -> dict[str, Any]:
    """End a placement; the family's place becomes free again."""
    saved = pool.end_placement(actor, placement_id, end_date=body.end_date, reason=body.reason.value,
                               expected_version=expected_version)
    return done(request, saved)


@router.get("/placements", response_model=PlacementPagePublic)
def list_placements(actor: CaseworkUser, read_models: ReadModelsDep, limit: Limit = 50, offset: Offset = 0,
                    active: bool | None = None) -> dict[str, Any]:
    """Placements: pool staff see all, a municipality its own."""
    page = read_models.placements(municipality_scope(actor), active, limit=limit, offset=offset)
    return {"items": [with_id(i, "placement_id") for i in page.items], "total": page.total}
