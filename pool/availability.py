"""Jourhem availability and urgent referrals: what matching needs to find a home available today."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from pool.actors import Actor, Role
from pool.base import BaseApplication, Saved, as_date
from pool.domain.family import Family
from pool.domain.referral import Referral
from pool.errors import InvalidInputError

MAX_PERIODS = 12
HORIZON = timedelta(days=2 * 366)  # a period may start at most two years ahead


def check_periods(periods: list[dict[str, Any]], today: date | None = None) -> list[tuple[date, date]]:
    """Each period {"from", "to"}: from not after to, within a plausible horizon, none overlapping."""
    today = today or date.today()
    if len(periods) > MAX_PERIODS:
        raise InvalidInputError("family.availability_too_many", field="periods", maximum=MAX_PERIODS)
    checked = []
    for i, period in enumerate(periods):
        if not isinstance(period, dict):
            raise InvalidInputError("family.availability_period_invalid", field=f"periods.{i}")
        start = as_date(period.get("from"), f"periods.{i}.from")
        end = as_date(period.get("to"), f"periods.{i}.to")
        if end < start or start > today + HORIZON or end < today - HORIZON:
            raise InvalidInputError("family.availability_period_invalid", field=f"periods.{i}")
        checked.append((start, end))
    checked.sort()
    for (_, first_end), (second_start, _) in zip(checked, checked[1:]):
        if second_start <= first_end:
            raise InvalidInputError("family.availability_overlap", field="periods")
    return checked


class AvailabilityCommands(BaseApplication):
    def state_availability(self, actor: Actor, family_id: UUID, *, periods: list[dict[str, Any]],
                           expected_version: int | None = None) -> Saved:
        """Pool staff record when a jourhem can take a child (the whole list; empty: not available)."""
        actor.require(Role.POOL_STAFF)
        checked = check_periods(periods)
        family = self.load(Family, family_id, expected_version)
        family.state_availability(actor.as_event_data(), checked)
        return self.commit(family)

    def mark_urgent(self, actor: Actor, referral_id: UUID, *, urgent: bool,
                    expected_version: int | None = None) -> Saved:
        """The referral's municipality or pool staff mark a need as urgent (or not any more)."""
        actor.require(Role.MUNICIPALITY, Role.POOL_STAFF)
        referral = self.load_owned(Referral, referral_id, actor, expected_version)  # type: ignore[attr-defined]
        referral.mark_urgent(actor.as_event_data(), bool(urgent))
        return self.commit(referral)
