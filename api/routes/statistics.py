"""Statistics and the non-executed decisions report (minimal until the statistics issue)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api.deps import ReadModelsDep, roles
from api.errors import PROBLEMS
from pool.actors import Actor, Role

router = APIRouter(tags=["statistics"], responses=PROBLEMS)
Oversight = Annotated[Actor, Depends(roles(Role.STEERING, Role.ADMIN, Role.POOL_STAFF))]
