"""Members, population figures, budgets, allocations."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from api.schemas.common import KommunkodOut, Money, MoneyIn, RequestModel, Text


class MemberPut(RequestModel):
    name: Annotated[Text, Field(min_length=1, max_length=100, examples=["Solna"])]
    joined_on: date


class MemberPublic(BaseModel):
    municipality: KommunkodOut
    name: str
    joined_on: date
    left_on: date | None = None
    version: int


class ChildPopulationPut(RequestModel):
    children: Annotated[int, Field(ge=0, le=2_000_000, examples=[15230])]
    source: Annotated[Text, Field(max_length=300, examples=["SCB, folkmängd 0-17 år, 2025-12-31"])] = ""


class ChildPopulationPublic(BaseModel):
    municipality: KommunkodOut
    year: int
    children: int
    version: int


class BudgetPut(RequestModel):
    amount_sek: MoneyIn


class BudgetPublic(BaseModel):
    year: int
    amount_sek: Money
    version: int


SHARE = Field(pattern=r"^[01]\.\d{20}$", examples=["0.21906234127559923541"],
              description="exact to 20 decimals; each column sums to exactly 1")


class AllocationMemberPublic(BaseModel):
    """One member's row, with every input it comes from."""

    municipality: KommunkodOut
    name: str = Field(examples=["Solna"])
    children: int = Field(examples=[15820], description="children 0-17 on the reference date (c)")
    population_source: str | None = Field(examples=["SCB, folkmängd 0-17 år, 2025-12-31"],
                                          description="where the population figure comes from, when recorded")
    placed_children: int = Field(examples=[12], description="placed children 0-17 on the reference date (p)")
    placed_source: Literal["events", "reported"] = Field(
        description="events: counted from the placements listed in placement_ids; reported: the member's figure")
    placement_ids: list[str] = Field(examples=[["9b2f6c1e-3d4a-4f5b-8c7d-0e1f2a3b4c5d"]],
                                     description="the placements counted (empty when reported)")
    children_share: Annotated[str, SHARE]
    placements_share: Annotated[str, SHARE]
    key_share: Annotated[str, SHARE]
    membership_days: int = Field(examples=[365], description="days of membership in the year (d)")
    pro_rata: Annotated[str, SHARE]
    share: Annotated[str, SHARE]
    amount_sek: Money


class AllocationPublic(BaseModel):
    """The cost allocation of a budget year: amounts sum exactly to the budget."""

    year: int = Field(examples=[2026])
    budget_sek: Money
    reference_date: date = Field(examples=["2025-11-01"])
    days_in_year: int = Field(examples=[365])
    children_total: int = Field(examples=[72217], description="C, the sum of children")
    placed_children_total: int = Field(examples=[40], description="P, the sum of placed children")
    placement_key_fallback: bool = Field(description="no member had placed children: the placement half "
                                                     "is split by the children key")
    members: list[AllocationMemberPublic]
    total_sek: Money
    notes: list[str] = Field(examples=[["0139 Upplands-Bro: member 184 of 365 days of 2026, so it pays pro rata."]])
