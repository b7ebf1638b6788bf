"""The pool's yearly budget (admin, steering group)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status

from api.deps import BudgetUser, ExpectedVersion, PoolDep, require_current, roles, settle_if_available, with_etag
from api.errors import PROBLEMS
from api.schemas.common import Year
from api.schemas.reference import BudgetPublic, BudgetPut
from pool.actors import Actor, Role
from pool.domain.budget import Budget

router = APIRouter(tags=["budgets"], responses=PROBLEMS)
BudgetReader = Annotated[Actor, Depends(roles(Role.ADMIN, Role.STEERING, Role.POOL_STAFF, Role.MUNICIPALITY))]


@router.put("/budgets/{year}", response_model=BudgetPublic,
            responses={201: {"model": BudgetPublic, "description": "The year's budget was set for the first time"}})
def put_budget(year: Year, body: BudgetPut, actor: BudgetUser, pool: PoolDep, request: Request, response: Response,
               expected_version: ExpectedVersion) -> dict[str, Any]:
    """Set the pool's budget for a year, in SEK with öre (201 the first time)."""
    exists = pool.exists(Budget.create_id(year))
    require_current(request, exists)
    if expected_version is not None and exists:
        pool.load(Budget, Budget.create_id(year), expected_version)
    saved = pool.set_budget(actor, year, amount_sek=body.amount_sek)
    settle_if_available(request, saved)
    if not exists:
        response.status_code = status.HTTP_201_CREATED
    budget = pool.budget(year)
    return {"year": year, "amount_sek": budget.amount_sek, "version": with_etag(response, budget.version)}


@router.get("/budgets/{year}", response_model=BudgetPublic)
def get_budget(year: Year, actor: BudgetReader, pool: PoolDep, response: Response) -> dict[str, Any]:
    """The pool's budget for a year; its version also as the ETag."""
    budget = pool.budget(year)
    return {"year": year, "amount_sek": budget.amount_sek, "version": with_etag(response, budget.version)}
