"""Login and logout for the browser: a session cookie holding the API's signed token, CSRF per session."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.auth import InvalidToken
from api.deps import get_login_throttle, get_pool, get_tokens
from api.web.common import CheckedForm, WebUser, optional_actor, redirect, render
from api.web.nav import home_of
from pool.actors import Actor

SESSION_COOKIE = "fp_session"
PRE_SESSION_COOKIE = "fp_pre"  # binds the login form's CSRF token to this browser before sign-in
FLASH_COOKIE = "fp_flash"

router = APIRouter(include_in_schema=False)
_revoked: dict[str, float] = {}  # token signature -> expiry; logout ends the token in this process
_revoked_lock = threading.Lock()


def _mac(request: Request, purpose: str, value: str) -> str:
    key = get_tokens(request).key
    digest = hmac.new(key, f"{purpose}|{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def session_actor(request: Request) -> Actor | None:
    """The user of a valid, unrevoked session cookie; the same checks as a bearer token."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 2000:
        return None
    with _revoked_lock:
        if token.rsplit(".", 1)[-1] in _revoked:
            return None
    try:
        return get_tokens(request).verify(token)
    except InvalidToken:
        return None


def _csrf_base(request: Request) -> tuple[str, str] | None:
    if optional_actor(request) is not None:
        return "session", request.cookies[SESSION_COOKIE]
    pre = request.cookies.get(PRE_SESSION_COOKIE)
    return ("login", pre) if pre and len(pre) <= 100 else None


def csrf_token(request: Request) -> tuple[str, str | None]:
    """The token forms carry, and a new pre-session value to set when the browser has none yet."""
    base = _csrf_base(request)
    if base is not None:
        return _mac(request, "csrf-" + base[0], base[1]), None
    pre = secrets.token_urlsafe(24)
    return _mac(request, "csrf-login", pre), pre


def csrf_matches(request: Request, submitted: str) -> bool:
    base = _csrf_base(request)
    return bool(base and submitted) and hmac.compare_digest(submitted, _mac(request, "csrf-" + base[0], base[1]))


def set_pre_session(request: Request, response: Response, value: str) -> None:
    response.set_cookie(PRE_SESSION_COOKIE, value, httponly=True, samesite="lax", secure=_secure(request), path="/")


def set_flash(request: Request, response: Response, text: str) -> None:
    # Signed so that only this server's own messages are ever shown.
    value = base64.urlsafe_b64encode(text.encode()).decode()
    response.set_cookie(FLASH_COOKIE, f"{value}.{_mac(request, 'flash', value)}", httponly=True, samesite="lax",
                        secure=_secure(request), path="/", max_age=60)


def read_flash(request: Request) -> str | None:
    raw = request.cookies.get(FLASH_COOKIE, "")
    value, _, sig = raw.partition(".")
    if not value or not hmac.compare_digest(sig, _mac(request, "flash", value)):
        return None
    try:
        return base64.urlsafe_b64decode(value.encode()).decode()
    except ValueError:
        return None


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
