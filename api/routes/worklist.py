"""A pool consultant's work list: what needs doing for their members and followed families, oldest first."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from api.deps import ReadModelsDep, StaffUser
from api.errors import PROBLEMS
from api.schemas.notifications import WorklistPublic

router = APIRouter(tags=["worklist"], responses=PROBLEMS)


@router.get("/worklist", response_model=WorklistPublic)
def get_worklist(actor: StaffUser, read_models: ReadModelsDep,
                 scope: Literal["mine", "all"] = "mine",
                 on: Annotated[date | None, Query(description="the day the list is for; default today")] = None,
                 ) -> dict[str, Any]:
    """Pool staff: your items (kontaktkommuner and followed families), or everyone's with `scope=all`."""
    return read_models.worklist(str(actor.user_id), scope, on)
