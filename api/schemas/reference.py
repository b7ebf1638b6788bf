"""Members, population figures, budgets, allocations."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from api.schemas.common import Kommunkod, Money, MoneyIn, RequestModel, Text


class MemberPut(RequestModel):
    name: Annotated[Text, Field(min_length=1, max_length=100, examples=["Solna"])]
    joined_on: date


class MemberPublic(BaseModel):
    municipality: Kommunkod
    name: str
    joined_on: date
    left_on: date | None = None
    version: int


class ChildPopulationPut(RequestModel):
    children: Annotated[int, Field(ge=0, le=2_000_000, examples=[15230])]
    source: Annotated[Text, Field(max_length=300, examples=["SCB, folkmängd 0-17 år, 2025-12-31"])] = ""


class ChildPopulationPublic(BaseModel):
    municipality: Kommunkod
    year: int
    children: int
    version: int


class BudgetPut(RequestModel):
    amount_sek: MoneyIn


class BudgetPublic(BaseModel):
    year: int
    amount_sek: Money
    version: int


class AllocationMemberPublic(BaseModel):
    municipality: str
    name: str
    children: int
    placed_children: int
    children_share: str
    placements_share: str
    share: str
    amount_sek: Money


class AllocationPublic(BaseModel):
    year: int
    budget_sek: Money
    reference_date: date
    members: list[AllocationMemberPublic]
    total_sek: Money
