"""Interests and brokering: pool staff broker or decline; the municipality may withdraw its own."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Query, Request

from api.as_of import AsOf, stated
from api.deps import (
    CaseworkUser, ExpectedVersion, Limit, MunicipalityUser, Offset, PoolDep, Purpose, ReadModelsDep, StaffUser, done,
    municipality_scope,
)
from api.errors import PROBLEMS
from api.schemas.casework import (
    InterestBrokerCreate, InterestDeclineCreate, InterestNotStartedCreate, InterestReferralCreate, InterestWithdrawCreate)
from api.schemas.common import VersionPublic
from api.schemas.read import InterestPagePublic, InterestReasonsPublic, with_id
from pool.domain.interest import InterestStatus

router = APIRouter(tags=["interests"], responses=PROBLEMS)


@router.get("/interests", response_model=InterestPagePublic)
def list_interests(actor: CaseworkUser, read_models: ReadModelsDep, limit: Limit = 50, offset: Offset = 0,
                   status_: Annotated[InterestStatus | None, Query(alias="status")] = None,
                   as_of: AsOf = None) -> dict[str, Any]:
    """Interests: pool staff see all, grouped by family in arrival order; a municipality its own; with `as_of`,
    as they were then."""
    page = read_models.at(as_of).interests(municipality_scope(actor), status_.value if status_ else None,
                                 limit=limit, offset=offset)
    return {"items": [with_id(i, "interest_id") for i in page.items], "total": page.total, "as_of": stated(as_of)}


@router.get("/interests/{interest_id}/reasons", response_model=InterestReasonsPublic)
def interest_reasons(interest_id: UUID, actor: CaseworkUser, pool: PoolDep, purpose: Purpose = None) -> dict[str, Any]:
    """The written reasons: why it was brokered out of turn, why its link ended (sealed; the read is audited)."""
    return pool.interest_reasons(actor, interest_id, via="GET /api/interests/{id}/reasons", purpose=purpose)


@router.post("/interests/{interest_id}/broker", response_model=VersionPublic)
def broker_interest(interest_id: UUID, actor: StaffUser, pool: PoolDep, request: Request,
                    expected_version: ExpectedVersion,
                    body: Annotated[InterestBrokerCreate | None, Body()] = None) -> dict[str, Any]:
    """Put the municipality in contact with the family: it may now see who they are.

    Before an earlier interest that still waits only with a reason (422 without); never beyond the
    family's free places (409)."""
    body = body or InterestBrokerCreate()
    saved = pool.broker_interest(actor, interest_id, reason_code=body.reason_code.value if body.reason_code else None,
                                 reason=body.reason, brokered_on=body.brokered_on, expected_version=expected_version)
    return done(request, saved)


@router.post("/interests/{interest_id}/referrals", response_model=VersionPublic)
def attach_referral(interest_id: UUID, body: InterestReferralCreate, actor: MunicipalityUser, pool: PoolDep,
                    request: Request, expected_version: ExpectedVersion) -> dict[str, Any]:
    """Attach another of your referrals to your open interest (one open interest per family and member)."""
    saved = pool.attach_referral(actor, interest_id, referral_id=body.referral_id, expected_version=expected_version)
    return done(request, saved)


@router.post("/interests/{interest_id}/not-started", response_model=VersionPublic)
def end_link_not_started(interest_id: UUID, body: InterestNotStartedCreate, actor: CaseworkUser, pool: PoolDep,
                         request: Request, expected_version: ExpectedVersion) -> dict[str, Any]:
    """A brokered link ends without a placement; the family's contact details close for the member again."""
    saved = pool.end_link_not_started(actor, interest_id, outcome=body.outcome.value, note=body.note,
                                      ended_on=body.ended_on, expected_version=expected_version)
    return done(request, saved)


@router.post("/interests/{interest_id}/decline", response_model=VersionPublic)
def decline_interest(interest_id: UUID, body: InterestDeclineCreate, actor: StaffUser, pool: PoolDep, request: Request,
                     expected_version: ExpectedVersion) -> dict[str, Any]:
    """Decline an interest, with a reason."""
    saved = pool.decline_interest(actor, interest_id, reason=body.reason, declined_on=body.declined_on,
                                  expected_version=expected_version)
    return done(request, saved)


@router.post("/interests/{interest_id}/withdraw", response_model=VersionPublic)
def withdraw_interest(interest_id: UUID, actor: MunicipalityUser, pool: PoolDep, request: Request,
                      expected_version: ExpectedVersion, body: InterestWithdrawCreate | None = None) -> dict[str, Any]:
    """Withdraw your municipality's interest."""
    return done(request, pool.withdraw_interest(actor, interest_id, withdrawn_on=body.withdrawn_on if body else None,
                                                expected_version=expected_version))
