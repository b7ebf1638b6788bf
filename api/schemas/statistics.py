"""Statistics and the non-executed decisions report (docs/statistics.md): counts only, no personal data."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from api.schemas.common import KommunkodOut, RequestModel
from pool.values import NonExecutionReason

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


class TimeFromDecision(BaseModel):
    """Days from a referral's decision to its first proposal, brokering or placement within the period."""

    step: str = Field(examples=["brokering"], description="proposal, brokering or placement")
    count: int = Field(examples=[7])
    median_days: int | None = Field(examples=[34])
    p90_days: int | None = Field(examples=[90])


class CostPerPlacement(BaseModel):
    """A member's amount for the period's end year divided by its out-of-home pool placements started that year."""

    municipality: KommunkodOut
    name: str = Field(examples=["Solna"])
    year: int = Field(examples=[2026])
    amount_sek: str | None = Field(examples=["1230000.00"], description="null when the allocation cannot be computed")
    placements_started: int = Field(examples=[4], description="familjehem and jourhem placements started in the year")
    contact_assignments_started: int = Field(examples=[2], description="kontaktfamilj, kontaktperson and "
                                                                       "korttidsfamilj: counted apart")
    cost_per_placement_sek: str | None = Field(examples=["307500.00"], description="null without placements or amount")


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


class HomeTypeRow(BaseModel):
    """Network homes (nätverkshem) and recruited homes counted apart (docs/statistics.md)."""

    home_type: str = Field(examples=["network"], description="network or recruited")
    approved_in_period: int = Field(examples=[2], description="approved within the period")
    approved: int = Field(examples=[5], description="approved and not closed on as_of")
    published: int = Field(examples=[0], description="in the catalogue on as_of (a network home never is)")
    placements_started: int = Field(examples=[2], description="placements in such homes started within the period")
    placements_active: int = Field(examples=[3], description="placements in such homes active on as_of")


class PoolShareYear(BaseModel):
    """The share of a member's placed children that came through the pool, in one year (on 1 November)."""

    municipality: KommunkodOut
    name: str = Field(examples=["Solna"])
    year: int = Field(examples=[2025])
    placed_children: int = Field(examples=[91], description="the member's recorded figure: all its placed children")
    pool_placements: int = Field(examples=[6], description="the pool's out-of-home placements active on 1 November")
    pool_share: str | None = Ratio


class StatisticsPublic(BaseModel):
    """What the pool delivers in a period; see docs/statistics.md for each definition."""

    period: Period
    municipality: KommunkodOut | None = None
    as_of: date = Field(description="the day supply, demand and waiting applicants are counted on: the period's "
                                    "end, or today while the period is not over", examples=["2026-06-30"])
    recorded_until: str | None = Field(None, description="the as_of moment asked for: only what was recorded "
                                                          "until then counts; None: everything recorded so far",
                                       examples=["2026-06-30T21:59:59.999999+00:00"])
    supply_demand: list[SupplyDemandRow]
    waiting: list[WaitingRow]
    funnel: list[FunnelStep]
    time_to_placement: TimeToPlacement
    time_from_decision: list[TimeFromDecision]
    placements: list[MemberPlacementCounts]
    placements_total: PlacementCounts
    shares: list[ShareRow]
    shares_note: str | None = Field(default=None, examples=[None])
    cost_per_placement: list[CostPerPlacement]
    home_types: list[HomeTypeRow] = Field(default_factory=list)
    pool_share_by_year: list[PoolShareYear] = Field(default_factory=list, description="per member and year with "
                                                    "a placed-children figure, up to the period's end year")


class NonExecutedRow(BaseModel):
    """One favourable decision not executed within three months of the decision (or executed late)."""

    referral_id: str = Field(examples=["5f0c1d2e-0000-4000-8000-000000000001"])
    code: str = Field(description="the referral's short code (the first 8 characters of its id)",
                      examples=["5f0c1d2e"])
    municipality: KommunkodOut
    name: str = Field(examples=["Solna"])
    kind: str = Field(examples=["familjehem"])
    legal_basis: str = Field(examples=["SoL"])
    decision_date: date = Field(examples=["2026-02-11"])
    days_waited: int = Field(description="from the decision to the quarter's end, or to the execution",
                             examples=[139])
    reason: NonExecutionReason | None = Field(description="why it is not executed, as the municipality states it")
    executed_on: date | None = Field(description="the first placement's start, for decisions executed late",
                                     examples=[None])


class NonExecutedPublic(BaseModel):
    """The report for one quarter: one row per SoL or LSS decision; LVU apart; last quarter's reports executed."""

    year: int = Field(examples=[2026])
    quarter: int = Field(examples=[3])
    quarter_end: date = Field(examples=["2026-09-30"])
    decided_before: date = Field(description="decisions before this day (three months before the quarter's end) count",
                                 examples=["2026-06-30"])
    items: list[NonExecutedRow] = Field(description="SoL and LSS decisions not executed by the quarter's end")
    total: int = Field(description="the number of items")
    not_reportable: list[NonExecutedRow] = Field(description="LVU decisions not executed: not reportable to IVO")
    executed: list[NonExecutedRow] = Field(description="decisions reported at the previous quarter's end and "
                                                       "executed during this quarter (the follow-up)")


class NonExecutionReasonUpdate(RequestModel):
    """Why a decision is not executed yet (shown in the quarterly report)."""

    reason: NonExecutionReason


class DemandSupplyRow(BaseModel):
    """One kind and age band on one month's last day; a family counts in every row it fits."""

    kind: str = Field(examples=["familjehem"])
    age_band: str = Field(examples=["13-17"])
    demand: int = Field(examples=[12], description="open referrals: decided, neither placed nor ended")
    demand_by_member: dict[str, int] = Field(examples=[{"0184": 7, "0191": 5}])
    supply: int = Field(examples=[0], description="published families with a free place")
    pipeline: int = Field(examples=[2], description="applicants not yet approved, rejected or withdrawn")


class DemandSupplyMonth(BaseModel):
    month: str = Field(examples=["2026-11"])
    on: date = Field(examples=["2026-11-30"], description="the day counted: the month's last, or today")
    rows: list[DemandSupplyRow]


class DemandSupplyPublic(BaseModel):
    """Behov och tillgång: month by month, and the latest month's gaps (demand above supply), largest first."""

    municipality: KommunkodOut | None = None
    months: list[DemandSupplyMonth]
    gaps: list[DemandSupplyRow]
