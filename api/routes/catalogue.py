"""The anonymous catalogue (municipality users and pool staff) and expressing interest."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse

from api.as_of import AsOf, stated
from api.deps import CaseworkUser, Limit, MunicipalityUser, Offset, PoolDep, ReadModelsDep, done, with_etag
from api.errors import PROBLEMS
from api.schemas.casework import InterestCreate
from api.schemas.common import CreatedPublic, Kommunkod
from api.schemas.families import LanguageCode
from api.schemas.read import CatalogueItemPublic, CataloguePagePublic, with_id
from pool.errors import NotFoundError
from pool.values import Kind
from projections.contract import CatalogueFilter

router = APIRouter(tags=["catalogue"], responses=PROBLEMS)


@router.get("/catalogue", response_model=CataloguePagePublic)
def list_catalogue(actor: CaseworkUser, read_models: ReadModelsDep, limit: Limit = 50, offset: Offset = 0,
                   kind: Kind | None = None,
                   child_age: Annotated[int | None, Query(ge=0, le=17, description="a child of this age fits")] = None,
                   siblings: bool | None = None,
                   language: Annotated[LanguageCode | None, Query(description="an ISO 639 code")] = None,
                   area: Kommunkod | None = None,
                   available: bool | None = None, as_of: AsOf = None) -> JSONResponse:
    """Browse published families: anonymous descriptions, banded ages, generalised areas."""
    f = CatalogueFilter(kind=kind.value if kind else None, child_age=child_age, siblings=siblings,
                        language=language, area=area, available=available)
    page = read_models.at(as_of).catalogue(f, limit=limit, offset=offset)
    # Already the model's shape (tests/integration/test_catalogue_filters.py checks it against
    # CataloguePagePublic): sent as is, not validated and dumped again per request (docs/performance.md).
    return JSONResponse({"items": [{**with_id(i, "family_id"), "version": i.get("version")} for i in page.items],
                         "total": page.total, "as_of": stated(as_of)})


@router.get("/catalogue/{family_id}", response_model=CatalogueItemPublic)
def get_catalogue_item(family_id: UUID, actor: CaseworkUser, read_models: ReadModelsDep, pool: PoolDep,
                       response: Response, as_of: AsOf = None) -> dict[str, Any]:
    """One published family, anonymously (as it was at `as_of`); the family's version also as the ETag."""
    item = read_models.at(as_of).catalogue_item(family_id)
    if item is None:
        raise NotFoundError("catalogue.not_found", id=str(family_id))
    return {**with_id(item, "family_id"), "version": with_etag(response, pool.version_of(family_id))}


@router.post("/catalogue/{family_id}/interest", status_code=status.HTTP_201_CREATED, response_model=CreatedPublic)
def express_interest(family_id: UUID, actor: MunicipalityUser, pool: PoolDep, request: Request,
                     body: InterestCreate | None = None) -> dict[str, Any]:
    """Express your municipality's interest in a published family, usually for one of your referrals."""
    body = body or InterestCreate()
    saved = pool.express_interest(actor, family_id, referral_id=body.referral_id, message=body.message,
                                  interest_on=body.interest_on)
    return done(request, saved)
