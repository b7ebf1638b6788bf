"""Saved searches, notices and notification settings: requests and answers (codes and ids only)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import Kommunkod, RequestModel
from pool.values import Kind

Mode = Literal["immediate", "daily", "none"]


class SavedSearchCriteria(RequestModel):
    """The catalogue's filter (GET /api/catalogue); at least one criterion."""

    kind: Kind | None = None
    child_age: int | None = Field(None, ge=0, le=17, description="a child of this age fits the family's range")
    siblings: bool | None = None
    language: str | None = Field(None, max_length=3, examples=["ar"], description="ISO 639 code")
    area: Kommunkod | None = None


class SavedSearchCreate(RequestModel):
    criteria: SavedSearchCriteria
    referral_id: UUID | None = Field(None, description="one of your municipality's open referrals")


class SavedSearchPublic(BaseModel):
    id: UUID
    criteria: dict[str, str | int | bool]
    referral_id: UUID | None = None
    referral_code: str | None = Field(None, examples=["F-3F2A9C"])
    created_at: str


class SavedSearchListPublic(BaseModel):
    items: list[SavedSearchPublic]


class NoticePublic(BaseModel):
    id: str
    kind: str = Field(examples=["family_published"])
    text: str = Field(examples=["Ny familj i katalogen matchar din bevakning: FP-0007."])
    link: str = Field(examples=["/katalog/0b5c…"])
    family_code: str | None = Field(None, examples=["FP-0007"])
    referral_code: str | None = None
    created_at: str
    read: bool


class NoticePagePublic(BaseModel):
    items: list[NoticePublic]
    total: int
    unread: int


class NotificationSettingsUpdate(RequestModel):
    mode: Mode = Field(description="immediate: one e-mail per notice; daily: a digest; none: in the product only")


class NotificationSettingsPublic(BaseModel):
    mode: Mode
    has_email: bool


class EmailUpdate(RequestModel):
    email: str = Field(max_length=254, description="the user's e-mail address for notices; empty removes it")


class ContactMunicipalitiesUpdate(RequestModel):
    municipalities: list[Kommunkod] = Field(max_length=300, description="members this consultant follows; [] = all")


class OutboxRowPublic(BaseModel):
    outbox_id: str
    kind: str
    state: str
    attempts: int
    created_at: str
    next_attempt_at: str
    last_error: str
    username: str | None = None
