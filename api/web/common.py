"""Shared web plumbing: templates, render(), the signed-in user, roles, checked forms, errors, pagination."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from api.deps import record_denied_read, settle_if_available
from api.formatting import sv_date, sv_number, sv_percent, sv_sek
from api.web import messages
from api.web.nav import NAV, ROLE_NAMES
from api.web.session import (
    FLASH_COOKIE, csrf_matches, csrf_token, optional_actor, read_flash, set_flash, set_pre_session)
from pool.actors import Actor, Role
from pool.codes import COURSES, course_name, language_name, languages
from pool.errors import InvalidInputError, PoolError, RuleViolationError, VersionMismatchError

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
templates.env.globals.update(KINDS=messages.KINDS, LEGAL_BASES=messages.LEGAL_BASES, STEPS=messages.STEPS,
                             OUTCOMES=messages.OUTCOMES, END_REASONS=messages.END_REASONS,
                             FAMILY_STATUS=messages.FAMILY_STATUS, REFERRAL_STATUS=messages.REFERRAL_STATUS,
                             INTEREST_STATUS=messages.INTEREST_STATUS,
                             NON_EXECUTION_REASONS=messages.NON_EXECUTION_REASONS)
templates.env.globals.update(LANGUAGES=languages(), COURSES=COURSES)
templates.env.filters["kind"] = lambda v: messages.KINDS.get(v, v)
templates.env.filters.update(day=sv_date, number=sv_number, sek=sv_sek, percent=sv_percent)  # Babel, sv_SE
templates.env.filters["language"] = language_name
templates.env.filters["course"] = course_name
templates.env.filters["yesno"] = lambda v: "Ja" if v else "Nej"
templates.env.globals.update(RESTING=messages.RESTING, BROKER_REASONS=messages.BROKER_REASONS,
                             LINK_OUTCOMES=messages.LINK_OUTCOMES)  # the interest queue


# Only this server's own files run or load: no inline script or style, no framing, forms post here only.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                               "frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class NotSignedIn(Exception):
    """No valid session: the page redirects to the login form."""


class WebForbidden(Exception):
    """The signed-in role may not open this page (a Swedish 403 page)."""


class CsrfFailed(Exception):
    """A POST without the form's valid CSRF token: refused before anything is written."""


def get_web_user(request: Request) -> Actor:
    actor = optional_actor(request)
    if actor is None:
        raise NotSignedIn()
    return actor


WebUser = Annotated[Actor, Depends(get_web_user)]


def require_roles(*roles: Role) -> Callable[..., Actor]:
    """A dependency: the signed-in user if it has one of the roles, else the Swedish 403 page."""

    def check(request: Request, actor: WebUser) -> Actor:
        if actor.role not in roles:
            record_denied_read(request, actor)
            raise WebForbidden()
        return actor

    return check


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches this session's (else CsrfFailed: nothing runs)."""
    form = await request.form()
    if not csrf_matches(request, str(form.get("csrf_token") or "")):
        raise CsrfFailed()
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]


def render(request: Request, template: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    """Render a page with the layout's context: user, menu, CSRF token, flash message, field errors."""
    actor = optional_actor(request)
    token, new_pre_session = csrf_token(request)
    context = {"actor": actor, "nav": NAV.get(actor.role, []) if actor else [],
               "role_name": ROLE_NAMES.get(actor.role, "") if actor else "", "csrf_token": token,
               "flash": read_flash(request), "errors": {}, "values": {}, "today": date.today(),
               "path": request.url.path, **ctx}
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"  # pages carry personal data: no copies in caches
    response.headers.update(SECURITY_HEADERS)
    if context["flash"]:
        response.delete_cookie(FLASH_COOKIE, path="/")
    if new_pre_session:
        set_pre_session(request, response, new_pre_session)
    return response


def redirect(request: Request, url: str, flash: str | None = None) -> RedirectResponse:
    """POST-redirect-GET: 303 to the page, with a one-time message."""
    response = RedirectResponse(url, status_code=303)
    if flash:
        set_flash(request, response, flash)
    return response


def done(request: Request, saved: Any, url: str, flash: str | None = None) -> RedirectResponse:
    """After a command: wait until the read models show it (read-your-writes), then redirect."""
    settle_if_available(request, saved)
    return redirect(request, url, flash)


def status_for(exc: Exception) -> int:
    if isinstance(exc, InvalidInputError):
        return 422
    if isinstance(exc, VersionMismatchError):
        return 412
    return 409 if isinstance(exc, (RuleViolationError, PoolError)) else 400


def form_failed(request: Request, template: str, exc: PoolError, form: FormData | dict[str, Any] | None = None,
                fields: dict[str, str] | None = None, default_field: str = "form", **ctx: Any) -> HTMLResponse:
    """Re-render a form with the error in Swedish next to its field (fields maps command names to form names)."""
    field = messages.field_of(exc, fields, default_field) if isinstance(exc, InvalidInputError) else default_field
    values = {k: v for k, v in (form.items() if form is not None else []) if k != "csrf_token"}
    return render(request, template, status_for(exc), errors={field: messages.swedish(exc)}, values=values, **ctx)


def field_error(request: Request, template: str, field: str, message: str,
                form: FormData | dict[str, Any] | None = None, **ctx: Any) -> HTMLResponse:
    """Re-render a form with a message of the web layer's own (a filter that is not a number, …)."""
    values = {k: v for k, v in (form.items() if form is not None else []) if k != "csrf_token"}
    return render(request, template, 422, errors={field: message}, values=values, **ctx)


def member_options(request: Request) -> list[tuple[str, str]]:
    """(kommunkod, "Name (kod)") of today's members for a select; empty while the read side has no list."""
    lister = getattr(getattr(request.app.state, "read_models", None), "members", None)
    if lister is None:
        return []
    try:
        rows = list(lister())
    except (PoolError, NotImplementedError):
        return []
    return [(m["municipality"], f"{m['name']} ({m['municipality']})") for m in rows if not m.get("left_on")]


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def decision_limit(decision_date: str | None, status: str | None = None, today: date | None = None) -> dict[str, Any]:
    """Where a referral stands against the three-month limit for executing a decision (IVO report)."""
    if not decision_date:
        return {"state": "none"}
    decided = date.fromisoformat(str(decision_date)[:10])
    limit = add_months(decided, 3)
    today = today or date.today()
    days = (today - decided).days
    if status not in (None, "open", "matched"):
        return {"state": "done", "days": days, "limit": limit}
    if today > limit:
        return {"state": "over", "days": days, "limit": limit}
    return {"state": "soon" if (limit - today).days <= 14 else "ok", "days": days, "limit": limit}


templates.env.globals["decision_limit"] = decision_limit


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int
    total: int
    limit: int
    prev_url: str | None
    next_url: str | None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


def page_number(request: Request, param: str = "sida") -> int:
    raw = request.query_params.get(param, "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= 100_000 else 1


def window(request: Request, limit: int = 20, param: str = "sida") -> tuple[int, int]:
    """(limit, offset) of the page the query string asks for (?sida=N, 1-based)."""
    return limit, (page_number(request, param) - 1) * limit


def pager(request: Request, total: int, limit: int = 20, param: str = "sida") -> Pager:
    """Links to the previous and next page, keeping the other query parameters (the filters)."""
    page = page_number(request, param)
    pages = max(math.ceil(total / limit), 1)
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != param]

    def url(n: int) -> str:
        return f"{request.url.path}?{urlencode([*kept, (param, str(n))])}"

    return Pager(page=page, pages=pages, total=total, limit=limit,
                 prev_url=url(page - 1) if page > 1 else None, next_url=url(page + 1) if page < pages else None)
