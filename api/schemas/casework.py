"""Referrals, interests and placements."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import BirthMonth, Kommunkod, RequestModel, Text
from api.schemas.families import LanguageCode
from pool.values import EndReason, Kind, LegalBasis


class ReferralCreate(RequestModel):
    """A municipality's need; the municipality is always the user's own."""

    kind: Kind
    legal_basis: LegalBasis
    decision_date: date
    child_birth_month: BirthMonth
    needs: Annotated[Text, Field(min_length=1, max_length=4000, examples=["Behöver lugn miljö och stöd i skolan."])]
    wishes: Annotated[Text, Field(max_length=4000, examples=["Gärna nära Solna."])] = ""
    municipality: Kommunkod | None = Field(None, description="pool staff only: whose referral it is")
    expected_start: date | None = Field(None, description="when the child should move in (matching takes the "
                                                          "child's age then); today when not given")
    children: Annotated[int, Field(ge=1, le=6, description="children to place together (siblings when > 1)")] = 1
    languages: Annotated[list[LanguageCode], Field(max_length=20, examples=[["ar"]],
                                                   description="languages the child speaks, ISO 639 codes")] = []


class ReferralCriteriaUpdate(RequestModel):
    """What matching asks for (docs/matching.md)."""

    expected_start: date | None = None
    children: Annotated[int, Field(ge=1, le=6)] = 1
    languages: Annotated[list[LanguageCode], Field(max_length=20, examples=[["ar"]])] = []


class ReferralCreatedPublic(BaseModel):
    id: UUID
    status: str = Field(examples=["open"])
    version: int = Field(examples=[1])


class ProposalCreate(RequestModel):
    family_ids: Annotated[list[UUID], Field(min_length=1, max_length=50)]


class InterestCreate(RequestModel):
    referral_id: UUID | None = None
    message: Annotated[Text, Field(max_length=2000, examples=["Vi har en pojke, 9 år, som behöver ett familjehem."])] = ""


class PlacementCreate(RequestModel):
    family_id: UUID
    municipality: Kommunkod
    kind: Kind
    referral_id: UUID | None = None
    start_date: date
    planned_end_date: date
    child_birth_month: BirthMonth


class PlacementEndCreate(RequestModel):
    end_date: date
    reason: EndReason
