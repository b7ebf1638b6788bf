"""Maintaining records: a family's household, contact and offer; closing and erasing referrals."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pool.actors import Actor, Role
from pool.base import Saved, as_date
from pool.domain.family import Family
from pool.domain.placement import Placement
from pool.domain.referral import Referral
from pool.errors import ErasedError, InvalidInputError
from pool.families import check_preferences
from pool.personal import check_adults, check_contact, seal_adults, seal_contact
from pool.referrals import ReferralCommands
from pool.settings import referral_retention_days
from pool.values import Kind, ReferralOutcome, check_kommunkod, check_recent, check_text, parse_enum

MAX_ADULTS = 4


def check_household(adults: list[dict[str, Any]], children_at_home_birth_years: list[int]) -> tuple[list, list[int]]:
    """The same checks as an application (pool/families.py apply_family), before anything is sealed."""
    if not adults or len(adults) > MAX_ADULTS:
        raise InvalidInputError("family.adults_count", field="adults", minimum=1, maximum=MAX_ADULTS)
    this_year = date.today().year
    years = list(children_at_home_birth_years or [])
    if not all(isinstance(y, int) and this_year - 30 <= y <= this_year for y in years):
        raise InvalidInputError("family.children_birth_years", field="children_at_home_birth_years")
    return check_adults(adults), sorted(years)


def check_kinds(kinds: list[str]) -> list[Kind]:
    parsed = sorted({parse_enum(Kind, k, "kinds") for k in kinds or []})
    if not parsed:
        raise InvalidInputError("family.no_kinds", field="kinds")
    return parsed


class RecordCommands(ReferralCommands):
    def update_household(self, actor: Actor, family_id: UUID, *, adults: list[dict[str, Any]],
                         children_at_home_birth_years: list[int], expected_version: int | None = None) -> Saved:
        """New adults (names, personnummer: sealed) and the birth years of the children at home."""
        actor.require(Role.POOL_STAFF)
        checked, years = check_household(adults, children_at_home_birth_years)
        family = self.load(Family, family_id, expected_version)
        family.check_not_erased()  # before sealing: an erased family gets no new key
        family.update_household(actor.as_event_data(), seal_adults(self.sealer, family_id, checked), years)
        return self.commit(family)

    def update_contact(self, actor: Actor, family_id: UUID, *, contact: dict[str, Any],
                       home_municipality: str | None = None, expected_version: int | None = None) -> Saved:
        """New address, phone and e-mail, sealed; `home_municipality` after a move (else unchanged)."""
        actor.require(Role.POOL_STAFF)
        checked = check_contact(contact or {})
        if home_municipality is not None:
            check_kommunkod(home_municipality, "home_municipality")
        family = self.load(Family, family_id, expected_version)
        family.check_not_erased()
        family.update_contact(actor.as_event_data(), seal_contact(self.sealer, family_id, checked),
                              home_municipality or family.home_municipality)
        return self.commit(family)

    def update_offer(self, actor: Actor, family_id: UUID, *, kinds: list[str], preferences: dict[str, Any],
                     expected_version: int | None = None) -> Saved:
        """Kinds, capacity and preferences; refused (409) if an active placement would no longer fit."""
        actor.require(Role.POOL_STAFF)
        parsed, prefs = check_kinds(kinds), check_preferences(preferences or {})
        family = self.load(Family, family_id, expected_version)
        active_kinds = [str(self.load(Placement, p).kind) for p in family.active_placements]
        family.update_offer(actor.as_event_data(), parsed, prefs, active_kinds)
        return self.commit(family)

    def close_referral(self, actor: Actor, referral_id: UUID, *, outcome: str, note: str = "",
                       closed_on: date | str | None = None, expected_version: int | None = None) -> Saved:
        """Close with a coded outcome and an optional note (sealed under the referral's key).

        `closed_on` (default today) is the day the case ended; the retention period counts from it."""
        actor.require(Role.MUNICIPALITY, Role.POOL_STAFF)
        parsed = parse_enum(ReferralOutcome, outcome, "outcome")
        note = check_text(note, "note", required=False)
        closed = check_recent(as_date(closed_on or date.today(), "closed_on"), "closed_on")
        referral = self.load_owned(Referral, referral_id, actor, expected_version)
        if closed < referral.decision_date:
            raise InvalidInputError("referral.closed_before_decision", field="closed_on",
                                    decided=referral.decision_date.isoformat())
        if referral.child_data_erased or not self.sealer.can_unseal(referral_id):
            raise ErasedError("personal_data.erased")
        referral.close(actor.as_event_data(), parsed, self.sealer.seal(referral_id, note), closed)
        return self.commit(referral)

    def erase_referral(self, actor: Actor, referral_id: UUID, *, expected_version: int | None = None) -> Saved:
        """Erase a closed referral's child data after the retention period: its key is destroyed."""
        actor.require(Role.MUNICIPALITY, Role.POOL_STAFF)
        referral = self.load_owned(Referral, referral_id, actor, expected_version)
        if referral.child_data_erased and self.sealer.can_unseal(referral_id):
            # A crash between the event and the key deletion: erasing again completes the shredding.
            self.sealer.destroy(referral_id)
            return Saved(id=referral_id, version=referral.version, position=None)
        referral.erase_child_data(actor.as_event_data(), date.today(), referral_retention_days(self.env))
        saved = self.commit(referral)
        self.sealer.destroy(referral_id)
        return saved

    def reapply_referral_erasure(self, actor: Actor, referral_id: UUID) -> Saved:
        """After a restore: a referral erased in the live database after the backup is erased here too."""
        actor.require(Role.SYSTEM)
        referral = self.load(Referral, referral_id)
        referral.record_erasure_after_restore(actor.as_event_data())
        saved = self.commit(referral)
        self.sealer.destroy(referral_id)
        return saved
