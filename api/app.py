"""The FastAPI application factory: one PoolApplication per process, opened in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from pool.bootstrap import bootstrap, close


def create_app(database_url: str | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # eventsourcing has no asyncio support: one application object, used from plain `def` routes.
        app.state.pool = bootstrap(database_url)
        try:
            yield
        finally:
            close(app.state.pool)

    app = FastAPI(title="familjepool", lifespan=lifespan, docs_url="/api/docs", openapi_url="/api/openapi.json")

    from api.routes import include_routers

    include_routers(app)  # every /api router, problem+json errors (api/routes/)

    return app
