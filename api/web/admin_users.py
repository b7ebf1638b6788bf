"""Administrator pages for the logins: list, add, disable, enable, set a new password."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_pool, get_read_models
from api.web.admin_forms import ROLES, Form, password_form, user_form
from api.web.admin_members import failed
from api.web.common import CheckedForm, done, pager, render, require_roles, window
from pool.actors import Actor, Role
from pool.application import PoolApplication
from pool.errors import NotFoundError, PoolError
from projections.contract import ReadModels

router = APIRouter(include_in_schema=False)
Admin = Annotated[Actor, Depends(require_roles(Role.ADMIN))]
Pool = Annotated[PoolApplication, Depends(get_pool)]
Reads = Annotated[ReadModels, Depends(get_read_models)]
PAGE_SIZE = 20


def _member_options(read_models: ReadModels) -> list[tuple[str, str]]:
    return [(m["municipality"], f"{m['municipality']} {m['name']}") for m in read_models.members()
            if not m.get("left_on")]


@router.get("/admin/anvandare", response_class=HTMLResponse)
def users_page(request: Request, actor: Admin, read_models: Reads) -> Response:
    limit, offset = window(request, PAGE_SIZE)
    page = read_models.users(limit=limit, offset=offset)
    return render(request, "admin/users.html", page_title="Användare", users=page.items, roles=ROLES,
                  pager=pager(request, page.total, PAGE_SIZE))


def _new_user_page(request: Request, read_models: ReadModels, status: int = 200, **ctx: Any) -> HTMLResponse:
    return render(request, "admin/user_new.html", status, page_title="Ny användare", roles=list(ROLES.items()),
                  member_options=_member_options(read_models), **ctx)


@router.get("/admin/anvandare/ny", response_class=HTMLResponse)
def new_user_page(request: Request, actor: Admin, read_models: Reads) -> Response:
    return _new_user_page(request, read_models)


def _safe_values(f: Form) -> dict[str, Any]:
    # A password is never sent back to the browser, not even into its own field.
    return {k: v for k, v in f.data.items() if k not in ("csrf_token", "password", "password_again")}


@router.post("/admin/anvandare/ny", response_class=HTMLResponse)
def add_user(request: Request, form: CheckedForm, actor: Admin, pool: Pool, read_models: Reads) -> Response:
    members = {code for code, _ in _member_options(read_models)}
    f = user_form(form, members)
    if not f.ok:
        return _new_user_page(request, read_models, 422, errors=f.errors, values=_safe_values(f))
    username = f.data["username"]
    try:
        saved = pool.add_user(actor, username, role=f.data["role"], password=f.data["password"],
                              municipality=f.data.get("municipality") or None)
    except PoolError as e:
        errors = failed(e, ("username", "role", "municipality", "password"))
        if e.code == "user.exists":
            errors = {"username": f"Användarnamnet {username} finns redan."}
        return _new_user_page(request, read_models, 422, errors=errors, values=_safe_values(f))
    return done(request, saved, "/admin/anvandare", f"Användaren {username} är skapad.")


def _user_or_404(pool: PoolApplication, username: str) -> Any:
    try:
        return pool.user(username)
    except NotFoundError:
        raise NotFoundError("user.not_found") from None


@router.post("/admin/anvandare/{username}/inaktivera", response_class=HTMLResponse)
def disable(username: str, request: Request, form: CheckedForm, actor: Admin, pool: Pool) -> Response:
    _user_or_404(pool, username)
    if username == actor.username:
        # Locking oneself out would leave nobody able to undo it from the web.
        return done(request, None, "/admin/anvandare", "Du kan inte inaktivera dig själv.")
    saved = pool.disable_user(actor, username)
    return done(request, saved, _back(request), f"{username} är inaktiverad och utloggad.")


@router.post("/admin/anvandare/{username}/aktivera", response_class=HTMLResponse)
def enable(username: str, request: Request, form: CheckedForm, actor: Admin, pool: Pool) -> Response:
    _user_or_404(pool, username)
    saved = pool.enable_user(actor, username)
    return done(request, saved, _back(request), f"{username} är aktiverad igen.")


def _back(request: Request) -> str:
    # Back to the page of the list the button was on.
    page = request.query_params.get("sida", "")
    return f"/admin/anvandare?sida={page}" if page.isdigit() else "/admin/anvandare"


@router.get("/admin/anvandare/{username}/losenord", response_class=HTMLResponse)
def password_page(username: str, request: Request, actor: Admin, pool: Pool) -> Response:
    user = _user_or_404(pool, username)
    return render(request, "admin/user_password.html", page_title=f"Nytt lösenord för {user.username}",
                  username=user.username)


@router.post("/admin/anvandare/{username}/losenord", response_class=HTMLResponse)
def set_password(username: str, request: Request, form: CheckedForm, actor: Admin, pool: Pool) -> Response:
    user = _user_or_404(pool, username)
    f = password_form(Form(form), user.username)
    if not f.ok:
        return render(request, "admin/user_password.html", 422, page_title=f"Nytt lösenord för {user.username}",
                      username=user.username, errors=f.errors)
    try:
        saved = pool.set_password(actor, user.username, password=f.data["password"])
    except PoolError as e:
        return render(request, "admin/user_password.html", 422, page_title=f"Nytt lösenord för {user.username}",
                      username=user.username, errors=failed(e, ("password",)))
    return done(request, saved, "/admin/anvandare",
                f"Lösenordet för {user.username} är bytt. Tidigare inloggningar har avslutats.")
