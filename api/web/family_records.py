"""Pool staff maintain a family's record: household, contact, offer; withdraw and erase with a confirmation."""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_pool
from api.web.common import CheckedForm, done, render, require_roles, status_for
from api.web.messages import field_of, swedish
from api.web.staff_family import family_page
from pool.actors import Actor, Role
from pool.domain.family import Family
from pool.errors import ErasedError, InvalidInputError, NotFoundError, PoolError

router = APIRouter(include_in_schema=False)
Staff = Annotated[Actor, Depends(require_roles(Role.POOL_STAFF))]
MAX_ADULTS = 4
CONFIRM = "Kryssa i ”Jag bekräftar” för att fortsätta."

# Command field names -> the fields of the edit forms.
FIELDS = {
    "adults": "adult1_name", **{f"adults[{i}].name": f"adult{i + 1}_name" for i in range(MAX_ADULTS)},
    **{f"adults[{i}].personal_number": f"adult{i + 1}_pnr" for i in range(MAX_ADULTS)},
    "periods": "avail1_from", **{f"periods.{i}": f"avail{i + 1}_from" for i in range(4)},
    **{f"periods.{i}.from": f"avail{i + 1}_from" for i in range(4)},
    **{f"periods.{i}.to": f"avail{i + 1}_to" for i in range(4)},
    "children_at_home_birth_years": "children_years", "contact.address": "address",
    "contact.postal_code": "postal_code", "contact.city": "city", "contact.phone": "phone", "contact.email": "email",
    "home_municipality": "home_municipality", "kinds": "kinds", "preferences": "age_min",
    "preferences.child_age_min": "age_min", "preferences.max_children": "max_children",
    "preferences.languages": "languages",
}


def current_values(request: Request, actor: Actor, family: Family) -> dict[str, Any]:
    """The form prefilled with the record as it is (opening the personal data is an audited read)."""
    personal = get_pool(request).family_personal_data(actor, family.id, via="GET /pool/familjer/{id}/andra",
                                                      purpose=request.query_params.get("syfte"))
    values: dict[str, Any] = {**personal["contact"], "home_municipality": family.home_municipality,
                              "children_years": ", ".join(str(y) for y in family.children_at_home_birth_years)}
    for i, adult in enumerate(personal["adults"], start=1):
        values[f"adult{i}_name"], values[f"adult{i}_pnr"] = adult["name"], adult["personal_number"]
    p = family.preferences
    for i, period in enumerate(family.availability, start=1):
        values[f"avail{i}_from"], values[f"avail{i}_to"] = period["from"].isoformat(), period["to"].isoformat()
    values.update({"age_min": str(p.get("child_age_min", 0)), "age_max": str(p.get("child_age_max", 17)),
                   "max_children": str(p.get("max_children", 1)), "siblings_ok": "1" if p.get("siblings_ok") else ""})
    return values


def edit_page(request: Request, actor: Actor, family_id: UUID, status: int = 200, form: Any = None,
              **ctx: Any) -> Response:
    family = get_pool(request).load(Family, family_id)
    if family.status.value == "erased":
        raise ErasedError("family.erased")
    values = current_values(request, actor, family)
    checked_kinds, languages = [k.value for k in family.kinds], list(family.preferences.get("languages") or [])
    if form is not None:  # a refused form shows what was typed
        values.update({k: str(v) for k, v in form.items() if k != "csrf_token"})
        values["siblings_ok"] = "1" if form.get("siblings_ok") else ""
        checked_kinds, languages = form.getlist("kinds"), form.getlist("languages")
    return render(request, "staff/family_edit.html", status, family=family, values=values, checked_kinds=checked_kinds,
                  checked_languages=languages, adult_rows=range(1, MAX_ADULTS + 1),
                  availability_rows=range(1, AVAILABILITY_ROWS + 1), **ctx)


@router.get("/pool/familjer/{family_id}/andra", response_class=HTMLResponse)
def edit(request: Request, family_id: UUID, actor: Staff) -> Response:
    return edit_page(request, actor, family_id)


AVAILABILITY_ROWS = 4  # the page's rows; the API takes up to pool.availability.MAX_PERIODS


def _text(form: Any) -> dict[str, str]:
    return {k: str(form.get(k) or "").strip() for k in form.keys() if k != "csrf_token"}


def _version(form: Any) -> int | None:
    value = str(form.get("version") or "")
    return int(value) if value.isdigit() else None


def _run(request: Request, actor: Actor, family_id: UUID, form: Any, command: Any, flash: str) -> Response:
    try:
        saved = command()
    except NotFoundError:
        raise
    except PoolError as exc:
        field = field_of(exc, FIELDS) if isinstance(exc, InvalidInputError) else "form"
        return edit_page(request, actor, family_id, status_for(exc), form=form, errors={field: swedish(exc)})
    return done(request, saved, f"/pool/familjer/{family_id}#personal-heading", flash)


@router.post("/pool/familjer/{family_id}/kontakt", response_class=HTMLResponse)
def update_contact(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    t = _text(form)
    contact = {k: t.get(k, "") for k in ("address", "postal_code", "city", "phone", "email")}
    return _run(request, actor, family_id, form, lambda: get_pool(request).update_contact(
        actor, family_id, contact=contact, home_municipality=t.get("home_municipality") or None,
        expected_version=_version(form)), "Kontaktuppgifterna är ändrade.")


@router.post("/pool/familjer/{family_id}/hushall", response_class=HTMLResponse)
def update_household(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    t = _text(form)
    adults = [{"name": t.get(f"adult{i}_name", ""), "personal_number": t.get(f"adult{i}_pnr", "")}
              for i in range(1, MAX_ADULTS + 1) if i == 1 or t.get(f"adult{i}_name") or t.get(f"adult{i}_pnr")]
    years = [y for y in re.split(r"[,\s;]+", t.get("children_years", "")) if y]
    if not all(re.fullmatch(r"\d{4}", y) for y in years):
        return edit_page(request, actor, family_id, 422, form=form, errors={
            "children_years": "Ange födelseår med fyra siffror, åtskilda med kommatecken (t.ex. 2014, 2018)."})
    return _run(request, actor, family_id, form, lambda: get_pool(request).update_household(
        actor, family_id, adults=adults, children_at_home_birth_years=[int(y) for y in years],
        expected_version=_version(form)), "Hushållet är ändrat.")


@router.post("/pool/familjer/{family_id}/erbjudande", response_class=HTMLResponse)
def update_offer(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    t = _text(form)
    for name in ("age_min", "age_max", "max_children"):
        if not re.fullmatch(r"\d{1,2}", t.get(name, "")):
            return edit_page(request, actor, family_id, 422, form=form, errors={name: "Ange ett heltal."})
    preferences = {"child_age_min": t["age_min"], "child_age_max": t["age_max"], "max_children": t["max_children"],
                   "siblings_ok": t.get("siblings_ok") == "1", "languages": form.getlist("languages")}
    return _run(request, actor, family_id, form, lambda: get_pool(request).update_offer(
        actor, family_id, kinds=form.getlist("kinds"), preferences=preferences, expected_version=_version(form)),
        "Insatstyper, platser och önskemål är ändrade.")


def _confirmed(request: Request, actor: Actor, family_id: UUID, form: Any, command: Any, flash: str,
               field: str, url: str) -> Response:
    """A destructive command runs only with "Jag bekräftar" ticked; a refusal shows the family page again."""
    if form.get(f"{field}_confirm") != "1":
        return family_page(request, actor, family_id, 422, errors={field: CONFIRM})
    try:
        saved = command()
    except NotFoundError:
        raise
    except PoolError as exc:
        return family_page(request, actor, family_id, status_for(exc), errors={field: swedish(exc)})
    return done(request, saved, url, flash)


@router.post("/pool/familjer/{family_id}/uttrade", response_class=HTMLResponse)
def withdraw(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    reason = str(form.get("withdraw_reason") or "")
    return _confirmed(request, actor, family_id, form, lambda: get_pool(request).withdraw_family(
        actor, family_id, reason=reason, withdrawn_on=str(form.get("withdrawn_on") or "") or None,
        expected_version=_version(form)), "Familjen har lämnat poolen.",
        "withdraw", f"/pool/familjer/{family_id}")


@router.post("/pool/familjer/{family_id}/radera", response_class=HTMLResponse)
def erase(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    return _confirmed(request, actor, family_id, form, lambda: get_pool(request).erase_family(
        actor, family_id, expected_version=_version(form)), "Familjens personuppgifter är raderade.",
        "erase", f"/pool/familjer/{family_id}")


@router.post("/pool/familjer/{family_id}/jourhem", response_class=HTMLResponse)
def state_availability(request: Request, family_id: UUID, actor: Staff, form: CheckedForm) -> Response:
    t = _text(form)
    periods = [{"from": t.get(f"avail{i}_from", ""), "to": t.get(f"avail{i}_to", "")}
               for i in range(1, AVAILABILITY_ROWS + 1) if t.get(f"avail{i}_from") or t.get(f"avail{i}_to")]
    return _run(request, actor, family_id, form, lambda: get_pool(request).state_availability(
        actor, family_id, periods=periods, expected_version=_version(form)), "Jourhemmets perioder är sparade.")
