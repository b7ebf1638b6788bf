"""Referrals, interests and placements."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import BirthMonth, Kommunkod, ReasonCreate, RequestModel, Text
from pool.domain.interest import BrokerReason, LinkOutcome
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
    proposed_on: date | None = Field(None, description="the day it happened (default today); not in the future nor before what it follows")


class ReferralWithdrawCreate(RequestModel):
    withdrawn_on: date | None = Field(None, description="the day it happened (default today); not in the future nor before what it follows")


class InterestCreate(RequestModel):
    referral_id: UUID | None = None
    message: Annotated[Text, Field(max_length=2000, examples=["Vi har en pojke, 9 år, som behöver ett familjehem."])] = ""
    interest_on: date | None = Field(None, description="the day it happened (default today); not in the future nor before what it follows")


class InterestBrokerCreate(RequestModel):
    """Out of turn (an earlier interest still waits) a reason is required: a code, and for "other" text."""

    reason_code: BrokerReason | None = Field(None, description="shown to the members still waiting")
    reason: Annotated[Text, Field(max_length=4000, examples=["Akut behov, syskon redan placerade i kommunen."],
                                  description="sealed; a written reason alone counts as reason_code other")] = ""
    brokered_on: date | None = Field(None, description="the day it happened (default today); not in the future nor before what it follows")


class InterestDeclineCreate(ReasonCreate):
    declined_on: date | None = Field(None, description="the day it happened (default today); not in the future nor before what it follows")


class InterestWithdrawCreate(RequestModel):
    withdrawn_on: date | None = Field(None, description="the day it happened (default today); not in the future nor before what it follows")


class InterestReferralCreate(RequestModel):
    referral_id: UUID


class InterestNotStartedCreate(RequestModel):
    """How a brokered link ended without a placement ("placement_started" follows from the placement)."""

    outcome: LinkOutcome
    note: Annotated[Text, Field(max_length=2000, examples=[""], description="sealed; required for other")] = ""
    ended_on: date | None = Field(None, description="the day it happened (default today); not in the future nor before what it follows")


class PlacementCreate(RequestModel):
    family_id: UUID
    municipality: Kommunkod
    kind: Kind
    referral_id: UUID | None = None
    start_date: date
    planned_end_date: date
    child_birth_month: BirthMonth
    age_override: bool = Field(False, description="place a child outside the family's age range (needs a reason)")
    age_override_reason: Annotated[Text, Field(max_length=2000, examples=["Syskon placeras tillsammans."])] = ""


class PlacementExtendCreate(RequestModel):
    """A new planned end, later than the current one, and why (sealed: it may be about the child)."""

    planned_end_date: date
    reason: Annotated[Text, Field(min_length=1, max_length=2000, examples=["Nytt beslut om fortsatt vård."])]


class PlacementEndCreate(RequestModel):
    end_date: date
    reason: EndReason
