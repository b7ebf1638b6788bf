"""Pool staff casework: the interest queues (broker, decline), placements (start, end), referrals and proposals."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.as_of import as_of_day
from api.deps import get_pool, get_read_models
from api.routes.referrals import present
from api.web.as_of import past_choice, read_models_at
from api.web.common import CheckedForm, done, pager, render, require_roles, status_for, window
from api.web.messages import INTEREST_STATUS, REFERRAL_STATUS, field_of, swedish
from api.web.staff_family import family_page
from pool.actors import Actor, Role
from pool.errors import InvalidInputError, NotFoundError, PoolError

router = APIRouter(include_in_schema=False)
Staff = Annotated[Actor, Depends(require_roles(Role.POOL_STAFF))]
PER_PAGE = 25
SUGGESTIONS = 20  # the "Förslag" panel: the best of the ranked families (docs/matching.md)


def status_param(request: Request, allowed: dict[str, str]) -> str | None:
    value = request.query_params.get("status") or None
    return value if value in allowed else None


# Interests ------------------------------------------------------------------------------------------

@router.get("/pool/intressen", response_class=HTMLResponse)
def interests(request: Request, actor: Staff) -> Response:
    status = status_param(request, INTEREST_STATUS)
    limit, offset = window(request, PER_PAGE)
    past = past_choice(request)
    page = read_models_at(request, past).interests(None, status, limit=limit, offset=offset)
    return render(request, "staff/interests.html", items=page.items, pager=pager(request, page.total, PER_PAGE),
                  values={"status": status or ""}, as_of=past)


def interest_row(request: Request, interest_id: UUID) -> dict[str, Any]:
    row = get_read_models(request).interest(interest_id, None)
    if row is None:
        raise NotFoundError("interest.not_found", id=str(interest_id))
    return row


@router.post("/pool/intressen/{interest_id}/formedla", response_class=HTMLResponse)
def broker(request: Request, interest_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    family_id = UUID(interest_row(request, interest_id)["family_id"])
    code_field, reason_field = f"broker_code_{interest_id}", f"broker_reason_{interest_id}"
    date_field = f"brokered_on_{interest_id}"
    try:  # out of turn only with a reason: a code the waiting members see, and a sealed written reason
        saved = get_pool(request).broker_interest(actor, interest_id, reason_code=str(form.get(code_field) or "") or None,
                                                  reason=str(form.get(reason_field) or ""),
                                                  brokered_on=str(form.get(date_field) or "") or None)
    except NotFoundError:
        raise
    except PoolError as exc:
        field = field_of(exc, {"reason_code": code_field, "reason": reason_field, "brokered_on": date_field}) \
            if isinstance(exc, InvalidInputError) else "form"
        values = {k: v for k, v in form.items() if k != "csrf_token"}
        return family_page(request, actor, family_id, status_for(exc), errors={field: swedish(exc)}, values=values)
    return done(request, saved, f"/pool/familjer/{family_id}#ko",
                "Kontakten är förmedlad. Kommunen ser nu familjens kontaktuppgifter.")


@router.post("/pool/intressen/{interest_id}/ej-startad", response_class=HTMLResponse)
def not_started(request: Request, interest_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    """The brokered link ends without a placement: the municipality no longer sees the contact details."""
    family_id = UUID(interest_row(request, interest_id)["family_id"])
    outcome_field, note_field, date_field = f"outcome_{interest_id}", f"outcome_note_{interest_id}", f"ended_on_{interest_id}"
    try:
        saved = get_pool(request).end_link_not_started(actor, interest_id, outcome=str(form.get(outcome_field) or ""),
                                                       note=str(form.get(note_field) or ""),
                                                       ended_on=str(form.get(date_field) or "") or None)
    except NotFoundError:
        raise
    except PoolError as exc:
        field = field_of(exc, {"outcome": outcome_field, "note": note_field, "ended_on": date_field}) \
            if isinstance(exc, InvalidInputError) else "form"
        values = {k: v for k, v in form.items() if k != "csrf_token"}
        return family_page(request, actor, family_id, status_for(exc), errors={field: swedish(exc)}, values=values)
    return done(request, saved, f"/pool/familjer/{family_id}#ko",
                "Förmedlingen är avslutad utan placering. Kommunen ser inte längre familjens kontaktuppgifter.")


@router.post("/pool/intressen/{interest_id}/avboj", response_class=HTMLResponse)
def decline(request: Request, interest_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    family_id = UUID(interest_row(request, interest_id)["family_id"])
    field, date_field = f"decline_{interest_id}", f"declined_on_{interest_id}"
    try:
        saved = get_pool(request).decline_interest(actor, interest_id, reason=str(form.get(field) or ""),
                                                   declined_on=str(form.get(date_field) or "") or None)
    except NotFoundError:
        raise
    except PoolError as exc:
        where = field_of(exc, {"reason": field, "declined_on": date_field}) if isinstance(exc, InvalidInputError) \
            else "form"
        return family_page(request, actor, family_id, status_for(exc), errors={where: swedish(exc)})
    return done(request, saved, f"/pool/familjer/{family_id}#ko", "Intresset är avböjt.")


# Placements -----------------------------------------------------------------------------------------

@router.get("/pool/placeringar", response_class=HTMLResponse)
def placements(request: Request, actor: Staff) -> Response:
    chosen = request.query_params.get("status") or ""
    active = {"aktiva": True, "avslutade": False}.get(chosen)
    overdue = True if chosen == "forfallna" else None
    limit, offset = window(request, PER_PAGE)
    past = past_choice(request)
    page = read_models_at(request, past).placements(None, active, limit=limit, offset=offset, overdue=overdue,
                                                    today=as_of_day(past.moment))
    return render(request, "staff/placements.html", items=page.items, pager=pager(request, page.total, PER_PAGE),
                  values={"status": request.query_params.get("status") or ""}, as_of=past)


def placement_page(request: Request, actor: Actor, placement_id: UUID, status: int = 200, **ctx: Any) -> Response:
    row = get_read_models(request).placement(placement_id, None)
    if row is None:
        raise NotFoundError("placement.not_found", id=str(placement_id))
    text = get_pool(request).placement_text(actor, placement_id, via="GET /pool/placeringar/{id}",  # audited
                                            purpose=request.query_params.get("syfte"))
    return render(request, "staff/placement.html", status, placement=row, text=text, **ctx)


@router.get("/pool/placeringar/{placement_id}", response_class=HTMLResponse)
def placement(request: Request, placement_id: UUID, actor: Staff) -> Response:
    return placement_page(request, actor, placement_id)


def placement_command(request: Request, actor: Actor, placement_id: UUID, form: Any, step: str, command: Any,
                      fields: dict[str, str], flash: str) -> Response:
    """Extend and end are asked once more before anything is written (a confirmation step)."""
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    if values.get("confirmed") != "1":
        return placement_page(request, actor, placement_id, confirm=step, values=values)
    try:
        saved = command()
    except NotFoundError:
        raise
    except PoolError as exc:
        field = field_of(exc, fields) if isinstance(exc, InvalidInputError) else "form"
        return placement_page(request, actor, placement_id, status_for(exc), errors={field: swedish(exc)},
                              values=values)
    return done(request, saved, f"/pool/placeringar/{placement_id}", flash)


@router.post("/pool/placeringar/{placement_id}/forlang", response_class=HTMLResponse)
def extend_placement(request: Request, placement_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    return placement_command(request, actor, placement_id, form, "extend", lambda: get_pool(request).extend_placement(
        actor, placement_id, planned_end_date=str(form.get("new_planned_end_date") or "").strip(),
        reason=str(form.get("extend_reason") or "")),
        {"planned_end_date": "new_planned_end_date", "reason": "extend_reason"}, "Placeringen är förlängd.")


@router.post("/pool/placeringar/{placement_id}/avsluta", response_class=HTMLResponse)
def end_placement(request: Request, placement_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    return placement_command(request, actor, placement_id, form, "end", lambda: get_pool(request).end_placement(
        actor, placement_id, end_date=str(form.get("end_date") or "").strip(),
        reason=str(form.get("end_reason") or "")), {"reason": "end_reason"}, "Placeringen är avslutad.")


# Referrals and proposals ----------------------------------------------------------------------------

@router.get("/pool/forfragningar", response_class=HTMLResponse)
def referrals(request: Request, actor: Staff) -> Response:
    status = status_param(request, REFERRAL_STATUS)
    limit, offset = window(request, PER_PAGE)
    past = past_choice(request)
    page = read_models_at(request, past).referrals(None, status, limit=limit, offset=offset)
    return render(request, "staff/referrals.html", items=page.items, pager=pager(request, page.total, PER_PAGE),
                  values={"status": status or ""}, as_of=past)


def referral_page(request: Request, actor: Actor, referral_id: UUID, status: int = 200, **ctx: Any) -> Response:
    read_models = get_read_models(request)
    row = read_models.referral(referral_id, None)
    if row is None:
        raise NotFoundError("referral.not_found", id=str(referral_id))
    text = get_pool(request).referral_text(actor, referral_id, via="GET /pool/forfragningar/{id}",  # audited
                                            purpose=request.query_params.get("syfte"))
    need = get_pool(request).referral_need(actor, referral_id)
    suggestions = present(need, read_models.suggestions(need, SUGGESTIONS), actor, "sv")
    proposed = {p["family_id"] for p in row["proposed_families"]}
    return render(request, "staff/referral.html", status, referral=row, text=text, suggestions=suggestions,
                  proposed=proposed, **ctx)


@router.get("/pool/forfragningar/{referral_id}", response_class=HTMLResponse)
def referral(request: Request, referral_id: UUID, actor: Staff) -> Response:
    return referral_page(request, actor, referral_id)


@router.post("/pool/forfragningar/{referral_id}/forslag", response_class=HTMLResponse)
def propose(request: Request, referral_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    family_ids: list[UUID] = []
    for value in form.getlist("family_ids"):
        try:
            family_ids.append(UUID(str(value)))
        except ValueError:
            continue
    try:
        saved = get_pool(request).propose_families(actor, referral_id, family_ids=family_ids,
                                                   proposed_on=str(form.get("proposed_on") or "") or None)
    except NotFoundError:  # a missing referral: referral_page answers 404 itself
        return referral_page(request, actor, referral_id, 404, errors={"family_ids": "Familjen finns inte."})
    except PoolError as exc:
        where = "proposed_on" if getattr(exc, "field", None) == "proposed_on" else "family_ids"
        return referral_page(request, actor, referral_id, status_for(exc), errors={where: swedish(exc)})
    return done(request, saved, f"/pool/forfragningar/{referral_id}",
                "Förslaget är skickat. Kommunen ser de föreslagna familjerna på sin förfrågan.")
