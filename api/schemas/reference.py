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


class PlacedChildrenPut(RequestModel):
    children: Annotated[int, Field(ge=0, le=100_000, examples=[182],
                                   description="all the member's children 0-17 placed outside the home on "
                                               "1 November of the year (every form of care, not only the pool's)")]
    source: Annotated[Text, Field(max_length=300, examples=["Socialnämndens verksamhetssystem, 2025-11-01"])] = ""


class PlacedChildrenPublic(BaseModel):
    municipality: KommunkodOut
    year: int
    children: int
    source: str
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
    placed_children: int = Field(examples=[182], description="the member's reported placed children 0-17 on the "
                                                             "reference date, all of them (p)")
    placed_children_source: str | None = Field(examples=["Verksamhetssystemet, 2025-11-01"],
                                               description="where the member's figure comes from, when given")
    pool_placements: int = Field(examples=[12], description="the pool's own active placements on the reference "
                                                            "date: a plausibility check, not used in the key")
    pool_placement_ids: list[str] = Field(examples=[["9b2f6c1e-3d4a-4f5b-8c7d-0e1f2a3b4c5d"]],
                                          description="the pool placements counted in pool_placements")
    pool_share: str | None = Field(examples=["0.06593406593406593407"],
                                   description="pool_placements / placed_children (null when the member has none)")
    children_share: Annotated[str, SHARE]
    placements_share: Annotated[str, SHARE]
    key_share: Annotated[str, SHARE]
    membership_days: int = Field(examples=[365], description="days of membership in the year (d)")
    pro_rata: Annotated[str, SHARE]
    share: Annotated[str, SHARE]
    amount_sek: Money
    children_part_sek: Money = Field(description="the amount's part from the children half; the column sums to "
                                                 "children_half_sek")
    placements_part_sek: Money = Field(description="the rest of the amount; the column sums to placements_half_sek")


class AllocationAdopt(RequestModel):
    reason: Annotated[Text | None, Field(max_length=500, examples=["Rättad placering i Solna (beslut 2026-03-02)"],
                                         description="required when the year is already adopted")] = None


class AdoptionPublic(BaseModel):
    version: int = Field(examples=[1])
    versions: int = Field(examples=[1], description="how many versions the year has")
    adopted_on: date
    adopted_by: str | None = None
    reason: str | None = None


class AllocationChangePublic(BaseModel):
    municipality: KommunkodOut
    name: str
    adopted_children: int | None = None
    current_children: int | None = None
    adopted_placed_children: int | None = None
    current_placed_children: int | None = None
    adopted_pool_placements: int | None = None
    current_pool_placements: int | None = None
    adopted_amount_sek: Money | None = None
    current_amount_sek: Money | None = None
    difference_sek: str = Field(examples=["-1250.00"], description="today's amount minus the adopted one")
    changed: bool


class AllocationChangesPublic(BaseModel):
    computable: bool = Field(description="false when today's inputs give no allocation (problem says why)")
    problem: str | None = None
    changed: bool | None = Field(description="any input or amount differs from the adopted version")
    budget_sek: Money | None = None
    members: list[AllocationChangePublic]


class AllocationPublic(BaseModel):
    """The cost allocation of a budget year: amounts sum exactly to the budget."""

    year: int = Field(examples=[2026])
    status: Literal["adopted", "preliminary"] = Field(description="adopted by the steering group, or preliminary")
    adoption: AdoptionPublic | None = Field(description="the version shown, when adopted")
    budget_sek: Money
    reference_date: date = Field(examples=["2025-11-01"])
    days_in_year: int = Field(examples=[365])
    children_total: int = Field(examples=[72217], description="C, the sum of children")
    placed_children_total: int = Field(examples=[700], description="P, the sum of placed children")
    pool_placements_total: int = Field(examples=[40], description="the pool's own placements on the reference date")
    placement_key_fallback: bool = Field(description="no member had placed children: the placement half "
                                                     "is split by the children key")
    members: list[AllocationMemberPublic]
    total_sek: Money
    children_half_sek: Money = Field(description="the children half of the budget (an odd öre goes here)")
    placements_half_sek: Money
    notes: list[str] = Field(examples=[["0139 Upplands-Bro: member 184 of 365 days of 2026, so it pays pro rata."]])
    changes_since_adoption: AllocationChangesPublic | None = Field(
        description="when adopted: the allocation from today's inputs against it, per member")
