"""Placement commands: start an assignment within the family's capacity, end it with a reason."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pool.actors import Actor, Role
from pool.base import BaseApplication, Saved, as_date
from pool.domain.family import Family
from pool.domain.placement import Placement
from pool.domain.referral import Referral
from pool.errors import InvalidInputError, RuleViolationError
from pool.interests import close_links_on_placement
from pool.values import EndReason, Kind, check_birth_month, check_kommunkod, parse_enum


class PlacementCommands(BaseApplication):
    def start_placement(self, actor: Actor, *, family_id: UUID, municipality: str, kind: str,
                        start_date: date | str, planned_end_date: date | str, child_birth_month: str,
                        referral_id: UUID | None = None) -> Saved:
        """Family, placement (and referral) are saved in one transaction: capacity cannot be overrun."""
        actor.require(Role.POOL_STAFF)
        check_kommunkod(municipality)
        parsed_kind = parse_enum(Kind, kind, "kind")
        start = as_date(start_date, "start_date")
        planned_end = as_date(planned_end_date, "planned_end_date")
        if planned_end <= start:
            raise InvalidInputError("placement.end_before_start", field="planned_end_date")
        month = check_birth_month(child_birth_month, today=max(start, date.today()))
        self.check_active_member(municipality, start)
        family = self.load(Family, family_id)
        placement_id = self.new_id()
        family.start_placement(actor.as_event_data(), placement_id, parsed_kind)
        changed: list = [family, *close_links_on_placement(self, actor, family, municipality, placement_id)]
        if referral_id is not None:
            referral = self.load(Referral, referral_id)
            if referral.municipality != municipality:
                raise RuleViolationError("placement.referral_of_other_municipality")
            referral.place(actor.as_event_data(), placement_id, family_id, start)
            changed.append(referral)
        placement = Placement(id=placement_id, actor=actor.as_event_data(), family_id=family_id,
                              municipality=municipality, kind=parsed_kind.value, referral_id=referral_id,
                              start_date=start, planned_end_date=planned_end, child_birth_month=month)
        saved = self.commit(placement, *changed)
        return saved

    def end_placement(self, actor: Actor, placement_id: UUID, *, end_date: date | str, reason: str,
                      expected_version: int | None = None) -> Saved:
        actor.require(Role.POOL_STAFF)
        parsed_reason = parse_enum(EndReason, reason, "reason")
        placement = self.load(Placement, placement_id, expected_version)
        placement.end(actor.as_event_data(), as_date(end_date, "end_date"), parsed_reason)
        family = self.load(Family, placement.family_id)
        family.end_placement(actor.as_event_data(), placement_id)
        return self.commit(placement, family)
