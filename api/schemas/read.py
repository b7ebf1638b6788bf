"""Responses of the read side: rows of the projections (no plain personal data except where audited).

Each row model lists the fields clients may rely on; rows may carry further fields (additional
properties), so the read side can grow without breaking the contract.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class Row(BaseModel):
    model_config = ConfigDict(extra="allow")


class FamilyRef(Row):
    family_id: UUID
    code: str | None = Field(None, examples=["FP-0007"])


class CatalogueItemPublic(Row):
    """A published family, anonymously: banded ages, generalised area, no names or contact details."""

    id: UUID = Field(description="the family's id (opaque)")
    code: str | None = Field(None, examples=["FP-0007"], description="short human-friendly catalogue code")
    kinds: list[str] = Field(examples=[["familjehem", "jourhem"]])
    area: dict[str, Any] = Field(examples=[{"code": "0163", "name": "Sollentuna"}])
    household: dict[str, Any] = Field(examples=[{"adults": ["40-49"], "children_at_home": ["6-12"]}])
    preferences: dict[str, Any]
    description: str | None = Field(None, examples=["Aktiv familj med hund, nära skog och sjö."])
    available: bool
    published_on: str | None = Field(None, examples=["2026-03-01"])
    version: int | None = Field(None, examples=[9], description="the family's version, also sent as the ETag")


class CataloguePagePublic(BaseModel):
    items: list[CatalogueItemPublic]
    total: int = Field(examples=[1])
    as_of: str | None = Field(None, description="the moment answered for (as_of), None: now",
                              examples=["2026-11-30T11:00:00+00:00"])


class ReferralPublic(Row):
    id: UUID
    municipality: str = Field(examples=["0184"])
    status: str = Field(examples=["open"])
    kind: str = Field(examples=["familjehem"])
    legal_basis: str = Field(examples=["SoL"])
    decision_date: str | None = Field(None, examples=["2026-09-01"])
    child_birth_month: str | None = Field(None, examples=["2016-05"])
    proposed_families: list[FamilyRef] = []


class ReferralDetailPublic(ReferralPublic):
    """One referral with its needs and wishes (the read is audited)."""

    needs: str
    wishes: str
    outcome: str | None = Field(None, examples=["placed_elsewhere"], description="how a closed referral ended")
    note: str = Field("", description="the closing note (sealed; read with the needs)")
    child_data_erased: bool = Field(False, description="needs, wishes and note were erased after the retention period")
    version: int | None = Field(None, examples=[2], description="also sent as the ETag; send it back as If-Match")


class ReasonPublic(BaseModel):
    code: str = Field(examples=["match.language"])
    params: dict[str, Any] = Field(examples=[{"language": "ar"}])
    text: str = Field(examples=["talar arabiska"], description="in the language of Accept-Language")


class SuggestionPublic(BaseModel):
    family_id: UUID | None = Field(None, description="pool staff only; a municipality sees the code")
    code: str = Field(examples=["FP-0007"])
    score: int = Field(examples=[55])
    reasons: list[ReasonPublic]


class CriteriaPublic(BaseModel):
    kind: str = Field(examples=["familjehem"])
    municipality: str = Field(examples=["0184"])
    child_age: int = Field(examples=[14], description="at the expected start")
    expected_start: date
    children: int = Field(examples=[1])
    languages: list[str] = Field(examples=[["ar"]])
    urgent: bool = Field(False, description="urgent: a jourhem need takes only homes available today")


class SuggestionsPublic(BaseModel):
    """Published families ranked for a referral, best first, each with its reasons (docs/matching.md)."""

    referral_id: UUID
    criteria: CriteriaPublic
    items: list[SuggestionPublic]


class ReferralPagePublic(BaseModel):
    items: list[ReferralPublic]
    total: int = Field(examples=[1])
    as_of: str | None = Field(None, description="the moment answered for (as_of), None: now",
                              examples=["2026-11-30T11:00:00+00:00"])


class InterestPublic(Row):
    id: UUID
    municipality: str = Field(examples=["0184"])
    family_id: UUID
    family_code: str | None = Field(None, examples=["FP-0007"])
    referral_id: UUID | None = None
    status: str = Field(examples=["pending"])
    queue_position: int | None = Field(None, description="place in the family's queue of pending interests; "
                                       "null while resting (the family is not available)")
    resting: bool = Field(False, description="pending, but the family is unpublished, withdrawn or has no free "
                                             "place: vilande, the queue resumes in arrival order")
    referral_ids: list[UUID] = Field(default_factory=list, description="every referral attached to the interest")
    broker_reason_code: str | None = Field(None, description="set when brokered out of turn")
    link_outcome: str | None = Field(None, examples=["family_declined"])
    passed_by: list[str] = Field(default_factory=list, description="reason codes of interests brokered before "
                                 "this one while it waited (no municipality, no personal data)")


class InterestReasonsPublic(BaseModel):
    """Sealed free text, for pool staff and the interest's own municipality (every read is audited)."""

    message: str = Field("", examples=[""], description="the municipality's message with its interest")
    broker_reason: str = Field(examples=[""], description="why it was brokered before earlier interests")
    decline_reason: str = Field("", examples=[""], description="why the pool declined the interest")
    link_note: str = Field(examples=[""], description="why the brokered link ended without a placement")


class InterestPagePublic(BaseModel):
    items: list[InterestPublic]
    total: int = Field(examples=[1])
    as_of: str | None = Field(None, description="the moment answered for (as_of), None: now",
                              examples=["2026-11-30T11:00:00+00:00"])


class PlacementPublic(Row):
    id: UUID
    municipality: str = Field(examples=["0184"])
    family_id: UUID
    family_code: str | None = None
    kind: str = Field(examples=["familjehem"])
    referral_id: UUID | None = None
    start_date: str | None = Field(None, examples=["2026-10-01"])
    planned_end_date: str | None = Field(None, examples=["2027-10-01"])
    end_date: str | None = None
    end_reason: str | None = None
    child_birth_month: str | None = Field(None, examples=["2016-05"])
    active: bool
    overdue: bool = Field(False, description="past the planned end and not ended (förfallen); still active")
    age_override: bool = Field(False, description="the child's age was outside the family's age range")


class PlacementPagePublic(BaseModel):
    items: list[PlacementPublic]
    total: int = Field(examples=[1])
    as_of: str | None = Field(None, description="the moment answered for (as_of), None: now",
                              examples=["2026-11-30T11:00:00+00:00"])


class PlacementExtensionPublic(BaseModel):
    previous_planned_end_date: str = Field(examples=["2027-10-01"])
    planned_end_date: str = Field(examples=["2028-04-01"])
    reason: str


class PlacementDetailPublic(PlacementPublic):
    """One placement with the age override's reason and its extensions (the read is audited)."""

    age_override_reason: str = ""
    extensions: list[PlacementExtensionPublic] = []
    version: int = Field(examples=[1])


class RegisterEntryPublic(Row):
    """A register row for pool staff: status, kinds, how long the applicant has waited (names opened, audited)."""

    id: UUID
    names: list[str] = []
    status: str = Field(examples=["under_investigation"])
    kinds: list[str] = []
    home_municipality: str | None = None
    applied_on: str | None = None
    days_waiting: int | None = None


class RegisterPagePublic(BaseModel):
    items: list[RegisterEntryPublic]
    total: int = Field(examples=[1])
    as_of: str | None = Field(None, description="the moment answered for (as_of), None: now",
                              examples=["2026-11-30T11:00:00+00:00"])


class AuditEntryPublic(Row):
    position: int
    event_name: str | None = None
    aggregate_id: str | None = None
    occurred_at: str | None = None
    actor: dict[str, Any]


class AuditPagePublic(BaseModel):
    items: list[AuditEntryPublic]
    total: int = Field(examples=[1])


class PopulationFigure(BaseModel):
    children: int
    source: str


class MemberRowPublic(BaseModel):
    municipality: str
    name: str
    joined_on: date
    left_on: date | None = None
    child_population: dict[int, PopulationFigure] = Field(
        default_factory=dict, description="children 0-17 on 1 November of each year, with the figure's source")
    placed_children: dict[int, PopulationFigure] = Field(
        default_factory=dict, description="all placed children 0-17 on 1 November of each year, as the member "
                                          "reports them, with the figure's source")


class MemberPagePublic(BaseModel):
    items: list[MemberRowPublic]
    total: int


def with_id(row: dict[str, Any], key: str) -> dict[str, Any]:
    """The row with `id` first: the read side names ids by kind (family_id, referral_id, ...)."""
    return {"id": row[key], **row}
