"""Per-request JSON log line and metrics (by route template), and who may read health and metrics.

Every request gives one line on the ``familjepool.requests`` logger: method, route template,
status, duration and the signed-in user's id. Never the raw path (it can hold ids or a
personnummer) and never the query string. ``/api/health``, ``/api/ready`` and ``/metrics``
answer only clients in FAMILJEPOOL_MONITORING_ALLOW (default loopback); others get 404, as if
the endpoints did not exist.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import time
from typing import Any

from fastapi import FastAPI, HTTPException, Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import metrics

log = logging.getLogger("familjepool.requests")
DEFAULT_MONITORING_ALLOW = "127.0.0.0/8,::1/128"
# Refused sign-ins, counted from the answer so the sign-in code needs no hook: (method, route) -> channel.
SIGN_IN_ROUTES = {("POST", "/api/auth/token"): "api", ("POST", "/"): "web"}
SIGN_IN_REFUSALS = {401: "rejected", 429: "locked"}


def monitoring_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    raw = os.environ.get("FAMILJEPOOL_MONITORING_ALLOW", DEFAULT_MONITORING_ALLOW)
    return [ipaddress.ip_network(part.strip(), strict=False) for part in raw.split(",") if part.strip()]


def require_monitoring_client(request: Request) -> None:
    """404 unless the client address is in FAMILJEPOOL_MONITORING_ALLOW."""
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise HTTPException(404, "Not Found") from None
    if not any(address in network for network in monitoring_networks()):
        raise HTTPException(404, "Not Found")


def full_templates(app: Any) -> dict[int, str]:
    """Route object -> its template with the router's prefix (FastAPI >= 0.16x keeps them apart)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: an included route already carries the full path
        return {}
    return {id(c.original_route): c.path_format for c in iter_route_contexts(app.routes) if c.path_format}


def route_template(scope: Scope, templates: dict[int, str] | None = None) -> str:
    route = scope.get("route")
    path = (templates or {}).get(id(route)) or getattr(route, "path_format", None) or getattr(route, "path", None)
    if path:
        return str(path)
    if scope.get("path", "").startswith("/static/"):
        return "/static"
    return "unmatched"  # a 404: the raw path could be anything the client typed


def user_id_of(scope: Scope) -> str | None:
    actor = (scope.get("state") or {}).get("actor")
    user_id = getattr(actor, "user_id", None)
    return str(user_id) if user_id is not None else None


class RequestObserver:
    """Pure ASGI middleware (no BaseHTTPMiddleware: it would break streaming and context)."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.templates: dict[int, str] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def observe(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            if self.templates is None and "app" in scope:  # the routes are complete once requests come
                self.templates = full_templates(scope["app"])
            self.record(scope, status, time.perf_counter() - started)

    def record(self, scope: Scope, status: int, seconds: float) -> None:
        method, route = scope.get("method", ""), route_template(scope, self.templates)
        metrics.REQUESTS.labels(method=method, route=route, status=str(status)).inc()
        metrics.LATENCY.labels(method=method, route=route).observe(seconds)
        channel = SIGN_IN_ROUTES.get((method, route))
        if channel and status in SIGN_IN_REFUSALS:
            metrics.SIGN_IN_FAILURES.labels(channel=channel, reason=SIGN_IN_REFUSALS[status]).inc()
        log.info("request", extra={"method": method, "route": route, "status": status,
                                   "duration_ms": round(seconds * 1000, 2), "user_id": user_id_of(scope)})


def failed_projections(app: FastAPI) -> set[str]:
    """Projections halted at or parking a bad event (the shared failure table, so every process agrees),
    and those whose runner in this process failed and has not applied anything since."""
    read_models = getattr(app.state, "read_models", None)
    runtime = getattr(read_models, "runtime", None)
    failing = {w.name for w in getattr(runtime, "workers", []) if getattr(w, "failing", False)}
    try:
        failing |= {s.name for s in read_models.status() if s.failed} if read_models is not None else set()
    except Exception as e:  # noqa: BLE001 - the database may be down: readiness reports that separately
        log.warning("failed projections: the status could not be read (%s)", type(e).__name__)
    return failing


def install_observability(app: FastAPI) -> None:
    """The request middleware and GET /metrics (health and ready are in api/routes/health.py)."""
    app.add_middleware(RequestObserver)

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics(request: Request) -> Response:
        require_monitoring_client(request)
        read_models: Any = getattr(request.app.state, "read_models", None)
        body, content_type = metrics.exposition(read_models, failed_projections(request.app))
        return Response(body, media_type=content_type)
