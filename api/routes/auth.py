"""Login: OAuth2 password flow, throttled."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import UNAUTHORIZED, CurrentUser, PoolDep, ThrottleDep, TokensDep
from api.errors import Problem
from api.schemas.auth import MePublic, TokenPublic

router = APIRouter(tags=["auth"])


@router.post("/auth/token", response_model=TokenPublic,
             responses={401: {"model": Problem, "description": "Wrong username or password"},
                        429: {"model": Problem, "description": "Too many failed attempts; see Retry-After"}})
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, pool: PoolDep,
          tokens: TokensDep, throttle: ThrottleDep) -> TokenPublic:
    """Exchange username and password for a bearer token (5 failures in 15 minutes lock the username)."""
    client = request.client.host if request.client else "unknown"
    username = (form.username or "").strip().lower()[:100]
    wait = throttle.locked_for(username, client)
    if wait:
        raise HTTPException(429, f"too many failed sign-ins for {username or 'this user'}; try again in {wait} s",
                            headers={"Retry-After": str(wait)})
    actor = pool.authenticate(username, form.password[:1024]) if "\x00" not in username + form.password else None
    if actor is None:
        throttle.failed(username, client)
        raise HTTPException(401, "wrong username or password", headers=UNAUTHORIZED)
    throttle.succeeded(username, client)
    return TokenPublic(access_token=tokens.issue(actor), token_type="bearer", expires_in=tokens.lifetime)


@router.get("/auth/me", response_model=MePublic, responses={401: {"model": Problem}})
def me(actor: CurrentUser) -> MePublic:
    """Who the token belongs to."""
    return MePublic(username=actor.username, role=actor.role.value, municipality=actor.municipality)
