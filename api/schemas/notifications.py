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


class FollowedFamiliesUpdate(RequestModel):
    family_ids: list[UUID] = Field(max_length=500, description="families this consultant follows; [] = none")


class OutboxRowPublic(BaseModel):
    outbox_id: str
    kind: str
    state: str
    attempts: int
    created_at: str
    next_attempt_at: str
    last_error: str
    username: str | None = None


class WorklistItemPublic(BaseModel):
    """One thing to do: codes, a date and where it is handled; never a name."""

    kind: Literal["applicant_untouched", "referral_three_months", "interest_new", "proposal_unanswered",
                  "link_no_outcome", "placement_due", "family_no_course"]
    on: str = Field(description="the day the item counts from (last action, decision, planned end, last course)")
    days: int = Field(description="days from `on` to today (negative: still ahead)")
    late: bool = Field(description="a referral past three months, a placement past its planned end")
    municipality: str
    family_id: str | None = None
    family_code: str | None = None
    referral_id: str | None = None
    referral_code: str | None = None
    placement_id: str | None = None
    interest_id: str | None = None
    link: str = Field(description="the page where it is handled")


class WorklistAssignedPublic(BaseModel):
    municipalities: list[str]
    family_ids: list[str]


class WorklistPublic(BaseModel):
    scope: Literal["mine", "all"] = Field(description="mine: kontaktkommuner and followed families (none set: all)")
    requested_scope: Literal["mine", "all"]
    today: str
    assigned: WorklistAssignedPublic
    counts: dict[str, int] = Field(description="items of each kind in all (the list holds the oldest 200 of each)")
    items: list[WorklistItemPublic]
