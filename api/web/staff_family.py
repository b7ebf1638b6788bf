"""Pool staff: one family: personal data (audited), investigation, decision, training, publication, queue."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_pool, get_read_models
from api.web.common import CheckedForm, done, member_options, render, require_roles, status_for
from api.web.messages import field_of, swedish
from pool.actors import Actor, Role
from pool.domain.family import Family
from pool.errors import ErasedError, InvalidInputError, NotFoundError, PoolError
from pool.settings import description_review_required
from pool.values import required_steps
from projections.catalogue.projection import bands

router = APIRouter(include_in_schema=False)
Staff = Annotated[Actor, Depends(require_roles(Role.POOL_STAFF))]


def preview_item(request: Request, family: Family) -> dict[str, Any]:
    """The catalogue card as municipalities will see it: the published row, or the same fields computed now."""
    published = get_read_models(request).catalogue_item(family.id)
    text = get_pool(request).description_text(family)  # the current text, reviewed or not yet
    if published is not None:
        return {**published, "description": text or published["description"]}
    adult_years = [int(a["birth_year"]) for a in family.adults if a.get("birth_year")]
    adult_bands, child_bands = bands(adult_years, list(family.children_at_home_birth_years), date.today().year)
    try:
        area = get_pool(request).member(family.home_municipality).name
    except NotFoundError:
        area = "annan kommun"
    free = family.free_capacity
    return {"family_id": str(family.id), "code": "(kod vid publicering)", "kinds": [k.value for k in family.kinds],
            "area": {"code": family.home_municipality, "name": area},
            "household": {"adults": adult_bands, "children_at_home": child_bands},
            "preferences": family.preferences, "training": sorted({t["course"] for t in family.training}),
            "capacity": family.capacity, "free_capacity": free, "available": free > 0,
            "description": text or ""}


def family_page(request: Request, actor: Actor, family_id: UUID, status: int = 200, **ctx: Any) -> Response:
    entry = get_read_models(request).register_entry(family_id)
    if entry is None:
        raise NotFoundError("family.not_found", id=str(family_id))
    pool = get_pool(request)
    family = pool.load(Family, family_id)
    try:  # names, personnummer, contact details and notes: every read is audited
        personal = pool.family_personal_data(actor, family_id, via="GET /pool/familjer/{id}",
                                                   purpose=request.query_params.get("syfte"))
    except ErasedError:
        personal = None
    values = {"description": pool.description_text(family) or "", "completed_on": date.today().isoformat(),
              "start_date": date.today().isoformat(), **ctx.pop("values", {})}
    queue = queue_rows(request, actor, entry["interest_queue"])
    referrals = [q for q in queue if q["referral_id"] and q["status"] == "brokered"]
    return render(request, "staff/family.html", status, family=family, entry=entry, personal=personal,
                  steps=[s.value for s in required_steps(family.kinds)], preview=preview_item(request, family),
                  queue=queue, placement_referrals=referrals, members=member_options(request),
                  values=values, described=pool.description_state(family),
                  review_required=description_review_required(pool.env), **ctx)


def queue_rows(request: Request, actor: Actor, queue: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The register's queue with the queue's own state: resting, positions, reasons (written ones audited)."""
    read_models, pool = get_read_models(request), get_pool(request)
    rows = []
    for q in queue:
        row = {**q, **(read_models.interest(UUID(q["interest_id"]), None) or {})}
        row["earlier_waiting"] = any(r["status"] == "pending" for r in rows)
        # Every interest may carry the municipality's message: opened per row, each read audited.
        row["reasons"] = pool.interest_reasons(actor, UUID(q["interest_id"]), via="GET /pool/familjer/{id}",
                                               purpose=request.query_params.get("syfte"))
        rows.append(row)
    return rows


@router.get("/pool/familjer/{family_id}", response_class=HTMLResponse)
def family(request: Request, family_id: UUID, actor: Staff) -> Response:
    return family_page(request, actor, family_id)


def run(request: Request, actor: Actor, family_id: UUID, form: Any, command: Any, flash: str, anchor: str,
        fields: dict[str, str] | None = None, default_field: str = "form") -> Response:
    """Run one command of the family page; on failure show the page again with the message by its field."""
    try:
        saved = command()
    except NotFoundError:
        raise
    except PoolError as exc:
        field = field_of(exc, fields, default_field) if isinstance(exc, InvalidInputError) else default_field
        values = {k: v for k, v in form.items() if k != "csrf_token"}
        return family_page(request, actor, family_id, status_for(exc), errors={field: swedish(exc)}, values=values)
    return done(request, saved, f"/pool/familjer/{family_id}#{anchor}", flash)


def text(form: Any, name: str) -> str:
    return str(form.get(name) or "").strip()


def version(form: Any) -> int | None:
    value = text(form, "version")
    return int(value) if value.isdigit() else None


@router.post("/pool/familjer/{family_id}/utredning", response_class=HTMLResponse)
def investigation(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    pool = get_pool(request)
    return run(request, actor, family_id, form, lambda: pool.record_investigation_step(
        actor, family_id, step=text(form, "step"), outcome=text(form, "outcome"), note=text(form, "note"),
        step_done_on=text(form, "step_done_on") or None),
        "Utredningssteget är registrerat.", "utredning", {"step_done_on": "step_done_on"}, default_field="step")


@router.post("/pool/familjer/{family_id}/godkann", response_class=HTMLResponse)
def approve(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    pool = get_pool(request)
    return run(request, actor, family_id, form, lambda: pool.approve_family(
        actor, family_id, approved_on=text(form, "approved_on") or None, motivation=text(form, "motivation")),
        "Familjen är godkänd.", "beslut", {"approved_on": "approved_on", "motivation": "motivation"},
        default_field="decision")


@router.post("/pool/familjer/{family_id}/avslag", response_class=HTMLResponse)
def reject(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    pool = get_pool(request)
    return run(request, actor, family_id, form, lambda: pool.reject_family(
        actor, family_id, reason=text(form, "reject_reason"), rejected_on=text(form, "rejected_on") or None),
        "Ansökan är avslagen.", "beslut", {"reason": "reject_reason", "rejected_on": "rejected_on"},
        default_field="decision")


@router.post("/pool/familjer/{family_id}/utbildning", response_class=HTMLResponse)
def training(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    pool = get_pool(request)
    return run(request, actor, family_id, form, lambda: pool.record_training(
        actor, family_id, course=text(form, "course"), completed_on=text(form, "completed_on")),
        "Utbildningen är registrerad.", "utbildning", default_field="course")


@router.post("/pool/familjer/{family_id}/beskrivning", response_class=HTMLResponse)
def describe(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    """Save the description for review; the server checks it for personal data first."""
    pool = get_pool(request)
    return run(request, actor, family_id, form, lambda: pool.set_description(
        actor, family_id, description=text(form, "description"), expected_version=version(form)),
        "Beskrivningen är sparad. En annan poolkonsulent behöver granska den innan den publiceras.",
        "beskrivning", default_field="description")


@router.post("/pool/familjer/{family_id}/granska", response_class=HTMLResponse)
def review(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    """A second pool consultant approves the description ("granskad av")."""
    pool = get_pool(request)
    return run(request, actor, family_id, form, lambda: pool.review_description(
        actor, family_id, expected_version=version(form)),
        "Beskrivningen är granskad och kan publiceras.", "beskrivning", default_field="review")


@router.post("/pool/familjer/{family_id}/publicera", response_class=HTMLResponse)
def publish(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    """Publish the reviewed description; without required reviews the text box's text is published at once."""
    pool = get_pool(request)
    description = text(form, "description") or None
    return run(request, actor, family_id, form, lambda: pool.publish_family(
        actor, family_id, description=description, published_on=text(form, "published_on") or None,
        expected_version=version(form)),
        "Familjen är publicerad i katalogen.", "beskrivning", {"published_on": "published_on"},
        default_field="review" if description is None else "description")


@router.post("/pool/familjer/{family_id}/avpublicera", response_class=HTMLResponse)
def unpublish(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    pool = get_pool(request)
    return run(request, actor, family_id, form, lambda: pool.unpublish_family(
        actor, family_id, unpublished_on=text(form, "unpublished_on") or None),
        "Familjen är borttagen ur katalogen.", "beskrivning", {"unpublished_on": "unpublished_on"},
        default_field="description")


PLACEMENT_FIELDS = {"municipality": "placement_municipality", "kind": "placement_kind",
                    "start_date": "start_date", "planned_end_date": "planned_end_date",
                    "child_birth_month": "child_birth_month", "referral_id": "placement_referral",
                    "age_override_reason": "age_override_reason"}


@router.post("/pool/familjer/{family_id}/placering", response_class=HTMLResponse)
def start_placement(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    pool = get_pool(request)
    referral_id = text(form, "placement_referral")
    municipality = text(form, "placement_municipality")
    if referral_id and not municipality:  # the referral's own municipality, as the pool staff chose it
        row = get_read_models(request).referral(UUID(referral_id), None) if _is_uuid(referral_id) else None
        municipality = row["municipality"] if row else ""
    return run(request, actor, family_id, form, lambda: pool.start_placement(
        actor, family_id=family_id, municipality=municipality, kind=text(form, "placement_kind"),
        start_date=text(form, "start_date"), planned_end_date=text(form, "planned_end_date"),
        child_birth_month=text(form, "child_birth_month"),
        referral_id=UUID(referral_id) if _is_uuid(referral_id) else None,
        age_override=text(form, "age_override") == "1", age_override_reason=text(form, "age_override_reason")),
        "Placeringen är registrerad.", "placering", PLACEMENT_FIELDS, default_field="placement")


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True
