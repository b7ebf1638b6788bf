"""The cost allocation of a year's budget over the members (everyone signed in may read it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import CurrentUser, PoolDep
from api.errors import PROBLEMS
from api.schemas.common import Year
from api.schemas.reference import AllocationPublic
from pool.errors import RuleViolationError

router = APIRouter(tags=["allocations"], responses=PROBLEMS)


@router.get("/allocations/{year}", response_model=AllocationPublic)
def get_allocation(year: Year, actor: CurrentUser, pool: PoolDep) -> dict[str, Any]:
    """Each member's share of the year's budget: half by children 0-17, half by placed children, on 1 Nov Y-1."""
    # The placement half needs each member's placed children on 1 November of the previous year,
    # a point-in-time count the read side does not offer yet (cost allocation issue).
    raise RuleViolationError("the cost allocation is not available yet: the read side has no placement counts "
                             "per member on a reference date")
