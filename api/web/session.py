"""The browser session: a cookie holding an API session token, CSRF per session, signed flash messages."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from fastapi import Request
from fastapi.responses import Response

from api.auth import InvalidToken
from api.deps import get_sessions, get_signing_key
from pool.actors import Actor

SESSION_COOKIE = "fp_session"
PRE_SESSION_COOKIE = "fp_pre"  # binds the login form's CSRF token to this browser before sign-in
FLASH_COOKIE = "fp_flash"



def _mac(request: Request, purpose: str, value: str) -> str:
    key = get_signing_key(request)
    digest = hmac.new(key, f"{purpose}|{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def session_actor(request: Request) -> Actor | None:
    """The user of a valid session cookie: the cookie is a bearer token, checked the same way."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return get_sessions(request).verify(token)
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


def optional_actor(request: Request) -> Actor | None:
    actor = getattr(request.state, "actor", None)
    if actor is None:
        actor = request.state.actor = session_actor(request)
    return actor
