"""Referrals: a municipality's needs (its own only); pool staff see all and propose families."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status

from api.as_of import AsOf, stated
from api.deps import (
    CaseworkUser, ExpectedVersion, Limit, Offset, PoolDep, Purpose, ReadModelsDep, StaffUser, done, municipality_scope,
    with_etag,
)
from api import i18n
from api.errors import PROBLEMS
from api.schemas.casework import (
    ProposalCreate, ReferralCreate, ReferralCreatedPublic, ReferralCriteriaUpdate, ReferralWithdrawCreate)
from api.schemas.common import VersionPublic
from api.schemas.read import ReferralDetailPublic, ReferralPagePublic, SuggestionsPublic, with_id
from api.schemas.records import ReferralClose, UrgencyUpdate
from api.schemas.statistics import NonExecutionReasonUpdate
from pool.actors import Actor, Role
from pool.domain.referral import Referral, ReferralStatus
from pool.matching import Need, Suggestion
from projections.core.encoding import code_of

router = APIRouter(tags=["referrals"], responses=PROBLEMS)


@router.post("/referrals", status_code=status.HTTP_201_CREATED, response_model=ReferralCreatedPublic)
def register_referral(body: ReferralCreate, actor: CaseworkUser, pool: PoolDep, request: Request) -> dict[str, Any]:
    """Register a need for a family, tied to a decision; the municipality is the user's own."""
    saved = pool.register_referral(actor, **body.model_dump(mode="json"))
    return done(request, saved, status="open")


@router.get("/referrals", response_model=ReferralPagePublic)
def list_referrals(actor: CaseworkUser, read_models: ReadModelsDep, limit: Limit = 50, offset: Offset = 0,
                   status_: Annotated[ReferralStatus | None, Query(alias="status")] = None,
                   as_of: AsOf = None) -> dict[str, Any]:
    """Referrals: a municipality user sees its own, pool staff all; with `as_of`, as they were then."""
    page = read_models.at(as_of).referrals(municipality_scope(actor), status_.value if status_ else None,
                                 limit=limit, offset=offset)
    return {"items": [with_id(i, "referral_id") for i in page.items], "total": page.total, "as_of": stated(as_of)}


@router.get("/referrals/{referral_id}", response_model=ReferralDetailPublic)
def get_referral(referral_id: UUID, actor: CaseworkUser, pool: PoolDep, read_models: ReadModelsDep,
                 response: Response, purpose: Purpose = None) -> dict[str, Any]:
    """One referral with the families proposed for it and its needs and wishes (the read is audited, a refusal too);
    the version as ETag."""
    row = read_models.referral(referral_id, municipality_scope(actor))
    if row is None:  # 404 either way; another member's referral leaves an audit entry
        pool.refuse_read(actor, Referral, referral_id, "GET /api/referrals/{id}")
    text = pool.referral_text(actor, referral_id, via="GET /api/referrals/{id}", purpose=purpose)
    return {**with_id(row, "referral_id"), **text, "version": with_etag(response, pool.version_of(referral_id))}


@router.post("/referrals/{referral_id}/withdraw", response_model=VersionPublic)
def withdraw_referral(referral_id: UUID, actor: CaseworkUser, pool: PoolDep, request: Request,
                      expected_version: ExpectedVersion, body: ReferralWithdrawCreate | None = None) -> dict[str, Any]:
    """Withdraw a referral that is no longer needed."""
    return done(request, pool.withdraw_referral(actor, referral_id, withdrawn_on=body.withdrawn_on if body else None,
                                                expected_version=expected_version))


@router.post("/referrals/{referral_id}/proposals", response_model=VersionPublic)
def propose_families(referral_id: UUID, body: ProposalCreate, actor: StaffUser, pool: PoolDep, request: Request,
                     expected_version: ExpectedVersion) -> dict[str, Any]:
    """Propose published families for a referral."""
    saved = pool.propose_families(actor, referral_id, family_ids=body.family_ids, proposed_on=body.proposed_on,
                                  expected_version=expected_version)
    return done(request, saved)


@router.put("/referrals/{referral_id}/criteria", response_model=VersionPublic)
def set_criteria(referral_id: UUID, body: ReferralCriteriaUpdate, actor: CaseworkUser, pool: PoolDep, request: Request,
                 expected_version: ExpectedVersion) -> dict[str, Any]:
    """Change what matching asks for: expected start, children placed together, the child's languages."""
    saved = pool.set_referral_criteria(actor, referral_id, **body.model_dump(mode="json"),
                                       expected_version=expected_version)
    return done(request, saved)


@router.put("/referrals/{referral_id}/urgent", response_model=VersionPublic)
def mark_urgent(referral_id: UUID, body: UrgencyUpdate, actor: CaseworkUser, pool: PoolDep, request: Request,
                expected_version: ExpectedVersion) -> dict[str, Any]:
    """Mark a need urgent (or not): an urgent jourhem referral is matched only with homes available today."""
    return done(request, pool.mark_urgent(actor, referral_id, urgent=body.urgent, expected_version=expected_version))


def present(need: Need, ranked: list[Suggestion], actor: Actor, lang: str) -> dict[str, Any]:
    """Suggestions as the API and the pages show them: family ids for pool staff only, codes for everyone."""
    staff = actor.role is Role.POOL_STAFF
    return {
        "criteria": {"kind": need.kind, "municipality": need.municipality, "child_age": need.child_age,
                     "expected_start": need.expected_start, "children": need.children,
                     "languages": list(need.languages), "urgent": need.urgent},
        "items": [{"family_id": s.family_id if staff else None, "code": code_of(s.seq), "score": s.score,
                   "reasons": [{"code": n.code, "params": n.params, "text": i18n.text(n.code, n.params, lang)}
                               for n in s.reasons]} for s in ranked],
    }


@router.get("/referrals/{referral_id}/suggestions", response_model=SuggestionsPublic)
def suggestions(referral_id: UUID, actor: CaseworkUser, pool: PoolDep, read_models: ReadModelsDep, request: Request,
                limit: Annotated[int, Query(ge=1, le=100, description="how many, best first")] = 20) -> dict[str, Any]:
    """Published families ranked for the referral, each with its score and reasons (docs/matching.md).

    Pool staff see every referral's; a municipality its own, with catalogue codes only (404 otherwise)."""
    need = pool.referral_need(actor, referral_id)
    lang = i18n.negotiate(request.headers.get("accept-language"))
    return {"referral_id": referral_id, **present(need, read_models.suggestions(need, limit), actor, lang)}


@router.put("/referrals/{referral_id}/non-execution-reason", response_model=VersionPublic)
def state_non_execution_reason(referral_id: UUID, body: NonExecutionReasonUpdate, actor: CaseworkUser,
                               pool: PoolDep, request: Request, expected_version: ExpectedVersion) -> dict[str, Any]:
    """State why a decision is not executed yet (the quarterly non-executed report shows it)."""
    saved = pool.state_non_execution_reason(actor, referral_id, reason=body.reason.value,
                                            expected_version=expected_version)
    return done(request, saved)


@router.post("/referrals/{referral_id}/close", response_model=VersionPublic)
def close_referral(referral_id: UUID, body: ReferralClose, actor: CaseworkUser, pool: PoolDep, request: Request,
                   expected_version: ExpectedVersion) -> dict[str, Any]:
    """Close a referral with its outcome and an optional note (sealed); its municipality or pool staff."""
    saved = pool.close_referral(actor, referral_id, outcome=body.outcome.value, note=body.note,
                                closed_on=body.closed_on, expected_version=expected_version)
    return done(request, saved)


@router.post("/referrals/{referral_id}/erase", response_model=VersionPublic)
def erase_referral(referral_id: UUID, actor: CaseworkUser, pool: PoolDep, request: Request,
                   expected_version: ExpectedVersion) -> dict[str, Any]:
    """Erase a closed referral's child data for good once the retention period has passed (409 before)."""
    return done(request, pool.erase_referral(actor, referral_id, expected_version=expected_version))
