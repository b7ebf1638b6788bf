"""Families (pool staff): application, investigation, decision, training, publication, erasure."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status

from api.as_of import AsOf, stated
from api.deps import (
    CurrentUser, ExpectedVersion, Limit, Offset, PoolDep, Purpose, ReadModelsDep, StaffOrAdmin, StaffUser, done,
    with_etag,
)
from api.errors import PROBLEMS
from api.schemas.common import VersionPublic
from api.schemas.families import (
    ApproveCreate, DescriptionPut, FamilyContactPublic, FamilyCreate, FamilyCreatedPublic, FamilyPublic, InvestigationStepCreate,
    FamilyRejectCreate, FamilyWithdrawCreate, PublishCreate, TrainingCreate, UnpublishCreate,
)
from api.schemas.read import RegisterPagePublic, with_id
from api.schemas.records import AvailabilityUpdate, ContactUpdate, HouseholdUpdate, OfferUpdate
from pool.domain.family import Family, FamilyStatus
from pool.errors import NotFoundError

router = APIRouter(tags=["families"], responses=PROBLEMS)


@router.post("/families", status_code=status.HTTP_201_CREATED, response_model=FamilyCreatedPublic)
def apply_family(body: FamilyCreate, actor: StaffUser, pool: PoolDep, request: Request) -> dict[str, Any]:
    """Register an applicant household; its personal data is sealed at once."""
    saved = pool.apply_family(actor, **body.model_dump(mode="json"))
    return done(request, saved, status="applied")


@router.get("/families", response_model=RegisterPagePublic)
def list_families(actor: StaffUser, pool: PoolDep, read_models: ReadModelsDep, limit: Limit = 50,
                  offset: Offset = 0, purpose: Purpose = None,
                  status_: Annotated[FamilyStatus | None, Query(alias="status")] = None,
                  as_of: AsOf = None) -> dict[str, Any]:
    """The register of applicants and families, filtered by status (who is waiting, since when, for what);
    with `as_of`, as it was then (names opened, and the read audited, as today)."""
    page = read_models.at(as_of).register(status_.value if status_ else None, limit=limit, offset=offset)
    from projections.register.unsealing import open_register_rows

    items = open_register_rows(pool, actor, page.items, via="GET /api/families", purpose=purpose)
    return {"items": [with_id(i, "family_id") for i in items], "total": page.total, "as_of": stated(as_of)}


@router.get("/families/{family_id}", response_model=FamilyPublic)
def get_family(family_id: UUID, actor: StaffUser, pool: PoolDep, read_models: ReadModelsDep,
               response: Response, purpose: Purpose = None) -> dict[str, Any]:
    """One family with its personal data (the read is audited); its version also as the ETag."""
    entry = read_models.register_entry(family_id)
    if entry is None:
        raise NotFoundError("family.not_found", id=str(family_id))
    personal = pool.family_personal_data(actor, family_id, via="GET /api/families/{id}", purpose=purpose)
    register = {k: v for k, v in entry.items() if k != "names"}  # names: sealed, opened below as adults
    version = with_etag(response, pool.version_of(family_id))
    return {"id": family_id, "status": entry.get("status"), "version": version,
            "record": register, **personal, "description": pool.description_state(pool.load(Family, family_id))}


@router.get("/families/{family_id}/contact", response_model=FamilyContactPublic)
def get_family_contact(family_id: UUID, actor: CurrentUser, pool: PoolDep, purpose: Purpose = None) -> dict[str, Any]:
    """Names and contact details, for a municipality whose interest was brokered (audited); else 404."""
    return {"id": family_id, **pool.family_contact(actor, family_id, via="GET /api/families/{id}/contact",
                                                   purpose=purpose)}


@router.post("/families/{family_id}/investigation", response_model=VersionPublic)
def record_investigation_step(family_id: UUID, body: InvestigationStepCreate, actor: StaffUser, pool: PoolDep,
                              request: Request, expected_version: ExpectedVersion) -> dict[str, Any]:
    """Record one checklist step of the investigation and its outcome."""
    saved = pool.record_investigation_step(actor, family_id, step=body.step.value, outcome=body.outcome.value,
                                           note=body.note, step_done_on=body.step_done_on,
                                           expected_version=expected_version)
    return done(request, saved)


@router.post("/families/{family_id}/approve", response_model=VersionPublic)
def approve_family(family_id: UUID, actor: StaffUser, pool: PoolDep, request: Request,
                   expected_version: ExpectedVersion, body: ApproveCreate | None = None) -> dict[str, Any]:
    """Approve a family whose investigation is complete (409 otherwise); a concern needs a motivation (422)."""
    saved = pool.approve_family(actor, family_id, approved_on=body.approved_on if body else None,
                                motivation=(body.motivation or "") if body else "", expected_version=expected_version)
    return done(request, saved)


@router.post("/families/{family_id}/reject", response_model=VersionPublic)
def reject_family(family_id: UUID, body: FamilyRejectCreate, actor: StaffUser, pool: PoolDep, request: Request,
                  expected_version: ExpectedVersion) -> dict[str, Any]:
    """Reject an applicant, with a reason."""
    saved = pool.reject_family(actor, family_id, reason=body.reason, rejected_on=body.rejected_on,
                               expected_version=expected_version)
    return done(request, saved)


@router.post("/families/{family_id}/training", response_model=VersionPublic)
def record_training(family_id: UUID, body: TrainingCreate, actor: StaffUser, pool: PoolDep, request: Request,
                    expected_version: ExpectedVersion) -> dict[str, Any]:
    """Record a completed course (e.g. "Ett hem att växa i")."""
    saved = pool.record_training(actor, family_id, course=body.course, completed_on=body.completed_on,
                                 expected_version=expected_version)
    return done(request, saved)


@router.put("/families/{family_id}/description", response_model=VersionPublic)
def set_description(family_id: UUID, body: DescriptionPut, actor: StaffUser, pool: PoolDep, request: Request,
                    expected_version: ExpectedVersion) -> dict[str, Any]:
    """Write or change the anonymous description (422 if it carries personal data); it then awaits review."""
    saved = pool.set_description(actor, family_id, description=body.description, expected_version=expected_version)
    return done(request, saved)


@router.post("/families/{family_id}/description/review", response_model=VersionPublic)
def review_description(family_id: UUID, actor: StaffUser, pool: PoolDep, request: Request,
                       expected_version: ExpectedVersion) -> dict[str, Any]:
    """A second pool consultant approves the description ("granskad av"); 409 for its own author."""
    return done(request, pool.review_description(actor, family_id, expected_version=expected_version))


@router.post("/families/{family_id}/publish", response_model=VersionPublic)
def publish_family(family_id: UUID, actor: StaffUser, pool: PoolDep, request: Request,
                   expected_version: ExpectedVersion, body: PublishCreate | None = None) -> dict[str, Any]:
    """Publish the reviewed description to the catalogue (409 until a second consultant has reviewed it)."""
    saved = pool.publish_family(actor, family_id, description=body.description if body else None,
                                published_on=body.published_on if body else None, expected_version=expected_version)
    return done(request, saved)


@router.post("/families/{family_id}/unpublish", response_model=VersionPublic)
def unpublish_family(family_id: UUID, actor: StaffUser, pool: PoolDep, request: Request,
                     expected_version: ExpectedVersion, body: UnpublishCreate | None = None) -> dict[str, Any]:
    """Take the family out of the catalogue."""
    return done(request, pool.unpublish_family(actor, family_id, unpublished_on=body.unpublished_on if body else None,
                                               expected_version=expected_version))


@router.post("/families/{family_id}/withdraw", response_model=VersionPublic)
def withdraw_family(family_id: UUID, actor: StaffUser, pool: PoolDep, request: Request,
                    expected_version: ExpectedVersion, body: FamilyWithdrawCreate | None = None) -> dict[str, Any]:
    """The family withdraws from the pool (no active placements)."""
    saved = pool.withdraw_family(actor, family_id, reason=body.reason if body else "",
                                 withdrawn_on=body.withdrawn_on if body else None, expected_version=expected_version)
    return done(request, saved)


@router.post("/families/{family_id}/erase", response_model=VersionPublic)
def erase_family(family_id: UUID, actor: StaffOrAdmin, pool: PoolDep, request: Request,
                 expected_version: ExpectedVersion) -> dict[str, Any]:
    """Erase the family's personal data for good (crypto-shredding)."""
    return done(request, pool.erase_family(actor, family_id, expected_version=expected_version))


@router.put("/families/{family_id}/household", response_model=VersionPublic)
def update_household(family_id: UUID, body: HouseholdUpdate, actor: StaffUser, pool: PoolDep, request: Request,
                     expected_version: ExpectedVersion) -> dict[str, Any]:
    """Replace the adults (sealed) and the children at home; the catalogue's age bands follow."""
    data = body.model_dump(mode="json")
    saved = pool.update_household(actor, family_id, adults=data["adults"],
                                  children_at_home_birth_years=data["children_at_home_birth_years"],
                                  expected_version=expected_version)
    return done(request, saved)


@router.put("/families/{family_id}/contact", response_model=VersionPublic)
def update_contact(family_id: UUID, body: ContactUpdate, actor: StaffUser, pool: PoolDep, request: Request,
                   expected_version: ExpectedVersion) -> dict[str, Any]:
    """Replace the address, phone and e-mail (sealed)."""
    saved = pool.update_contact(actor, family_id, contact=body.contact.model_dump(mode="json"),
                                home_municipality=body.home_municipality, expected_version=expected_version)
    return done(request, saved)


@router.put("/families/{family_id}/offer", response_model=VersionPublic)
def update_offer(family_id: UUID, body: OfferUpdate, actor: StaffUser, pool: PoolDep, request: Request,
                 expected_version: ExpectedVersion) -> dict[str, Any]:
    """Replace the kinds, capacity and preferences (409 if an active placement would no longer fit)."""
    data = body.model_dump(mode="json")
    saved = pool.update_offer(actor, family_id, kinds=data["kinds"], preferences=data["preferences"],
                              expected_version=expected_version)
    return done(request, saved)


@router.put("/families/{family_id}/availability", response_model=VersionPublic)
def state_availability(family_id: UUID, body: AvailabilityUpdate, actor: StaffUser, pool: PoolDep, request: Request,
                       expected_version: ExpectedVersion) -> dict[str, Any]:
    """Replace the periods a jourhem can take a child at short notice (urgent jourhem referrals are matched on it)."""
    periods = [p.model_dump(mode="json", by_alias=True) for p in body.periods]
    return done(request, pool.state_availability(actor, family_id, periods=periods, expected_version=expected_version))
