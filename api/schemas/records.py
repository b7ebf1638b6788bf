"""Maintaining records: a family's household, contact and offer; closing a referral with an outcome."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import ConfigDict, Field

from api.schemas.common import Kommunkod, RequestModel, Text
from api.schemas.families import AdultCreate, ContactCreate, PreferencesCreate
from pool.values import Kind, ReferralOutcome


class HouseholdUpdate(RequestModel):
    """The adults (sealed) and the birth years of the children at home; replaces the earlier ones."""

    adults: Annotated[list[AdultCreate], Field(min_length=1, max_length=4)]
    children_at_home_birth_years: Annotated[list[Annotated[int, Field(ge=1900, le=2100)]],
                                            Field(max_length=20, examples=[[2014, 2018]])] = []


class ContactUpdate(RequestModel):
    """Address, phone and e-mail (sealed); replaces the earlier ones. After a move, the new home municipality."""

    contact: ContactCreate
    home_municipality: Kommunkod | None = None


class OfferUpdate(RequestModel):
    """Kinds, capacity (preferences.max_children) and preferences; 409 if an active placement would not fit."""

    kinds: Annotated[list[Kind], Field(min_length=1, max_length=5, examples=[["familjehem", "jourhem"]])]
    preferences: PreferencesCreate


class ReferralClose(RequestModel):
    outcome: Annotated[ReferralOutcome, Field(examples=["placed_elsewhere"])]
    note: Annotated[Text, Field(max_length=4000, examples=["Placerad i kommunens egen familj."])] = ""
    closed_on: Annotated[date | None, Field(description="the day the case ended (default today); "
                                                        "the retention period counts from it")] = None


class AvailabilityPeriod(RequestModel):
    """A stretch of days a jourhem can take a child at short notice (both days included)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: date = Field(alias="from", examples=["2026-12-01"])
    to: date = Field(examples=["2027-02-28"])


class AvailabilityUpdate(RequestModel):
    """The whole list of a jourhem's available periods; an empty list: not available."""

    periods: Annotated[list[AvailabilityPeriod], Field(max_length=12)]


class UrgencyUpdate(RequestModel):
    """Mark a need urgent: a jourhem referral is then matched only with homes available today."""

    urgent: bool = Field(examples=[True])
