"""Responses of the read side (rows of the projections, never plain personal data except where audited)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Row(BaseModel):
    """A read-model row; the documented fields are always present, further fields may follow."""

    model_config = ConfigDict(extra="allow")


class PagePublic(BaseModel):
    items: list[dict[str, Any]]
    total: int = Field(examples=[1])


class RegisterPagePublic(PagePublic):
    """Register rows: status, kinds, dates; names opened for pool staff (the read is audited)."""


class CataloguePagePublic(PagePublic):
    """Anonymous catalogue items: id, code, kinds, area, household, preferences, description, available, published_on."""


class ReferralPagePublic(PagePublic):
    pass


class InterestPagePublic(PagePublic):
    pass


class PlacementPagePublic(PagePublic):
    pass


class AuditPagePublic(PagePublic):
    pass
