"""Families: application, investigation, decision, publication; the register and personal data."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import Kommunkod, OptionalReasonCreate, ReasonCreate, RequestModel, Text
from pool.codes import COURSES, LANGUAGE_CODES
from pool.domain.family_support import HomeType
from pool.values import InvestigationStep, Kind, Outcome

Name = Annotated[Text, Field(min_length=1, max_length=200)]
LanguageCode = Literal[LANGUAGE_CODES]  # type: ignore[valid-type]
CourseId = Literal[tuple(COURSES)]  # type: ignore[valid-type]


class AdultCreate(RequestModel):
    name: Annotated[Name, Field(examples=["Kalle Testsson"])]
    personal_number: Annotated[Text, Field(max_length=20, examples=["19721212-1219"])]


class ContactCreate(RequestModel):
    address: Annotated[Text, Field(min_length=1, max_length=300, examples=["Provgränd 7"])]
    postal_code: Annotated[Text, Field(min_length=1, max_length=300, examples=["19130"])]
    city: Annotated[Text, Field(min_length=1, max_length=300, examples=["Sollentuna"])]
    phone: Annotated[Text, Field(min_length=1, max_length=300, examples=["070-555 12 34"])]
    email: Annotated[Text, Field(max_length=300, examples=["testsson@example.se"])] = ""


class PreferencesCreate(RequestModel):
    child_age_min: Annotated[int, Field(ge=0, le=17, examples=[4])] = 0
    child_age_max: Annotated[int, Field(ge=0, le=17, examples=[12])] = 17
    max_children: Annotated[int, Field(ge=1, le=10, examples=[2])] = 1
    siblings_ok: bool = False
    languages: Annotated[list[LanguageCode], Field(max_length=20, examples=[["sv", "ar"]],
                                                   description="ISO 639 codes, with Swedish names in pool/codes.py")] = []


class FamilyCreate(RequestModel):
    """An applicant household (intresseanmälan)."""

    kinds: Annotated[list[Kind], Field(min_length=1, max_length=5, examples=[["familjehem", "jourhem"]])]
    home_municipality: Kommunkod
    adults: Annotated[list[AdultCreate], Field(min_length=1, max_length=4)]
    children_at_home_birth_years: Annotated[list[Annotated[int, Field(ge=1900, le=2100)]],
                                            Field(max_length=20, examples=[[2014, 2018]])] = []
    contact: ContactCreate
    preferences: PreferencesCreate = PreferencesCreate()
    home_type: HomeType = Field(HomeType.RECRUITED, description="network: a nätverkshem (relatives or people the "
                                "child knows), never published in the catalogue")
    applied_on: date | None = Field(None, description="the day the application came in (default today)")

    model_config = {"extra": "forbid", "json_schema_extra": {"examples": [{
        "kinds": ["familjehem", "jourhem"], "home_municipality": "0163",
        "adults": [{"name": "Kalle Testsson", "personal_number": "19721212-1219"}],
        "children_at_home_birth_years": [2014],
        "contact": {"address": "Provgränd 7", "postal_code": "19130", "city": "Sollentuna",
                    "phone": "070-555 12 34", "email": "testsson@example.se"},
        "preferences": {"child_age_min": 4, "child_age_max": 12, "max_children": 2, "siblings_ok": True,
                        "languages": ["sv"]}}]}}


class FamilyCreatedPublic(BaseModel):
    id: UUID
    status: str = Field(examples=["applied"])
    version: int = Field(examples=[1])


class InvestigationStepCreate(RequestModel):
    step: InvestigationStep
    outcome: Outcome
    note: Annotated[Text, Field(max_length=4000, examples=["Utdrag utan anmärkning"])] = ""
    step_done_on: date | None = Field(None, description="the day it happened (default today); not in the future nor before what it follows")


class TrainingCreate(RequestModel):
    course: Annotated[CourseId, Field(examples=["ett-hem-att-vaxa-i"], description="a course id (pool.codes.COURSES)")]
    completed_on: date


class DescriptionPut(RequestModel):
    description: Annotated[Text, Field(min_length=1, max_length=3000,
                                       examples=["Aktiv familj med hund, nära skog och sjö."])]


class PublishCreate(RequestModel):
    """Publish the current (reviewed) description; a text given here is set first (then, with reviews
    required, the publication is refused until a second consultant has reviewed it)."""

    description: Annotated[Text | None, Field(min_length=1, max_length=3000,
                                              examples=["Aktiv familj med hund, nära skog och sjö."])] = None
    published_on: date | None = Field(None, description="the day it happened (default today); not in the future nor before what it follows")


class UnpublishCreate(RequestModel):
    unpublished_on: date | None = Field(None, description="the day it happened (default today); not in the future nor before what it follows")


class FamilyRejectCreate(ReasonCreate):
    rejected_on: date | None = Field(None, description="the day it happened (default today); not in the future nor before what it follows")


class FamilyWithdrawCreate(OptionalReasonCreate):
    withdrawn_on: date | None = Field(None, description="the day it happened (default today); not in the future nor before what it follows")


class DescriptionPublic(BaseModel):
    """The anonymous description and its review ("granskad av"); staff usernames are not personal data."""

    text: str | None = Field(None, description="None once the family is erased")
    author: str | None = Field(None, examples=["pia.staff"], description="who wrote it (None: before reviews)")
    reviewed_by: str | None = Field(None, examples=["per.staff"])
    reviewed_on: date | None = None
    review_required: bool = Field(description="FAMILJEPOOL_REQUIRE_DESCRIPTION_REVIEW")


class ApproveCreate(RequestModel):
    approved_on: date | None = None
    motivation: Text | None = Field(None, description="required when a checklist step found a concern (sealed)",
                                    examples=["Anmärkningen i socialregistret gäller 2009 och är utredd."])


class AdultPublic(BaseModel):
    name: str
    personal_number: str
    birth_year: int


class ChecklistRecordPublic(BaseModel):
    outcome: str
    note: str
    step_done_on: date | None = Field(None, description="the day the step was done (business date)")


class ChecklistEntryPublic(ChecklistRecordPublic):
    history: list[ChecklistRecordPublic] = Field([], description="earlier records of the step, oldest first")


class SupervisionPublic(BaseModel):
    held_on: date
    note: str


class FamilyPublic(BaseModel):
    """A register entry with the household's personal data (pool staff; the read is audited)."""

    id: UUID
    status: str | None = None
    version: int | None = None
    record: dict[str, Any] = Field(default_factory=dict, description="the register row, without personal data")
    adults: list[AdultPublic]
    contact: dict[str, str]
    checklist: dict[str, ChecklistEntryPublic]
    approval_motivation: str | None = Field(None, description="why approved despite a concern in the checklist")
    closing_reason: str | None = Field(None, description="the rejection or withdrawal reason")
    supervision: list[SupervisionPublic] = Field(default_factory=list, description="supervision sessions (handledning) "
                                                 "with their notes, in the order recorded")
    description: DescriptionPublic | None = None


class FamilyContactPublic(BaseModel):
    """Names and contact details, released to a municipality once the pool brokered its interest."""

    id: UUID
    names: list[str]
    contact: dict[str, str]
