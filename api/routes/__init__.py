"""One router per resource, all under /api."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def include_routers(app: FastAPI) -> None:
    """Mount every router and the problem+json error handlers; document errors as problem+json."""
    from api.errors import install_error_handlers, use_problem_media_type
    from api.routes import (
        allocations, audit, auth, budgets, catalogue, families, health, interests, members, placements,
        referrals, statistics,
    )

    install_error_handlers(app)
    for module in (health, auth, members, budgets, allocations, families, catalogue, referrals, interests,
                   placements, audit, statistics):
        app.include_router(module.router, prefix="/api")

    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = use_problem_media_type(default_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
