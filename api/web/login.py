"""Login and logout pages for the browser: the API's sign-in and lockout, the session cookie set and ended here."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.auth import SignInLocked
from api.deps import get_sessions
from api.web.common import CheckedForm, WebUser, optional_actor, redirect, render
from api.web.nav import home_of
from api.web.session import PRE_SESSION_COOKIE, SESSION_COOKIE, _secure

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
    """The same sign-in and lockout as POST /api/auth/token: failures count across web and API."""
    username = str(form.get("username") or "").strip().lower()[:100]
    password = str(form.get("password") or "")[:1024]
    sessions = get_sessions(request)
    try:
        signed_in = sessions.sign_in(username, password)
    except SignInLocked as locked:
        minutes = max(round(locked.wait / 60), 1)
        return render(request, "login.html", 429, values={"username": username},
                      errors={"form": f"För många misslyckade inloggningar. Försök igen om {minutes} min."})
    if signed_in is None:
        return render(request, "login.html", 401, values={"username": username},
                      errors={"form": "Fel användarnamn eller lösenord."})
    actor, token = signed_in
    response = redirect(request, home_of(actor.role))
    response.set_cookie(SESSION_COOKIE, token, max_age=sessions.lifetime, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")
    response.delete_cookie(PRE_SESSION_COOKIE, path="/")
    return response


@router.post("/logga-ut")
def logout(request: Request, form: CheckedForm) -> Response:
    """Ends the session in the database: the cookie's token no longer works in any process."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        get_sessions(request).revoke(token)
    response = redirect(request, "/", "Du är utloggad.")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/start", response_class=HTMLResponse)
def signed_in_start(request: Request, actor: WebUser) -> Response:
    """For a role whose pages are not there yet: who you are, and the way out."""
    return render(request, "start.html")
