"""The yearly budget (steering group and administrator)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_pool, get_read_models
from api.formatting import sv_sek
from api.web.admin_forms import Form, domain_field_message
from api.web.common import CheckedForm, done, redirect, render, require_roles
from api.web.messages import swedish
from pool.actors import Actor, Role
from pool.application import PoolApplication
from pool.errors import InvalidInputError, PoolError
from projections.contract import ReadModels

router = APIRouter(include_in_schema=False)
# The steering group sets the budget (DOMAIN.md); the administrator may do everything.
Money = Annotated[Actor, Depends(require_roles(Role.STEERING, Role.ADMIN))]
Pool = Annotated[PoolApplication, Depends(get_pool)]
Reads = Annotated[ReadModels, Depends(get_read_models)]


def _budget_page(request: Request, read_models: ReadModels, status: int = 200, **ctx: object) -> HTMLResponse:
    budgets = [{"year": b["year"], "amount": sv_sek(b["amount_sek"])} for b in read_models.budgets()]
    ctx.setdefault("values", {"year": str(date.today().year + 1)})
    return render(request, "steering/budget.html", status, page_title="Budget", budgets=budgets, **ctx)


@router.get("/styrgrupp/budget", response_class=HTMLResponse)
def budget_page(request: Request, actor: Money, read_models: Reads) -> Response:
    return _budget_page(request, read_models)


@router.post("/styrgrupp/budget", response_class=HTMLResponse)
def set_budget(request: Request, form: CheckedForm, actor: Money, pool: Pool, read_models: Reads) -> Response:
    f = Form(form)
    year, amount = f.year(), f.money("amount_sek")
    values = {k: v for k, v in f.data.items() if k != "csrf_token"}
    if not f.ok or year is None or amount is None:
        return _budget_page(request, read_models, 422, errors=f.errors, values=values)
    try:
        saved = pool.set_budget(actor, year, amount_sek=amount)
    except PoolError as e:
        field = e.field if isinstance(e, InvalidInputError) and e.field in ("year", "amount_sek") else "form"
        message = domain_field_message(field) if field != "form" else swedish(e)
        return _budget_page(request, read_models, 422 if field != "form" else 409,
                            errors={field: message or swedish(e)}, values=values)
    if saved is None:
        return redirect(request, "/styrgrupp/budget", f"Budgeten för {year} var redan {sv_sek(amount)}.")
    return done(request, saved, "/styrgrupp/budget", f"Budgeten för {year} är sparad: {sv_sek(amount)}.")
