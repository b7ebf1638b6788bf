"""The published API contract: operation ids, problem responses, security, servers, the API-Version header."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_VERSION = "1"  # the major version; docs/api.md says what may change within it
INFO_VERSION = "1.1.0"  # the document's own version: additions raise the minor number
PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
# Route functions whose names do not start with a verb.
OPERATION_IDS = {"health": "getHealth", "me": "getMe", "statistics": "getStatistics",
                 "non_executed": "getNonExecutedReport"}
BEARER = "bearerAuth"
VERSION_HEADER = {"description": "The major version of the API that answered", "schema": {"type": "string", "example": "1"}}
ETAG_HEADER = {"description": "The record's version, quoted (`\"3\"`): send it back as If-Match",
               "schema": {"type": "string", "example": '"3"'}}


def operation_id(route: APIRoute) -> str:
    """camelCase of the route function's name: list_catalogue -> listCatalogue."""
    if route.name in OPERATION_IDS:
        return OPERATION_IDS[route.name]
    first, *rest = route.name.split("_")
    return first + "".join(w.capitalize() for w in rest)


class ApiVersionHeader:
    """Adds `API-Version` to every answer under /api (a pure ASGI middleware: streaming stays untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith("/api"):
            await self.app(scope, receive, send)
            return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"api-version", API_VERSION.encode())]
            await send(message)

        await self.app(scope, receive, send_with_version)


def _errors_as_problems(operation: dict[str, Any]) -> None:
    for status, response in operation.get("responses", {}).items():
        if str(status)[0] in "45":
            response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
            if response.get("description") == "Validation Error":  # FastAPI's own 422
                response["description"] = "The input is not valid; `errors` names the fields"


def _headers(path: str, method: str, operation: dict[str, Any]) -> None:
    for status, response in operation.get("responses", {}).items():
        headers = response.setdefault("headers", {})
        headers["API-Version"] = {"$ref": "#/components/headers/API-Version"}
        # A single record read or written: its version as the ETag.
        if str(status) in ("200", "201") and (method == "put" or (method == "get" and path.endswith("}")
                                                                  and "/allocations/" not in path)):
            headers["ETag"] = {"$ref": "#/components/headers/ETag"}


def _security(operation: dict[str, Any]) -> None:
    if operation.get("security"):
        # Any client may send the token as a plain bearer token; the OAuth2 flow serves the interactive docs.
        operation["security"] = [*operation["security"], {BEARER: []}]
    else:
        operation["security"] = []  # public: health, readiness (monitoring addresses) and sign-in


def complete(openapi: dict[str, Any]) -> dict[str, Any]:
    """Finish FastAPI's document: problems for every error, security per operation, servers, headers."""
    openapi["info"]["version"] = INFO_VERSION
    openapi["info"]["description"] = (
        "The shared family pool's API. Every answer under /api carries `API-Version: " + API_VERSION + "`; "
        "the versioning and deprecation policy is in docs/api.md. Errors are application/problem+json.")
    openapi["servers"] = [{"url": "/", "description": "this server (the paths start with /api)"}]
    for path, item in openapi.get("paths", {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict):
                _errors_as_problems(operation)
                _security(operation)
                _headers(path, method, operation)
    components = openapi.setdefault("components", {})
    components.setdefault("securitySchemes", {})[BEARER] = {
        "type": "http", "scheme": "bearer", "description": "The access_token of POST /api/auth/token"}
    components.setdefault("headers", {}).update({"API-Version": VERSION_HEADER, "ETag": ETAG_HEADER})
    schemas = components.get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):  # FastAPI's 422 shape: we answer problems instead
        schemas.pop(unused, None)
    return openapi
