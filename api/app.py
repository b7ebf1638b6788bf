"""The FastAPI application factory: one PoolApplication per process, opened in the lifespan."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from api.headers import SecurityHeaders

from pool.bootstrap import bootstrap, close
from pool.passwords import HASHING_SETTING, cheap_hashing
from projections.bootstrap import open_read_models


def create_app(database_url: str | None = None, run_projections: bool | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # eventsourcing has no asyncio support: one application object, used from plain `def` routes.
        app.state.pool = bootstrap(database_url)
        if cheap_hashing():
            logging.getLogger("familjepool").warning(
                "%s asks for argon2's cheapest profile: for the test suite only, never in production", HASHING_SETTING)
        # Embedded mode runs the projections in this process; worker mode (serve --no-projections) does not.
        embedded = run_projections if run_projections is not None else os.environ.get("FAMILJEPOOL_RUN_PROJECTIONS", "1") != "0"
        try:
            app.state.read_models = open_read_models(app.state.pool, run_projections=embedded)
        except BaseException:
            close(app.state.pool)
            raise
        try:
            yield
        finally:
            app.state.read_models.close()
            close(app.state.pool)

    # Swagger UI and ReDoc from files shipped in fastapi-offline: no CDN, works offline.
    docs = os.environ.get("FAMILJEPOOL_API_DOCS", "1") != "0"
    app = FastAPIOffline(title="familjepool", lifespan=lifespan, openapi_url="/api/openapi.json",
                         docs_url="/api/docs" if docs else None, redoc_url="/api/redoc" if docs else None,
                         static_url="/api/docs-static", swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect")
    app.add_middleware(SecurityHeaders)

    from api.observability import install_observability

    install_observability(app)  # request log lines and metrics by route template, GET /metrics

    from api.routes import include_routers

    include_routers(app)  # every /api router, problem+json errors (api/routes/)

    from api.web import include_web

    include_web(app)  # the Swedish browser pages and /static (api/web/); after the API: wraps its error handlers

    return app
