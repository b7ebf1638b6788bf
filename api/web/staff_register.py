"""Pool staff: the register of applicants and families (who waits, since when) and "Ny ansökan"."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_pool, get_read_models
from api.web.as_of import past_choice, read_models_at
from api.web.common import (
    CheckedForm, done, field_error, form_failed, member_options, pager, render, require_roles, window,
)
from api.web.messages import FAMILY_STATUS
from pool.actors import Actor, Role
from pool.errors import PoolError
from projections.register.unsealing import open_register_rows

router = APIRouter(include_in_schema=False)
Staff = Annotated[Actor, Depends(require_roles(Role.POOL_STAFF))]
PER_PAGE = 25
UNTOUCHED_DAYS = 30  # the seeds: applicants who heard nothing were lost; flag anyone left this long
WAITING = {"applied", "under_investigation", "approved"}

# Command field names -> the fields of the application form.
APPLICATION_FIELDS = {
    "kinds": "kinds", "home_municipality": "home_municipality", "adults": "adult1_name",
    "adults[0].name": "adult1_name", "adults[0].personal_number": "adult1_pnr",
    "adults[1].name": "adult2_name", "adults[1].personal_number": "adult2_pnr",
    "children_at_home_birth_years": "children_years", "contact.address": "address",
    "contact.postal_code": "postal_code", "contact.city": "city", "contact.phone": "phone",
    "contact.email": "email", "preferences": "age_min", "preferences.child_age_min": "age_min",
    "preferences.max_children": "max_children", "preferences.languages": "languages", "applied_on": "applied_on",
    "home_type": "home_type",
}


@router.get("/pool", response_class=HTMLResponse)
def register(request: Request, actor: Staff) -> Response:
    status = request.query_params.get("status") or None
    status = status if status in FAMILY_STATUS else None
    limit, offset = window(request, PER_PAGE)
    past = past_choice(request)
    page = read_models_at(request, past).register(status, limit=limit, offset=offset)
    rows = open_register_rows(get_pool(request), actor, page.items, via="GET /pool",  # names: an audited read
                              purpose=request.query_params.get("syfte"))
    for row in rows:
        row["untouched"] = row["status"] in WAITING and (row["days_since_last_action"] or 0) >= UNTOUCHED_DAYS
    return render(request, "staff/register.html", items=rows, pager=pager(request, page.total, PER_PAGE),
                  values={"status": status or ""}, untouched_days=UNTOUCHED_DAYS, as_of=past)


@router.get("/pool/familjer/ny", response_class=HTMLResponse)
def new_application(request: Request, actor: Staff) -> Response:
    return render(request, "staff/application.html", members=member_options(request),
                  values={"age_min": "0", "age_max": "17", "max_children": "1"})


def application_data(form: Any) -> dict[str, Any] | tuple[str, str]:
    """The command's arguments from the form, or (field, message) for what only the form can check."""
    text = {k: str(form.get(k) or "").strip() for k in form.keys() if k != "csrf_token"}
    adults = [{"name": text.get("adult1_name", ""), "personal_number": text.get("adult1_pnr", "")}]
    if text.get("adult2_name") or text.get("adult2_pnr"):
        adults.append({"name": text.get("adult2_name", ""), "personal_number": text.get("adult2_pnr", "")})
    years = [y for y in re.split(r"[,\s;]+", text.get("children_years", "")) if y]
    if not all(re.fullmatch(r"\d{4}", y) for y in years):
        return "children_years", "Ange födelseår med fyra siffror, åtskilda med kommatecken (t.ex. 2014, 2018)."
    for name in ("age_min", "age_max", "max_children"):
        if not re.fullmatch(r"\d{1,2}", text.get(name, "")):
            return name, "Ange ett heltal."
    return {
        "kinds": form.getlist("kinds"), "home_municipality": text.get("home_municipality", ""),
        "adults": adults, "children_at_home_birth_years": [int(y) for y in years],
        "contact": {k: text.get(k, "") for k in ("address", "postal_code", "city", "phone", "email")},
        "preferences": {"child_age_min": text["age_min"], "child_age_max": text["age_max"],
                        "max_children": text["max_children"], "siblings_ok": text.get("siblings_ok") == "1",
                        "languages": form.getlist("languages")},
        "applied_on": text.get("applied_on") or None, "home_type": text.get("home_type") or "recruited",
    }


@router.post("/pool/familjer/ny", response_class=HTMLResponse)
def create_application(request: Request, actor: Staff, form: CheckedForm) -> Response:
    ctx = {"members": member_options(request), "checked_kinds": form.getlist("kinds"),
           "checked_languages": form.getlist("languages")}
    data = application_data(form)
    if isinstance(data, tuple):
        return field_error(request, "staff/application.html", data[0], data[1], form, **ctx)
    try:
        saved = get_pool(request).apply_family(actor, **data)
    except PoolError as exc:
        return form_failed(request, "staff/application.html", exc, form, fields=APPLICATION_FIELDS, **ctx)
    return done(request, saved, f"/pool/familjer/{saved.id}", "Ansökan är registrerad.")
