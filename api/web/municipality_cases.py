"""A municipality's own cases: "Mina förfrågningar", "Mina intressen" and "Mina placeringar"."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_pool, get_read_models
from api.routes.referrals import present
from api.web.common import CheckedForm, done, form_failed, pager, render, require_roles, status_for, window
from api.web.messages import INTEREST_STATUS, REFERRAL_STATUS, field_of, swedish
from api.web.municipality import open_referrals, parse_id
from pool.actors import Actor, Role
from pool.domain.interest import Interest
from pool.domain.referral import Referral
from pool.errors import InvalidInputError, NotFoundError, PoolError

router = APIRouter(include_in_schema=False)
Municipality = Annotated[Actor, Depends(require_roles(Role.MUNICIPALITY))]
PER_PAGE = 20
REFERRAL_FIELDS = ["kind", "legal_basis", "decision_date", "child_birth_month", "needs", "wishes"]
SUGGESTIONS = 10


def criteria_of(form: Any) -> dict[str, Any]:
    """The matching criteria of a form (docs/matching.md)."""
    return {"expected_start": str(form.get("expected_start") or "").strip() or None,
            "children": str(form.get("children") or "").strip() or "1",
            "languages": [str(v) for v in form.getlist("languages")]}


def status_param(request: Request, allowed: dict[str, str]) -> str | None:
    value = request.query_params.get("status") or None
    return value if value in allowed else None


# Referrals --------------------------------------------------------------------------------------

@router.get("/forfragningar", response_class=HTMLResponse)
def referrals(request: Request, actor: Municipality) -> Response:
    status = status_param(request, REFERRAL_STATUS)
    limit, offset = window(request, PER_PAGE)
    page = get_read_models(request).referrals(actor.municipality, status, limit=limit, offset=offset)
    return render(request, "municipality/referrals.html", items=page.items, pager=pager(request, page.total, PER_PAGE),
                  values={"status": status or ""})


@router.get("/forfragningar/ny", response_class=HTMLResponse)
def new_referral(request: Request, actor: Municipality) -> Response:
    return render(request, "municipality/referral_new.html")


@router.post("/forfragningar/ny", response_class=HTMLResponse)
def create_referral(request: Request, actor: Municipality, form: CheckedForm) -> Response:
    data = {k: str(form.get(k) or "").strip() for k in REFERRAL_FIELDS}
    try:
        saved = get_pool(request).register_referral(actor, **data, **criteria_of(form))
    except PoolError as exc:
        return form_failed(request, "municipality/referral_new.html", exc, form)
    return done(request, saved, f"/forfragningar/{saved.id}", "Förfrågan är registrerad.")


def referral_page(request: Request, actor: Actor, referral_id: UUID, status: int = 200, **ctx: Any) -> Response:
    row = get_read_models(request).referral(referral_id, actor.municipality)
    pool = get_pool(request)
    if row is None:  # 404 either way; another member's referral leaves an audit entry
        pool.refuse_read(actor, Referral, referral_id, "GET /forfragningar/{id}")
    aggregate = pool.load_owned(Referral, referral_id, actor)
    version = aggregate.version
    need = pool.referral_need(actor, referral_id)
    ctx["suggestions"] = present(need, get_read_models(request).suggestions(need, SUGGESTIONS), actor, "sv")
    start = aggregate.expected_start  # empty in the form when not given: "today" keeps moving with the days
    ctx.setdefault("criteria_values", {"expected_start": start.isoformat() if start else "",
                                       "children": str(need.children), "languages": list(need.languages)})
    ctx.setdefault("reason", getattr(aggregate, "non_execution_reason", None))
    ctx.setdefault("urgent", aggregate.urgent)
    # The needs, wishes and closing note are sealed: opening them is an audited read.
    text = pool.referral_text(actor, referral_id, via="GET /forfragningar/{id}")
    if "values" not in ctx:
        ctx["values"] = {"needs": text["needs"], "wishes": text["wishes"], "decision_date": row["decision_date"],
                         "child_birth_month": row["child_birth_month"]}
    return render(request, "municipality/referral.html", status, referral=row, version=version, text=text, **ctx)


@router.get("/forfragningar/{referral_id}", response_class=HTMLResponse)
def referral(request: Request, referral_id: UUID, actor: Municipality) -> Response:
    return referral_page(request, actor, referral_id)


@router.post("/forfragningar/{referral_id}/andra", response_class=HTMLResponse)
def edit_referral(request: Request, referral_id: UUID, actor: Municipality, form: CheckedForm) -> Response:
    version = str(form.get("version") or "")
    try:
        saved = get_pool(request).edit_referral(
            actor, referral_id, needs=str(form.get("needs") or ""), wishes=str(form.get("wishes") or ""),
            decision_date=str(form.get("decision_date") or "").strip(),
            child_birth_month=str(form.get("child_birth_month") or "").strip(),
            expected_version=int(version) if version.isdigit() else None)
    except NotFoundError:
        raise
    except PoolError as exc:
        field = field_of(exc) if isinstance(exc, InvalidInputError) else "form"
        values = {k: v for k, v in form.items() if k != "csrf_token"}
        return referral_page(request, actor, referral_id, status_for(exc), values=values,
                             errors={field: swedish(exc)})
    return done(request, saved, f"/forfragningar/{referral_id}", "Ändringarna är sparade.")


@router.post("/forfragningar/{referral_id}/kriterier", response_class=HTMLResponse)
def set_criteria(request: Request, referral_id: UUID, actor: Municipality, form: CheckedForm) -> Response:
    criteria = criteria_of(form)
    try:
        saved = get_pool(request).set_referral_criteria(actor, referral_id, **criteria)
    except NotFoundError:
        raise
    except PoolError as exc:
        field = field_of(exc) if isinstance(exc, InvalidInputError) else "form"
        return referral_page(request, actor, referral_id, status_for(exc), errors={field: swedish(exc)},
                             criteria_values={**criteria, "children": str(criteria["children"])})
    return done(request, saved, f"/forfragningar/{referral_id}#suggestions-heading",
                "Matchningen är sparad. Förslagen är uppdaterade.")


@router.post("/forfragningar/{referral_id}/aterkalla", response_class=HTMLResponse)
def withdraw_referral(request: Request, referral_id: UUID, actor: Municipality, form: CheckedForm) -> Response:
    try:
        saved = get_pool(request).withdraw_referral(actor, referral_id,
                                                    withdrawn_on=str(form.get("withdrawn_on") or "") or None)
    except NotFoundError:
        raise
    except PoolError as exc:
        return referral_page(request, actor, referral_id, 409, errors={"form": swedish(exc)})
    return done(request, saved, "/forfragningar", "Förfrågan är återkallad.")


@router.post("/forfragningar/{referral_id}/akut", response_class=HTMLResponse)
def mark_urgent(request: Request, referral_id: UUID, actor: Municipality, form: CheckedForm) -> Response:
    urgent = str(form.get("urgent") or "") == "1"
    try:
        saved = get_pool(request).mark_urgent(actor, referral_id, urgent=urgent)
    except NotFoundError:
        raise
    except PoolError as exc:
        return referral_page(request, actor, referral_id, status_for(exc), errors={"form": swedish(exc)})
    return done(request, saved, f"/forfragningar/{referral_id}",
                "Förfrågan är markerad som akut." if urgent else "Förfrågan är inte längre akut.")


@router.post("/forfragningar/{referral_id}/skal", response_class=HTMLResponse)
def state_non_execution_reason(request: Request, referral_id: UUID, actor: Municipality, form: CheckedForm) -> Response:
    try:
        saved = get_pool(request).state_non_execution_reason(actor, referral_id, reason=str(form.get("reason") or ""))
    except NotFoundError:
        raise
    except PoolError as exc:
        return referral_page(request, actor, referral_id, status_for(exc), errors={"reason": swedish(exc)})
    return done(request, saved, f"/forfragningar/{referral_id}", "Skälet är sparat.")


# Interests --------------------------------------------------------------------------------------

@router.get("/intressen", response_class=HTMLResponse)
def interests(request: Request, actor: Municipality) -> Response:
    status = status_param(request, INTEREST_STATUS)
    limit, offset = window(request, PER_PAGE)
    page = get_read_models(request).interests(actor.municipality, status, limit=limit, offset=offset)
    return render(request, "municipality/interests.html", items=page.items, pager=pager(request, page.total, PER_PAGE),
                  values={"status": status or ""})


def interest_page(request: Request, actor: Actor, interest_id: UUID, status: int = 200, **ctx: Any) -> Response:
    row = get_read_models(request).interest(interest_id, actor.municipality)
    if row is None:  # 404 either way; another member's interest leaves an audit entry
        get_pool(request).refuse_read(actor, Interest, interest_id, "GET /intressen/{id}")
    contact, erased = None, False
    if row["status"] in ("brokered", "placed"):
        try:  # the family's identity: only while brokered or placed, and every read is audited
            contact = get_pool(request).family_contact(actor, UUID(row["family_id"]), via="GET /intressen/{id}")
        except NotFoundError:
            erased = True
    attachable = [(r["referral_id"], f"{r['kind']}, beslut {r['decision_date']}, född {r['child_birth_month']}")
                  for r in open_referrals(request, actor) if r["referral_id"] not in row["referral_ids"]]
    # Its own message, and why the pool declined it or brokered it out of turn (each read audited).
    reasons = get_pool(request).interest_reasons(actor, interest_id, via="GET /intressen/{id}")
    return render(request, "municipality/interest.html", status, interest=row, contact=contact, erased=erased,
                  attachable=attachable, reasons=reasons, **ctx)


@router.get("/intressen/{interest_id}", response_class=HTMLResponse)
def interest(request: Request, interest_id: UUID, actor: Municipality) -> Response:
    return interest_page(request, actor, interest_id)


@router.post("/intressen/{interest_id}/forfragan", response_class=HTMLResponse)
def attach_referral(request: Request, interest_id: UUID, actor: Municipality, form: CheckedForm) -> Response:
    referral_id = parse_id(form.get("referral_id"))
    if referral_id is None:
        return interest_page(request, actor, interest_id, 422, errors={"referral_id": "Välj en av era förfrågningar."})
    try:
        saved = get_pool(request).attach_referral(actor, interest_id, referral_id=referral_id)
    except PoolError as exc:
        if isinstance(exc, NotFoundError) and "referral" not in (exc.code.split(".")[0], exc.params.get("kind")):
            raise
        return interest_page(request, actor, interest_id, status_for(exc), errors={"referral_id": swedish(exc)})
    return done(request, saved, f"/intressen/{interest_id}", "Förfrågan är kopplad till intresseanmälan.")


@router.post("/intressen/{interest_id}/ej-startad", response_class=HTMLResponse)
def not_started(request: Request, interest_id: UUID, actor: Municipality, form: CheckedForm) -> Response:
    try:
        saved = get_pool(request).end_link_not_started(actor, interest_id, outcome=str(form.get("outcome") or ""),
                                                       note=str(form.get("note") or ""),
                                                       ended_on=str(form.get("ended_on") or "") or None)
    except NotFoundError:
        raise
    except PoolError as exc:
        field = field_of(exc, None, "form") if isinstance(exc, InvalidInputError) else "form"
        values = {k: v for k, v in form.items() if k != "csrf_token"}
        return interest_page(request, actor, interest_id, status_for(exc), errors={field: swedish(exc)}, values=values)
    return done(request, saved, f"/intressen/{interest_id}",
                "Förmedlingen är avslutad utan placering. Familjens kontaktuppgifter visas inte längre.")


@router.post("/intressen/{interest_id}/aterkalla", response_class=HTMLResponse)
def withdraw_interest(request: Request, interest_id: UUID, actor: Municipality, form: CheckedForm) -> Response:
    try:
        saved = get_pool(request).withdraw_interest(actor, interest_id)
    except NotFoundError:
        raise
    except PoolError as exc:
        return done(request, None, "/intressen", swedish(exc))
    return done(request, saved, "/intressen", "Intresseanmälan är återkallad.")


# Placements -------------------------------------------------------------------------------------

@router.get("/placeringar", response_class=HTMLResponse)
def placements(request: Request, actor: Municipality) -> Response:
    chosen = request.query_params.get("status") or ""
    active = {"aktiva": True, "avslutade": False}.get(chosen)
    overdue = True if chosen == "forfallna" else None
    limit, offset = window(request, PER_PAGE)
    page = get_read_models(request).placements(actor.municipality, active, limit=limit, offset=offset,
                                                overdue=overdue)
    return render(request, "municipality/placements.html", items=page.items, pager=pager(request, page.total, PER_PAGE),
                  values={"status": request.query_params.get("status") or ""})
