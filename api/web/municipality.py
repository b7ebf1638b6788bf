"""The catalogue (Familjekatalog) for municipality users and pool staff, a family's card, "Anmäl intresse"."""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_pool, get_read_models
from api.web.as_of import past_choice, read_models_at
from api.web.common import CheckedForm, done, form_failed, member_options, pager, render, require_roles, window
from api.web.messages import KINDS
from pool.actors import Actor, Role
from pool.codes import languages
from pool.errors import NotFoundError, PoolError
from projections.contract import CatalogueFilter

router = APIRouter(include_in_schema=False)
Casework = Annotated[Actor, Depends(require_roles(Role.MUNICIPALITY, Role.POOL_STAFF))]
Municipality = Annotated[Actor, Depends(require_roles(Role.MUNICIPALITY))]
PER_PAGE = 12


def read_filter(query: Any) -> tuple[CatalogueFilter, dict[str, str]]:
    """The catalogue's filters from the query string, and a Swedish message per field that is wrong."""
    errors: dict[str, str] = {}
    kind = (query.get("kind") or "").strip() or None
    if kind and kind not in KINDS:
        errors["kind"], kind = "Välj en insatstyp ur listan.", None
    child_age = None
    raw_age = (query.get("child_age") or "").strip()
    if raw_age:
        if raw_age.isdigit() and int(raw_age) <= 17:
            child_age = int(raw_age)
        else:
            errors["child_age"] = "Ange barnets ålder i hela år, 0–17."
    siblings = {"ja": True, "nej": False}.get(query.get("siblings") or "")
    language = (query.get("language") or "").strip() or None
    if language and language not in languages():
        errors["language"], language = "Välj ett språk ur listan.", None
    area = (query.get("area") or "").strip() or None
    if area and not re.fullmatch(r"[0-9]{4}", area):
        errors["area"], area = "Ange en kommunkod med fyra siffror, t.ex. 0184.", None
    available = True if query.get("available") == "1" else None
    return CatalogueFilter(kind=kind, child_age=child_age, siblings=siblings, language=language, area=area,
                           available=available), errors


@router.get("/katalog", response_class=HTMLResponse)
def catalogue(request: Request, actor: Casework) -> Response:
    f, errors = read_filter(request.query_params)
    limit, offset = window(request, PER_PAGE)
    past = past_choice(request)
    page = read_models_at(request, past).catalogue(f, limit=limit, offset=offset)
    return render(request, "municipality/catalogue.html", 422 if errors else 200, errors=errors,
                  values=dict(request.query_params), items=page.items, pager=pager(request, page.total, PER_PAGE),
                  areas=member_options(request), save_referrals=open_referrals(request, actor), as_of=past)


def open_referrals(request: Request, actor: Actor) -> list[dict[str, Any]]:
    """The member's referrals that an interest may be for (open or matched), newest decisions last."""
    if actor.role is not Role.MUNICIPALITY:
        return []
    read_models = get_read_models(request)
    rows = read_models.referrals(actor.municipality, "open", limit=200).items
    return rows + read_models.referrals(actor.municipality, "matched", limit=200).items


def card_page(request: Request, actor: Actor, family_id: UUID, status: int = 200, **ctx: Any) -> Response:
    item = get_read_models(request).catalogue_item(family_id)
    if item is None:
        raise NotFoundError("catalogue.not_found", id=str(family_id))
    return render(request, "municipality/family_card.html", status, item=item,
                  referrals=open_referrals(request, actor), **ctx)


@router.get("/katalog/{family_id}", response_class=HTMLResponse)
def family_card(request: Request, family_id: UUID, actor: Casework) -> Response:
    return card_page(request, actor, family_id, values={"referral_id": request.query_params.get("forfragan", "")})


def parse_id(value: Any) -> UUID | None:
    try:
        return UUID(str(value)) if value else None
    except ValueError:
        return None


@router.post("/katalog/{family_id}/intresse", response_class=HTMLResponse)
def express_interest(request: Request, family_id: UUID, actor: Municipality, form: CheckedForm) -> Response:
    referral_id = parse_id(form.get("referral_id"))
    if referral_id is None:  # an interest is always for one of the member's referrals here
        return card_page(request, actor, family_id, 422, values=dict(form),
                         errors={"referral_id": "Välj en av era förfrågningar."})
    try:
        saved = get_pool(request).express_interest(actor, family_id, referral_id=referral_id,
                                                   message=str(form.get("message") or ""),
                                                   interest_on=str(form.get("interest_on") or "") or None)
    except NotFoundError as exc:
        if referral_id is None or "referral" not in (exc.code.split(".")[0], exc.params.get("kind")):
            raise
        return card_page(request, actor, family_id, 422, values=dict(form),
                         errors={"referral_id": "Välj en av era förfrågningar."})
    except PoolError as exc:
        item = get_read_models(request).catalogue_item(family_id)
        if item is None:
            raise NotFoundError("catalogue.not_found", id=str(family_id)) from None
        # One open interest per family: point at it, where another referral can be attached instead.
        return form_failed(request, "municipality/family_card.html", exc, form, default_field="form", item=item,
                           referrals=open_referrals(request, actor), open_interest_id=exc.params.get("interest_id"))
    return done(request, saved, "/intressen", "Intresseanmälan är skickad. Poolen hanterar den i turordning.")
