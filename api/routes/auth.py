"""Sign-in (OAuth2 password flow, locked per account after failures) and logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response
from fastapi.security import OAuth2PasswordRequestForm

from api.auth import SignInLocked
from api.deps import UNAUTHORIZED, CurrentUser, SessionsDep, oauth2_scheme
from api.errors import Problem
from api.schemas.auth import MePublic, TokenPublic

router = APIRouter(tags=["auth"])


@router.post("/auth/token", response_model=TokenPublic,
             responses={401: {"model": Problem, "description": "Wrong username or password"},
                        429: {"model": Problem, "description": "Too many failed attempts; see Retry-After"}})
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], sessions: SessionsDep) -> TokenPublic:
    """Exchange username and password for a bearer token (5 failures in 15 minutes lock the account)."""
    username = (form.username or "").strip().lower()[:100]
    try:
        signed_in = sessions.sign_in(username, form.password[:1024])
    except SignInLocked as locked:
        raise HTTPException(429, f"too many failed sign-ins for {username or 'this user'}; "
                                 f"try again in {locked.wait} s", headers={"Retry-After": str(locked.wait)}) from None
    if signed_in is None:
        raise HTTPException(401, "wrong username or password", headers=UNAUTHORIZED)
    return TokenPublic(access_token=signed_in[1], token_type="bearer", expires_in=sessions.lifetime)


@router.post("/auth/logout", status_code=204, responses={401: {"model": Problem}})
def logout(actor: CurrentUser, sessions: SessionsDep, token: Annotated[str | None, Depends(oauth2_scheme)]) -> Response:
    """End this token's session at once, in every process."""
    if token:
        sessions.revoke(token)
    return Response(status_code=204)


@router.get("/auth/me", response_model=MePublic, responses={401: {"model": Problem}})
def me(actor: CurrentUser) -> MePublic:
    """Who the token belongs to."""
    return MePublic(username=actor.username, role=actor.role.value, municipality=actor.municipality)
