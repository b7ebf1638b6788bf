"""The browser interface: server-rendered Swedish pages over the same PoolApplication and read models."""

# How to add pages (part B: steering group and admin):
# 1. Write a router module `api/web/<area>.py` with `router = APIRouter(include_in_schema=False)` and
#    plain `def` routes (eventsourcing has no asyncio). Guard each route with
#    `actor: Annotated[Actor, Depends(require_roles(Role.STEERING))]` (or `WebUser` for anyone signed in);
#    take POSTed forms as `form: CheckedForm` (checks the CSRF token before the route runs), answer a
#    successful POST with `done(request, saved, url, "Sparat.")` (POST-redirect-GET) and a failure with
#    `form_failed(request, template, exc, form, fields={...})` (Swedish message next to the field).
#    Lists: `limit, offset = window(request)`, then `pager(request, total)` and `{{ pagination(pager) }}`.
# 2. Put its templates in `api/templates/<area>/`, each `{% extends "base.html" %}`; the form macros
#    (`field`, `select`, `textarea`, `checkboxes`, `csrf`, `pagination`) are in `api/templates/_forms.html`:
#    import them `with context`. The anonymous family card is `_cards.html`.
# 3. Add the module name to WEB_MODULES below and the menu entries to NAV in `api/web/nav.py` (the first
#    entry of a role is where it lands after login).

from __future__ import annotations

import importlib
import logging
from http import HTTPStatus
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.web.common import CsrfFailed, NotSignedIn, WebForbidden, redirect, render
from pool.errors import InvalidInputError, NotFoundError, PermissionDeniedError, PoolError

log = logging.getLogger("familjepool.web")
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
WEB_MODULES = ["login", "municipality", "municipality_cases", "staff_register", "staff_family", "staff_casework",
               "family_records", "referral_records"]
WEB_MODULES += ["steering", "budget", "placed_children", "admin_members", "admin_population", "admin_users",
                "demand", "worklist", "admin_worklist"]  # part B
WEB_MODULES += ["notices"]  # issue 15: notices, saved searches, e-mail
WEB_MODULES += ["courses"]  # issue 12 section 6: the course register, supervision, home type

MESSAGES = {
    403: "Du har inte behörighet till den här sidan.",
    404: "Sidan finns inte, eller så får du inte se den.",
    405: "Det går inte att göra så på den här sidan.",
    409: "Det går inte i nuvarande läge.",
    500: "Ett oväntat fel inträffade. Det har loggats.",
    503: "Tjänsten startar eller är tillfälligt otillgänglig. Försök igen om en stund.",
}


def error_page(request: Request, status: int, message: str | None = None) -> Any:
    return render(request, "error.html", status, status=status, title=HTTPStatus(status).phrase,
                  message=message or MESSAGES.get(status, "Något gick fel."))


def _web_handlers(app: FastAPI) -> None:
    """HTML errors for the pages; /api keeps its problem+json handlers (wrapped, not replaced)."""
    from api.web.messages import swedish

    def wrap(exc_class: type[BaseException] | int, page: Any) -> None:
        api_handler = app.exception_handlers.get(exc_class)

        def handle(request: Request, exc: Exception) -> Any:
            if request.url.path.startswith("/api") and api_handler is not None:
                return api_handler(request, exc)
            return page(request, exc)

        app.exception_handlers[exc_class] = handle

    def http_page(request: Request, exc: StarletteHTTPException) -> Any:
        return error_page(request, exc.status_code if exc.status_code in MESSAGES else 404)

    def pool_page(request: Request, exc: Exception) -> Any:
        if isinstance(exc, NotFoundError):
            return error_page(request, 404)
        if isinstance(exc, PermissionDeniedError):
            return error_page(request, 403)
        if isinstance(exc, InvalidInputError):  # e.g. a ?syfte= that is no case reference
            return error_page(request, 422, swedish(exc))
        return error_page(request, 409, swedish(exc))

    wrap(StarletteHTTPException, http_page)
    wrap(RequestValidationError, lambda request, exc: error_page(request, 404))  # a malformed id in a path
    # The API registers each pool error class on its own: wrap every one, then the base class.
    for exc_class in [c for c in list(app.exception_handlers) if isinstance(c, type) and issubclass(c, PoolError)]:
        wrap(exc_class, pool_page)
    wrap(PoolError, pool_page)

    def unexpected(request: Request, exc: Exception) -> Any:
        # The type and the path only: the message may carry personal data.
        log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return error_page(request, 500)

    wrap(Exception, unexpected)
    app.add_exception_handler(NotSignedIn, lambda request, exc: redirect(request, "/", "Logga in för att fortsätta."))
    app.add_exception_handler(WebForbidden, lambda request, exc: error_page(request, 403))
    app.add_exception_handler(CsrfFailed, lambda request, exc: error_page(
        request, 403, "Formuläret kunde inte skickas: säkerhetskoden saknas eller har gått ut. "
                      "Ladda om sidan och försök igen."))


def include_web(app: FastAPI) -> None:
    """Mount /static and every page router; call after the API routers (their error handlers are wrapped)."""
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    for name in WEB_MODULES:
        module = importlib.import_module(f"api.web.{name}")
        app.include_router(module.router)
    _web_handlers(app)
