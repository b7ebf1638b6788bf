"""Notiser (everyone), Bevakningar and "Spara sökningen" (municipality users), e-mail addresses and sends (admin)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_pool, get_read_models
from api.web.common import CheckedForm, WebUser, form_failed, redirect, render, require_roles
from api.web.messages import KINDS
from api.web.municipality import open_referrals, parse_id, read_filter
from pool.actors import Actor, Role
from pool.codes import language_name
from pool.domain.user import User
from pool.errors import NotFoundError, PoolError
from projections.notifications.outbox import Outbox
from projections.notifications.queries import wait_until

router = APIRouter(include_in_schema=False)
Municipality = Annotated[Actor, Depends(require_roles(Role.MUNICIPALITY))]
Admin = Annotated[Actor, Depends(require_roles(Role.ADMIN))]
MODES = {"immediate": "Direkt, ett mejl per notis", "daily": "Ett sammandrag per dag", "none": "Ingen e-post"}


def _settled(request: Request, saved: Any) -> None:
    view = getattr(get_read_models(request), "notifications_view", None)
    if view is not None and saved is not None:
        wait_until(view, saved.position, timeout=2.0)


def describe(criteria: dict[str, Any]) -> str:
    """A saved search in Swedish words: "familjehem · barn 9 år · arabiska · kommun 0184"."""
    parts = []
    if criteria.get("kind"):
        parts.append(KINDS.get(criteria["kind"], criteria["kind"]))
    if criteria.get("child_age") is not None:
        parts.append(f"barn {criteria['child_age']} år")
    if criteria.get("siblings") is not None:
        parts.append("tar emot syskon" if criteria["siblings"] else "inte syskon")
    if criteria.get("language"):
        parts.append(language_name(criteria["language"]))
    if criteria.get("area"):
        parts.append(f"kommun {criteria['area']}")
    return " · ".join(parts)


# Notiser -------------------------------------------------------------------------------------------

def _notices_page(request: Request, actor: Actor, status: int = 200, **ctx: Any) -> HTMLResponse:
    context = _notices_context(request, actor)
    return render(request, "notices/notices.html", status, values={"mode": context["mode"]}, **context, **ctx)


@router.get("/notiser", response_class=HTMLResponse)
def notices_page(request: Request, actor: WebUser) -> Response:
    if actor.user_id is None:
        raise NotFoundError("record.not_found", kind="user", id="")
    return _notices_page(request, actor)


@router.post("/notiser/lasta", response_class=HTMLResponse)
def mark_all_read(request: Request, actor: WebUser, form: CheckedForm) -> Response:
    Outbox(get_read_models(request).notifications_view).mark_read(str(actor.user_id))  # type: ignore[attr-defined]
    return redirect(request, "/notiser", "Alla notiser är markerade som lästa.")


@router.post("/notiser/{notice_id}/last", response_class=HTMLResponse)
def mark_read(notice_id: str, request: Request, actor: WebUser, form: CheckedForm) -> Response:
    outbox = Outbox(get_read_models(request).notifications_view)  # type: ignore[attr-defined]
    if not outbox.owns(str(actor.user_id), notice_id):
        raise NotFoundError("notification.not_found", id=notice_id)
    outbox.mark_read(str(actor.user_id), notice_id)
    return redirect(request, "/notiser", "Notisen är markerad som läst.")


@router.post("/notiser/epost", response_class=HTMLResponse)
def choose_mode(request: Request, actor: WebUser, form: CheckedForm) -> Response:
    try:
        get_pool(request).choose_notifications(actor, mode=str(form.get("mode") or ""))
    except PoolError as exc:
        return form_failed(request, "notices/notices.html", exc, form, fields={"mode": "mode"},
                           **_notices_context(request, actor))
    return redirect(request, "/notiser", "Ditt val av e-post är sparat.")


def _notices_context(request: Request, actor: Actor) -> dict[str, Any]:
    read_models: Any = get_read_models(request)
    me = get_pool(request).load(User, actor.user_id)
    page = read_models.notices(str(actor.user_id), actor.role.value, limit=100)
    return {"page_title": "Notiser", "notices": page.items, "total": page.total, "modes": MODES,
            "mode": me.notification_mode, "has_email": bool(me.email)}


# Bevakningar ---------------------------------------------------------------------------------------

@router.get("/bevakningar", response_class=HTMLResponse)
def searches_page(request: Request, actor: Municipality) -> Response:
    searches = get_read_models(request).saved_searches(str(actor.user_id))  # type: ignore[attr-defined]
    for s in searches:
        s["text"] = describe(s["criteria"])
    return render(request, "notices/searches.html", page_title="Bevakningar", searches=searches)


@router.post("/bevakningar/ny", response_class=HTMLResponse)
def save_search(request: Request, actor: Municipality, form: CheckedForm) -> Response:
    """"Spara sökningen" on the catalogue page: the filter as it stands (the form repeats it hidden)."""
    f, errors = read_filter(form)
    criteria = {"kind": f.kind, "child_age": f.child_age, "siblings": f.siblings, "language": f.language,
                "area": f.area}
    criteria = {k: v for k, v in criteria.items() if v is not None}
    if errors or not criteria:
        return redirect(request, "/katalog", "Välj minst ett filter (utom ”ledig plats nu”) innan du sparar sökningen.")
    try:
        saved = get_pool(request).save_search(actor, criteria=criteria, referral_id=parse_id(form.get("referral_id")))
    except PoolError as exc:
        return redirect(request, "/katalog", "Sökningen kunde inte sparas: " + _swedish(exc))
    _settled(request, saved)
    return redirect(request, "/bevakningar", "Sökningen är sparad. Du får en notis när en familj som matchar "
                                             "publiceras eller får en ledig plats.")


def _swedish(exc: PoolError) -> str:
    from api.web.messages import swedish

    return swedish(exc)


@router.post("/bevakningar/{search_id}/ta-bort", response_class=HTMLResponse)
def delete_search(search_id: UUID, request: Request, actor: Municipality, form: CheckedForm) -> Response:
    saved = get_pool(request).delete_saved_search(actor, search_id)
    _settled(request, saved)
    return redirect(request, "/bevakningar", "Bevakningen är borttagen.")


def save_search_context(request: Request, actor: Actor) -> dict[str, Any]:
    """What the catalogue page needs for its "Spara sökningen" form: the user's open referrals."""
    return {"save_referrals": open_referrals(request, actor)}


# Admin: addresses and sends --------------------------------------------------------------------------

@router.get("/admin/anvandare/{username}/epost", response_class=HTMLResponse)
def email_page(username: str, request: Request, actor: Admin) -> Response:
    user = _user(request, username)
    return render(request, "admin/user_email.html", page_title=f"E-post för {user.username}", username=user.username,
                  has_email=bool(user.email))


@router.post("/admin/anvandare/{username}/epost", response_class=HTMLResponse)
def set_email(username: str, request: Request, actor: Admin, form: CheckedForm) -> Response:
    user = _user(request, username)
    try:
        saved = get_pool(request).set_user_email(actor, user.username, email=str(form.get("email") or ""))
    except PoolError as exc:
        return form_failed(request, "admin/user_email.html", exc, form, fields={"email": "email"},
                           page_title=f"E-post för {user.username}", username=user.username,
                           has_email=bool(user.email))
    del saved
    return redirect(request, "/admin/anvandare", f"E-postadressen för {user.username} är sparad.")


def _user(request: Request, username: str) -> Any:
    try:
        return get_pool(request).user(username)
    except NotFoundError:
        raise NotFoundError("user.not_found") from None


@router.get("/admin/notiser", response_class=HTMLResponse)
def outbox_page(request: Request, actor: Admin) -> Response:
    rows = get_read_models(request).outbox(("pending", "retry", "failed"))  # type: ignore[attr-defined]
    return render(request, "admin/outbox.html", page_title="E-postnotiser", rows=rows)


@router.post("/admin/notiser/forsok-igen", response_class=HTMLResponse)
def retry_failed(request: Request, actor: Admin, form: CheckedForm) -> Response:
    count = Outbox(get_read_models(request).notifications_view).retry_failed()  # type: ignore[attr-defined]
    return redirect(request, "/admin/notiser", f"{count} mejl försöks skickas igen.")
