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

from api import i18n
from pool.allocation import AllocationError, MissingPlacedChildrenError, MissingPopulationError
from pool.errors import (
    CodedError,
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
    code: str = Field(examples=["value.not_a_date"])
    message: str = Field(examples=["decision_date must be a date, YYYY-MM-DD"])


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(examples=[TYPE_BASE + "rule-violation"])
    title: str = Field(examples=["Conflict"])
    status: int = Field(examples=[409])
    detail: str = Field(examples=["the investigation is incomplete; missing: home visit"])
    code: str = Field(examples=["family.checklist_incomplete"], description="Stable error code (docs/api.md)")
    field: str | None = Field(None, examples=["decision_date"], description="The input field at fault, if one")
    errors: list[FieldError] | None = None


def language(request: Request) -> str:
    """The problem's language: Accept-Language, sv or en (English by default)."""
    return i18n.negotiate(request.headers.get("accept-language"))


def problem_response(status: int, detail: str, *, code: str, lang: str = i18n.DEFAULT, kind: str | None = None,
                     field: str | None = None, errors: list[dict[str, str]] | None = None,
                     headers: dict[str, str] | None = None) -> JSONResponse:
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": TYPE_BASE + (kind or phrase.lower().replace(" ", "-")),
        "title": i18n.status_title(status, lang) or phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if field is not None:
        body["field"] = field
    if errors is not None:
        body["errors"] = errors
    headers = {**(headers or {}), "Content-Language": lang}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def coded_problem(request: Request, status: int, exc: CodedError, *, kind: str) -> JSONResponse:
    lang = language(request)
    return problem_response(status, i18n.message(exc, lang), code=exc.code, lang=lang, kind=kind, field=exc.field)


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


def _validation_errors(exc: RequestValidationError, lang: str) -> list[dict[str, str]]:
    out = []
    for err in exc.errors():
        field = _loc_to_field(err.get("loc", ()))
        coded = (err.get("ctx") or {}).get("error")
        if isinstance(coded, CodedError):
            # A schema check that is the pool's own rule (pool/text.py, pool/codes.py) answers with its code.
            code, message = coded.code, i18n.text(coded.code, {**coded.params, "field": field}, lang)
            out.append({"field": field, "code": code, "message": message})
            continue
        code = "request.missing" if err.get("type") == "missing" else "request.field_invalid"
        # Never echo the input back: it may be a personnummer. Pydantic's own message names the rule only.
        message = i18n.text(code, {"field": field, "message": str(err.get("msg", "invalid"))}, lang)
        out.append({"field": field, "code": code, "message": message})
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
    MissingPlacedChildrenError: (409, "missing-placed-children"),
    AllocationError: (409, "allocation-refused"),
}


def _domain_handler(status: int, kind: str):
    def handle(request: Request, exc: CodedError) -> JSONResponse:
        return coded_problem(request, status, exc, kind=kind)

    return handle


# Codes of HTTPExceptions by status (their detail is the English message).
HTTP_CODES = {401: "http.unauthorized", 404: "http.not_found", 405: "http.method_not_allowed",
              429: "http.too_many_requests", 503: "http.unavailable"}


def install_error_handlers(app: FastAPI) -> None:
    """Map the pool's errors, FastAPI's validation errors and HTTP errors to problem+json."""

    @app.exception_handler(InvalidInputError)
    def invalid_input(request: Request, exc: InvalidInputError) -> JSONResponse:
        lang = language(request)
        detail = i18n.message(exc, lang)
        errors = [{"field": exc.field or "body", "code": exc.code, "message": detail}]
        return problem_response(422, detail, code=exc.code, lang=lang, kind="invalid-input", field=exc.field,
                                errors=errors)

    @app.exception_handler(RequestValidationError)
    def request_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = language(request)
        errors = _validation_errors(exc, lang)
        fields = list(dict.fromkeys(e["field"] for e in errors))
        detail = i18n.text("request.invalid", {"fields": fields}, lang)
        return problem_response(422, detail, code="request.invalid", lang=lang, kind="invalid-input",
                                field=fields[0] if len(fields) == 1 else None, errors=errors)

    for error_class, (status, kind) in DOMAIN_ERRORS.items():
        app.add_exception_handler(error_class, _domain_handler(status, kind))

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        lang = language(request)
        status = exc.status_code
        phrase = HTTPStatus(status).phrase
        given = exc.detail if isinstance(exc.detail, str) else phrase
        code = HTTP_CODES.get(status, "http.error")
        if lang == i18n.DEFAULT and given != phrase:
            detail = given  # an HTTPException's own (English) words say more than the status's general message
        else:
            # The path is not echoed: it may carry personal data (a personnummer typed into a URL).
            detail = i18n.text(code, {"message": given, "method": request.method}, lang)
        return problem_response(status, detail, code=code, lang=lang, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Log the type and the route only: the message or the request may carry personal data.
        log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.scope.get("route") and
                  getattr(request.scope["route"], "path", "?"))
        lang = language(request)
        return problem_response(500, i18n.text("internal.unexpected", None, lang), code="internal.unexpected",
                                lang=lang, kind="internal")


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
