"""Login and logout pages for the browser: the API's throttle and token, the session cookie set and ended here."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_login_throttle, get_pool, get_tokens
from api.web.common import CheckedForm, WebUser, optional_actor, redirect, render
from api.web.nav import home_of
from api.web.session import PRE_SESSION_COOKIE, SESSION_COOKIE, _revoked, _revoked_lock, _secure

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def start(request: Request) -> Response:
    actor = optional_actor(request)
    if actor is not None:
        return redirect(request, home_of(actor.role))
    response = render(request, "login.html")
    if request.cookies.get(SESSION_COOKIE):  # an expired or ended session: forget it
        response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/", response_class=HTMLResponse)
def login(request: Request, form: CheckedForm) -> Response:
    """The same throttle and checks as POST /api/auth/token: lockouts count across web and API."""
    username = str(form.get("username") or "").strip().lower()[:100]
    password = str(form.get("password") or "")[:1024]
    client = request.client.host if request.client else "unknown"
    throttle = get_login_throttle(request)
    wait = throttle.locked_for(username, client)
    if wait:
        minutes = max(round(wait / 60), 1)
        return render(request, "login.html", 429, values={"username": username},
                      errors={"form": f"För många misslyckade inloggningar. Försök igen om {minutes} min."})
    actor = get_pool(request).authenticate(username, password) if "\x00" not in username + password else None
    if actor is None:
        throttle.failed(username, client)
        return render(request, "login.html", 401, values={"username": username},
                      errors={"form": "Fel användarnamn eller lösenord."})
    throttle.succeeded(username, client)
    tokens = get_tokens(request)
    response = redirect(request, home_of(actor.role))
    response.set_cookie(SESSION_COOKIE, tokens.issue(actor), max_age=tokens.lifetime, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")
    response.delete_cookie(PRE_SESSION_COOKIE, path="/")
    return response


@router.post("/logga-ut")
def logout(request: Request, form: CheckedForm) -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    now = time.time()
    with _revoked_lock:
        for sig in [s for s, exp in _revoked.items() if exp < now]:
            del _revoked[sig]
        _revoked[token.rsplit(".", 1)[-1]] = now + get_tokens(request).lifetime
    response = redirect(request, "/", "Du är utloggad.")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/start", response_class=HTMLResponse)
def signed_in_start(request: Request, actor: WebUser) -> Response:
    """For a role whose pages are not there yet: who you are, and the way out."""
    return render(request, "start.html")
