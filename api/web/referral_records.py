"""Closing a referral with its outcome and erasing its child data: the municipality's and pool staff's pages."""

from __future__ import annotations

from typing import Annotated, Any, Callable
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_pool
from api.web import municipality_cases, staff_casework
from api.web.common import CheckedForm, done, require_roles, status_for, templates
from api.web.messages import swedish
from pool.actors import Actor, Role
from pool.errors import NotFoundError, PoolError
from pool.settings import referral_retention_days

router = APIRouter(include_in_schema=False)
Municipality = Annotated[Actor, Depends(require_roles(Role.MUNICIPALITY))]
Staff = Annotated[Actor, Depends(require_roles(Role.POOL_STAFF))]
CONFIRM = "Kryssa i ”Jag bekräftar” för att fortsätta."
Page = Callable[..., Response]
REFERRAL_OUTCOMES = {"placed_through_pool": "Placerad genom poolen", "placed_elsewhere": "Placerad på annat sätt",
                     "no_longer_needed": "Behovet finns inte längre", "withdrawn": "Återkallad"}
# The referral pages (api/templates/_referral_records.html) name the outcomes and the retention period.
templates.env.globals.update(REFERRAL_OUTCOMES=REFERRAL_OUTCOMES, retention_days=referral_retention_days)


def _run(request: Request, actor: Actor, referral_id: UUID, form: Any, field: str, page: Page, url: str,
         command: Callable[[], Any], flash: str) -> Response:
    """Run a destructive command once "Jag bekräftar" is ticked; a refusal shows the referral page again."""
    if form.get(f"{field}_confirm") != "1":
        return page(request, actor, referral_id, 422, errors={field: CONFIRM})
    try:
        saved = command()
    except NotFoundError:
        raise
    except PoolError as exc:
        return page(request, actor, referral_id, status_for(exc), errors={field: swedish(exc)})
    return done(request, saved, url, flash)


def _close(request: Request, actor: Actor, referral_id: UUID, form: Any, page: Page, url: str) -> Response:
    pool = get_pool(request)
    return _run(request, actor, referral_id, form, "close", page, url, lambda: pool.close_referral(
        actor, referral_id, outcome=str(form.get("outcome") or ""), note=str(form.get("close_note") or ""),
        closed_on=str(form.get("closed_on") or "").strip() or None),
        "Förfrågan är avslutad.")


def _erase(request: Request, actor: Actor, referral_id: UUID, form: Any, page: Page, url: str) -> Response:
    pool = get_pool(request)
    return _run(request, actor, referral_id, form, "erase", page, url,
                lambda: pool.erase_referral(actor, referral_id), "Barnets uppgifter i förfrågan är raderade.")


@router.post("/forfragningar/{referral_id}/avsluta", response_class=HTMLResponse)
def close_own(request: Request, referral_id: UUID, actor: Municipality, form: CheckedForm) -> Response:
    return _close(request, actor, referral_id, form, municipality_cases.referral_page, f"/forfragningar/{referral_id}")


@router.post("/forfragningar/{referral_id}/radera", response_class=HTMLResponse)
def erase_own(request: Request, referral_id: UUID, actor: Municipality, form: CheckedForm) -> Response:
    return _erase(request, actor, referral_id, form, municipality_cases.referral_page, f"/forfragningar/{referral_id}")


@router.post("/pool/forfragningar/{referral_id}/avsluta", response_class=HTMLResponse)
def close_any(request: Request, referral_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    return _close(request, actor, referral_id, form, staff_casework.referral_page, f"/pool/forfragningar/{referral_id}")


@router.post("/pool/forfragningar/{referral_id}/radera", response_class=HTMLResponse)
def erase_any(request: Request, referral_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    return _erase(request, actor, referral_id, form, staff_casework.referral_page, f"/pool/forfragningar/{referral_id}")
