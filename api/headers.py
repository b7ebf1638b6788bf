"""Response headers on everything: no caching of personal data, nosniff, HSTS over https."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Static files carry no personal data and may be cached; every other response may carry some.
CACHEABLE_PREFIXES = ("/static/", "/api/docs-static/")
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Pure ASGI (not BaseHTTPMiddleware): it only edits the start message, so streaming is unaffected."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = scope["path"].startswith(CACHEABLE_PREFIXES)
        https = scope.get("scheme") == "https"  # as uvicorn saw it, after trusted proxies' headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                if not cacheable:
                    headers["Cache-Control"] = "no-store"
                if https:
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        await self.app(scope, receive, send_with_headers)
