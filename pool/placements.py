"""Placement commands: start a consistent assignment within the family's capacity, extend it, end it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pool.actors import Actor, Role
from pool.base import BaseApplication, Saved, as_date
from pool.domain.family import Family
from pool.domain.placement import Placement
from pool.domain.referral import Referral
from pool.errors import PermissionDeniedError, RuleViolationError
from pool.interests import close_links_on_placement
from pool.values import (
    EndReason,
    Kind,
    check_birth_month,
    check_kommunkod,
    check_text,
    parse_enum,
)


class PlacementCommands(BaseApplication):
    def start_placement(self, actor: Actor, *, family_id: UUID, municipality: str, kind: str,
                        start_date: date | str, planned_end_date: date | str, child_birth_month: str,
                        referral_id: UUID | None = None, age_override: bool = False,
                        age_override_reason: str = "") -> Saved:
        """Family, placement (and referral) are saved in one transaction: capacity cannot be overrun.

        The placement must fit the family (a kind it offers, the child's age in its range unless
        overridden with a reason) and the referral (its kind and act, not before its decision).
        """
        actor.require(Role.POOL_STAFF)
        check_kommunkod(municipality)
        parsed_kind = parse_enum(Kind, kind, "kind")
        start = as_date(start_date, "start_date")
        planned_end = as_date(planned_end_date, "planned_end_date")
        Placement.check_dates(start, planned_end)
        month = check_birth_month(child_birth_month, today=max(start, date.today()))
        reason = check_text(age_override_reason, "age_override_reason", required=False, max_length=2000)
        self.check_active_member(municipality, start)
        family = self.load(Family, family_id)
        placement_id = self.new_id()
        changed: list = [family]
        if referral_id is not None:
            referral = self.load(Referral, referral_id)
            if referral.municipality != municipality:
                raise RuleViolationError("placement.referral_of_other_municipality")
            referral.check_placement(parsed_kind.value, start)
            referral.place(actor.as_event_data(), placement_id, family_id, start)
            changed.append(referral)
        family.start_placement(actor.as_event_data(), placement_id, parsed_kind)
        changed += close_links_on_placement(self, actor, family, municipality, placement_id, start)
        overridden = Placement.check_child_age(month, start, int(family.preferences.get("child_age_min", 0)),
                                               int(family.preferences.get("child_age_max", 17)),
                                               bool(age_override), reason)
        # Everything is checked before the first seal: sealing creates the placement's key.
        sealed = self.sealer.seal(placement_id, reason if overridden else "")
        placement = Placement(id=placement_id, actor=actor.as_event_data(), family_id=family_id,
                              municipality=municipality, kind=parsed_kind.value, referral_id=referral_id,
                              start_date=start, planned_end_date=planned_end, child_birth_month=month,
                              age_override=overridden, age_override_reason=sealed)
        saved = self.commit(placement, *changed)
        return saved

    def extend_placement(self, actor: Actor, placement_id: UUID, *, planned_end_date: date | str, reason: str,
                         expected_version: int | None = None) -> Saved:
        """A new planned end, later than the current one, with a reason (sealed: it may be about the child)."""
        actor.require(Role.POOL_STAFF)
        planned_end = as_date(planned_end_date, "planned_end_date")
        reason = check_text(reason, "reason", max_length=2000)
        placement = self.load(Placement, placement_id, expected_version)
        placement.extend(actor.as_event_data(), planned_end, self.sealer.seal(placement_id, reason))
        return self.commit(placement)

    def placement_text(self, actor: Actor, placement_id: UUID, *, via: str,
                       purpose: str | None = None) -> dict[str, Any]:
        """The age override's reason and the extensions' reasons, for pool staff and the placement's
        municipality (each read audited, a refusal too; a placement with neither opens nothing)."""
        try:
            actor.require(Role.MUNICIPALITY, Role.POOL_STAFF)
        except PermissionDeniedError:
            self.record_denial(actor, "placement", placement_id, via, "role")
            raise
        placement = self.load(Placement, placement_id)
        if not actor.sees_municipality(placement.municipality):
            self.refuse_read(actor, Placement, placement_id, via)
        if not placement.age_override and not placement.extensions:
            # Nothing sealed to open: no read of personal data to record (nor a purpose to ask for).
            return {"age_override": False, "age_override_reason": "", "extensions": []}
        self.record_access(actor, "placement", placement_id, via, ["age_override_reason", "extensions"], purpose)
        return {"age_override": placement.age_override,
                "age_override_reason": self.sealer.unseal(placement_id, placement.age_override_reason)
                if placement.age_override else "",
                "extensions": [{"previous_planned_end_date": e["from"].isoformat(),
                                "planned_end_date": e["to"].isoformat(),
                                "reason": self.sealer.unseal(placement_id, e["reason"])}
                               for e in placement.extensions]}

    def end_placement(self, actor: Actor, placement_id: UUID, *, end_date: date | str, reason: str,
                      expected_version: int | None = None) -> Saved:
        actor.require(Role.POOL_STAFF)
        parsed_reason = parse_enum(EndReason, reason, "reason")
        placement = self.load(Placement, placement_id, expected_version)
        placement.end(actor.as_event_data(), as_date(end_date, "end_date"), parsed_reason)
        family = self.load(Family, placement.family_id)
        family.end_placement(actor.as_event_data(), placement_id)
        return self.commit(placement, family)
