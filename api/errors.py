"""Every error as application/problem+json (RFC 9457): domain errors, validation, HTTP, the unexpected."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from pool.allocation import AllocationError, MissingPopulationError
from pool.errors import (
    ConcurrentUpdateError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
    VersionMismatchError,
)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://familjepool.se/problems/"
log = logging.getLogger("familjepool.api")


class FieldError(BaseModel):
    field: str = Field(examples=["decision_date"])
    message: str = Field(examples=["decision_date must be a date, YYYY-MM-DD"])


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(examples=[TYPE_BASE + "rule-violation"])
    title: str = Field(examples=["Conflict"])
    status: int = Field(examples=[409])
    detail: str = Field(examples=["the investigation is incomplete; missing: home_visit"])
    errors: list[FieldError] | None = None


def problem_response(status: int, detail: str, *, kind: str | None = None, errors: list[dict[str, str]] | None = None,
                     headers: dict[str, str] | None = None) -> JSONResponse:
    title = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": TYPE_BASE + (kind or title.lower().replace(" ", "-")),
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _loc_to_field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        source, parts = parts[0], parts[1:]
        if source == "header" and parts:
            return str(parts[0])
    field = ""
    for p in parts:
        if isinstance(p, int):
            field += f"[{p}]"
        else:
            field += ("." if field else "") + str(p)
    return field or "body"


def _validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    out = []
    for err in exc.errors():
        # Never echo the input back: it may be a personnummer.
        out.append({"field": _loc_to_field(err.get("loc", ())), "message": str(err.get("msg", "invalid"))})
    return out


# Domain errors by status and problem type; a subclass (ErasedError) is found through its class's MRO.
DOMAIN_ERRORS: dict[type[Exception], tuple[int, str]] = {
    NotFoundError: (404, "not-found"),
    PermissionDeniedError: (403, "forbidden"),
    VersionMismatchError: (412, "version-mismatch"),
    ConcurrentUpdateError: (409, "concurrent-update"),
    RuleViolationError: (409, "rule-violation"),
    # The allocation refuses rather than charge a member on a silent zero; the message names the member.
    MissingPopulationError: (409, "missing-population"),
    AllocationError: (409, "allocation-refused"),
}


def _domain_handler(status: int, kind: str):
    def handle(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(status, str(exc), kind=kind)

    return handle


def install_error_handlers(app: FastAPI) -> None:
    """Map the pool's errors, FastAPI's validation errors and HTTP errors to problem+json."""

    @app.exception_handler(InvalidInputError)
    def invalid_input(request: Request, exc: InvalidInputError) -> JSONResponse:
        errors = [{"field": exc.field or "body", "message": str(exc)}]
        return problem_response(422, str(exc), kind="invalid-input", errors=errors)

    @app.exception_handler(RequestValidationError)
    def request_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
        return problem_response(422, f"the request is not valid: check {fields}", kind="invalid-input", errors=errors)

    for error_class, (status, kind) in DOMAIN_ERRORS.items():
        app.add_exception_handler(error_class, _domain_handler(status, kind))

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such resource: {request.url.path}"
        elif exc.status_code == 405 and detail == "Method Not Allowed":
            detail = f"{request.method} is not allowed on {request.url.path}"
        return problem_response(exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Log the type and the route only: the message or the request may carry personal data.
        log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.scope.get("route") and
                  getattr(request.scope["route"], "path", "?"))
        return problem_response(500, "an unexpected error occurred; it has been logged", kind="internal")


def _problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description}


PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: _problem("Not signed in, or the token is invalid or expired"),
    403: _problem("Your role may not do this"),
    404: _problem("No such resource, or not one you may see"),
    409: _problem("A domain rule forbids this in the current state"),
    412: _problem("If-Match names a version that is no longer current"),
    422: _problem("The input is not valid; `errors` names the fields"),
}


def use_problem_media_type(openapi: dict[str, Any]) -> dict[str, Any]:
    """Error responses are documented as application/problem+json, as they are sent."""
    for path_item in openapi.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                content = response.get("content")
                if str(status)[0] in "45" and content and "application/json" in content:
                    content[PROBLEM_JSON] = content.pop("application/json")
    return openapi
