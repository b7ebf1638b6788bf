"""Placements: pool staff start, extend and end them; a municipality reads its own."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from api.as_of import AsOf, as_of_day, stated
from api.deps import (
    CaseworkUser, ExpectedVersion, Limit, Offset, PoolDep, Purpose, ReadModelsDep, StaffUser, done,
    municipality_scope, with_etag,
)
from api.errors import PROBLEMS
from api.schemas.casework import PlacementCreate, PlacementEndCreate, PlacementExtendCreate
from api.schemas.common import CreatedPublic, VersionPublic
from api.schemas.read import PlacementDetailPublic, PlacementPagePublic, with_id
from pool.domain.placement import Placement

router = APIRouter(tags=["placements"], responses=PROBLEMS)


@router.post("/placements", status_code=status.HTTP_201_CREATED, response_model=CreatedPublic)
def start_placement(body: PlacementCreate, actor: StaffUser, pool: PoolDep, request: Request) -> dict[str, Any]:
    """Start a placement (409 if the family is not approved, has no free capacity, does not offer the kind, the
    kind or act does not fit the referral, or the child's age is outside the family's range without an override;
    422 for a start before the referral's decision date or a planned end not after the start)."""
    saved = pool.start_placement(actor, **body.model_dump())
    return done(request, saved)


@router.post("/placements/{placement_id}/end", response_model=VersionPublic)
def end_placement(placement_id: UUID, body: PlacementEndCreate, actor: StaffUser, pool: PoolDep, request: Request,
                  expected_version: ExpectedVersion) -> dict[str, Any]:
    """End a placement; the family's place becomes free again."""
    saved = pool.end_placement(actor, placement_id, end_date=body.end_date, reason=body.reason.value,
                               expected_version=expected_version)
    return done(request, saved)


@router.post("/placements/{placement_id}/extend", response_model=VersionPublic)
def extend_placement(placement_id: UUID, body: PlacementExtendCreate, actor: StaffUser, pool: PoolDep,
                     request: Request, expected_version: ExpectedVersion) -> dict[str, Any]:
    """Extend an active placement to a later planned end, with a reason (an overdue one too)."""
    saved = pool.extend_placement(actor, placement_id, planned_end_date=body.planned_end_date, reason=body.reason,
                                  expected_version=expected_version)
    return done(request, saved)


@router.get("/placements", response_model=PlacementPagePublic)
def list_placements(actor: CaseworkUser, read_models: ReadModelsDep, limit: Limit = 50, offset: Offset = 0,
                    active: bool | None = None, overdue: bool | None = None, as_of: AsOf = None) -> dict[str, Any]:
    """Placements: pool staff see all, a municipality its own. `overdue=true`: past the planned end, not ended.
    With `as_of`: as they were then, overdue on that day."""
    page = read_models.at(as_of).placements(municipality_scope(actor), active, limit=limit, offset=offset,
                                            overdue=overdue, today=as_of_day(as_of))
    return {"items": [with_id(i, "placement_id") for i in page.items], "total": page.total, "as_of": stated(as_of)}


@router.get("/placements/{placement_id}", response_model=PlacementDetailPublic)
def get_placement(placement_id: UUID, actor: CaseworkUser, pool: PoolDep, read_models: ReadModelsDep,
                  response: Response, purpose: Purpose = None) -> dict[str, Any]:
    """One placement with the age override's reason and the extensions' reasons (the read is audited, a refusal
    too); the version as ETag."""
    row = read_models.placement(placement_id, municipality_scope(actor))
    if row is None:  # 404 either way; another member's placement leaves an audit entry
        pool.refuse_read(actor, Placement, placement_id, "GET /api/placements/{id}")
    text = pool.placement_text(actor, placement_id, via="GET /api/placements/{id}", purpose=purpose)
    return {**with_id(row, "placement_id"), **text, "version": with_etag(response, pool.version_of(placement_id))}
