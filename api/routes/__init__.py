"""One router per resource, all under /api."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def include_routers(app: FastAPI) -> None:
    """Mount every router and the problem+json error handlers; complete the OpenAPI contract (api/contract.py)."""
    from api.contract import ApiVersionHeader, complete, operation_id
    from api.errors import install_error_handlers, use_problem_media_type
    from api.routes import (
        allocations, audit, auth, budgets, catalogue, courses, families, health, interests, members,
        notifications, placements, referrals, statistics, worklist,
    )

    install_error_handlers(app)
    for module in (health, auth, members, budgets, allocations, families, courses, catalogue, referrals, interests,
                   placements, audit, statistics, notifications, worklist):
        app.include_router(module.router, prefix="/api", generate_unique_id_function=operation_id)
    app.add_middleware(ApiVersionHeader)

    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(use_problem_media_type(default_openapi()))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
