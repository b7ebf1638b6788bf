"""Statistics and the non-executed decisions report (docs/statistics.md): counts only, no personal data."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from api.schemas.common import KommunkodOut

Ratio = Field(default=None, pattern=r"^\d+(\.\d+)?$", examples=["0.60"], description="decimal as text; "
              "null where the denominator is 0")


class Period(BaseModel):
    start: date = Field(examples=["2026-01-01"])
    end: date = Field(examples=["2026-12-31"])


class SupplyDemandRow(BaseModel):
    """Families of a kind with free capacity for an age band, against active referrals for it."""

    kind: str = Field(examples=["familjehem"])
    age_band: str = Field(examples=["0-6"])
    supply: int = Field(examples=[3])
    demand: int = Field(examples=[5])
    demand_by_member: dict[str, int] = Field(examples=[{"0184": 2, "0191": 3}])


class WaitingRow(BaseModel):
    status: str = Field(examples=["applied"])
    count: int = Field(examples=[4])
    median_days: int | None = Field(examples=[12])
    p90_days: int | None = Field(examples=[40])
    oldest_days: int | None = Field(examples=[51])


class FunnelStep(BaseModel):
    step: str = Field(examples=["approved"])
    count: int = Field(examples=[18])
    conversion: str | None = Ratio
    median_days: int | None = Field(examples=[95])


class TimeToPlacement(BaseModel):
    count: int = Field(examples=[12])
    median_days: int | None = Field(examples=[41])
    p90_days: int | None = Field(examples=[120])


class PlacementCounts(BaseModel):
    started: int = Field(examples=[4])
    ended: int = Field(examples=[2])
    breakdowns: int = Field(examples=[1])
    active: int = Field(0, description="placements not ended today, overdue ones included", examples=[3])
    overdue: int = Field(0, description="active placements past their planned end today (förfallna)", examples=[1])


class MemberPlacementCounts(PlacementCounts):
    municipality: KommunkodOut
    name: str = Field(examples=["Solna"])


class ShareRow(BaseModel):
    """A member's share of the budget against its share of the placements made through the pool."""

    municipality: KommunkodOut
    name: str = Field(examples=["Solna"])
    budget_share: str | None = Ratio
    pool_placements: int = Field(examples=[4])
    placements_share: str | None = Ratio


class StatisticsPublic(BaseModel):
    """What the pool delivers in a period; see docs/statistics.md for each definition."""

    period: Period
    municipality: KommunkodOut | None = None
    supply_demand: list[SupplyDemandRow]
    waiting: list[WaitingRow]
    funnel: list[FunnelStep]
    time_to_placement: TimeToPlacement
    placements: list[MemberPlacementCounts]
    placements_total: PlacementCounts
    shares: list[ShareRow]
    shares_note: str | None = Field(default=None, examples=[None])


class NonExecutedRow(BaseModel):
    """Referrals of a member, kind and legal basis not placed within three months of the decision."""

    municipality: KommunkodOut
    name: str = Field(examples=["Solna"])
    kind: str = Field(examples=["familjehem"])
    legal_basis: str = Field(examples=["SoL"])
    count: int = Field(examples=[2])


class NonExecutedPublic(BaseModel):
    """The report for one quarter: rows by member, kind and legal basis (a list, as every list: items and total)."""

    year: int = Field(examples=[2026])
    quarter: int = Field(examples=[3])
    quarter_end: date = Field(examples=["2026-09-30"])
    decided_before: date = Field(description="decisions before this day (three months before the quarter's end) count",
                                 examples=["2026-06-30"])
    items: list[NonExecutedRow]
    total: int = Field(description="the number of rows")
