"""FastAPI dependencies: the application, the read models, the current user, If-Match."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Header, HTTPException, Query, Request, Response
from fastapi.security import OAuth2PasswordBearer
from pydantic import AfterValidator
from starlette.concurrency import run_in_threadpool

from api.auth import InvalidToken, SessionService, signing_key
from pool.actors import Actor, Role
from pool.application import PoolApplication
from pool.errors import InvalidInputError, PermissionDeniedError
from pool.values import check_case_reference
from projections.contract import ReadModels

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)
_init_lock = threading.Lock()
UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


def get_pool(request: Request) -> PoolApplication:
    return request.app.state.pool


# FastAPI runs a plain `def` dependency in the thread pool: one hand-over per dependency and request
# (a fifth of a catalogue request's CPU, docs/performance.md). Those that do no I/O are `async def` twins.
async def _pool(request: Request) -> PoolApplication:
    return get_pool(request)


PoolDep = Annotated[PoolApplication, Depends(_pool)]


def get_read_models(request: Request) -> ReadModels:
    read_models = getattr(request.app.state, "read_models", None)
    if read_models is None:
        raise HTTPException(503, "the read side is not available", headers={"Retry-After": "5"})
    return read_models


async def _read_models(request: Request) -> ReadModels:
    return get_read_models(request)


ReadModelsDep = Annotated[ReadModels, Depends(_read_models)]


def get_sessions(request: Request) -> SessionService:
    state = request.app.state
    sessions = getattr(state, "sessions", None)
    if sessions is None or sessions.app is not state.pool:
        state.sessions = sessions = SessionService(state.pool)
    return sessions


def get_signing_key(request: Request) -> bytes:
    """The HMAC key of CSRF tokens and flash messages (created once per deployment)."""
    state = request.app.state
    if getattr(state, "signing_key_of", None) is not state.pool:
        with _init_lock:
            if getattr(state, "signing_key_of", None) is not state.pool:
                state.signing_key = signing_key(state.pool)
                state.signing_key_of = state.pool
    return state.signing_key


async def _sessions(request: Request) -> SessionService:
    return get_sessions(request)


SessionsDep = Annotated[SessionService, Depends(_sessions)]


def get_current_user(request: Request, sessions: SessionsDep,
                     token: Annotated[str | None, Depends(oauth2_scheme)]) -> Actor:
    if not token:
        raise HTTPException(401, "sign in: send Authorization: Bearer <token> from POST /api/auth/token",
                            headers=UNAUTHORIZED)
    try:
        request.state.actor = actor = sessions.verify(token)  # the request log line names the user id
        return actor
    except InvalidToken:
        raise HTTPException(401, "the token is invalid, ended or has expired; sign in again",
                            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}) from None


CurrentUser = Annotated[Actor, Depends(get_current_user)]


def record_denied_read(request: Request, actor: Actor) -> None:
    """A GET refused for the actor's role is an audit entry: the route names the subject, its id if any."""
    if request.method not in ("GET", "HEAD"):
        return
    route = request.scope.get("route")
    template = getattr(route, "path", request.url.path)
    segments = [s for s in template.split("/") if s and s != "api" and not s.startswith("{")]
    subject_id = None
    for value in request.path_params.values():
        try:
            subject_id = UUID(str(value))
            break
        except ValueError:
            continue
    request.app.state.pool.record_denial(actor, segments[0] if segments else "page", subject_id,
                                         f"{request.method} {template}", "role")


def roles(*allowed: Role) -> Callable[..., Awaitable[Actor]]:
    """A dependency: the current user, if it has one of the roles (else 403)."""

    async def check(request: Request, actor: CurrentUser) -> Actor:
        if actor.role not in allowed:
            await run_in_threadpool(record_denied_read, request, actor)  # it writes an event
            raise PermissionDeniedError("role.forbidden", role=actor.role.value, allowed=[r.value for r in allowed])
        return actor

    return check


StaffUser = Annotated[Actor, Depends(roles(Role.POOL_STAFF))]
AdminUser = Annotated[Actor, Depends(roles(Role.ADMIN))]
BudgetUser = Annotated[Actor, Depends(roles(Role.ADMIN, Role.STEERING))]
StaffOrAdmin = Annotated[Actor, Depends(roles(Role.POOL_STAFF, Role.ADMIN))]
CaseworkUser = Annotated[Actor, Depends(roles(Role.POOL_STAFF, Role.MUNICIPALITY))]
MunicipalityUser = Annotated[Actor, Depends(roles(Role.MUNICIPALITY))]
AnyUser = CurrentUser


async def get_expected_version(
    if_match: Annotated[str | None, Header(alias="If-Match",
                                           description='The ETag of your last GET (`"3"`, or the bare version 3); '
                                                       '`*`: any current version. 412 if it moved on',
                                           examples=['"3"'])] = None,
) -> int | None:
    if if_match is None:
        return None
    value = if_match.strip()
    if value == "*":
        return None  # any current version: a command on a missing record is a 404 anyway
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if not value.isdigit() or len(value) > 9:
        raise InvalidInputError("request.bad_if_match", field="If-Match")
    return int(value)


def require_current(request: Request, exists: bool) -> None:
    """`If-Match: *` on a create-or-replace (PUT) of a record that does not exist yet: 412, nothing written."""
    if request.headers.get("if-match", "").strip() == "*" and not exists:
        raise HTTPException(412, "If-Match: * but there is no current version of this record yet")


def with_etag(response: Response, version: int | None) -> int | None:
    """A single record's version as its ETag, to send back as If-Match."""
    if version is not None:
        response.headers["ETag"] = f'"{version}"'
    return version


ExpectedVersion = Annotated[int | None, Depends(get_expected_version)]


def municipality_scope(actor: Actor) -> str | None:
    """The scope a read model is queried with: a municipality user's own, everyone else all."""
    return actor.municipality if actor.role is Role.MUNICIPALITY else None


def settle(read_models: ReadModels, saved: Any) -> None:
    """Read-your-writes: wait until the projections have applied what the command wrote."""
    if saved is not None and getattr(saved, "position", None) is not None:
        read_models.wait_for(saved.position, timeout=2.0)


def settle_if_available(request: Request, saved: Any) -> None:
    read_models = getattr(request.app.state, "read_models", None)
    if read_models is not None:
        settle(read_models, saved)


def done(request: Request, saved: Any, **extra: Any) -> dict[str, Any]:
    """The response of a state-changing call: id and new version, once the read side has caught up."""
    settle_if_available(request, saved)
    return {"id": saved.id, "version": saved.version, **extra}


Limit = Annotated[int, Query(ge=1, le=200, description="page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]
Purpose = Annotated[str | None, Query(examples=["Dnr 2026/123"],
                                      description="why pool staff read personal data: a case reference (letters, "
                                                  "digits, space and / . - :, a digit, at most 40), recorded in "
                                                  "the audit trail (required if FAMILJEPOOL_REQUIRE_PURPOSE=1)"),
                    AfterValidator(lambda v: check_case_reference(v, "purpose"))]
