"""Referral and interest commands: a municipality's needs, its interest in families, brokering."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pool.actors import Actor, Role
from pool.base import BaseApplication, Saved, as_date
from pool.domain.family import Family, FamilyStatus
from pool.domain.interest import Interest
from pool.domain.referral import Referral, ReferralStatus
from pool.errors import InvalidInputError, NotFoundError, PermissionDeniedError, RuleViolationError
from pool.values import Kind, LegalBasis, check_birth_month, check_kommunkod, check_recent, check_text, parse_enum


class ReferralCommands(BaseApplication):
    def acting_municipality(self, actor: Actor, municipality: str | None) -> str:
        """A municipality user always acts for its own municipality; staff and system name one."""
        if actor.role is Role.MUNICIPALITY:
            if municipality not in (None, actor.municipality):
                raise InvalidInputError("municipality.own_only", field="municipality")
            assert actor.municipality is not None
            return actor.municipality
        if municipality is None:
            raise InvalidInputError("value.empty", field="municipality")
        return check_kommunkod(municipality)

    def load_owned(self, cls: type, aggregate_id: UUID, actor: Actor, expected_version: int | None = None):
        """Load a municipality's record; for another municipality it does not exist (404)."""
        aggregate = self.load(cls, aggregate_id)
        if not actor.sees_municipality(aggregate.municipality):
            raise NotFoundError("record.not_found", kind=cls.__name__.lower(), id=str(aggregate_id))
        return self.load(cls, aggregate_id, expected_version) if expected_version is not None else aggregate

    def register_referral(self, actor: Actor, *, kind: str, legal_basis: str, decision_date: date | str,
                          child_birth_month: str, needs: str, wishes: str = "", municipality: str | None = None) -> Saved:
        actor.require(Role.MUNICIPALITY, Role.POOL_STAFF)
        municipality = self.acting_municipality(actor, municipality)
        parsed_kind = parse_enum(Kind, kind, "kind")
        basis = parse_enum(LegalBasis, legal_basis, "legal_basis")
        decided = as_date(decision_date, "decision_date")
        if decided > date.today():
            raise InvalidInputError("referral.decision_in_future", field="decision_date")
        check_recent(decided, "decision_date")
        month = check_birth_month(child_birth_month)
        needs = check_text(needs, "needs")
        wishes = check_text(wishes, "wishes", required=False)
        self.check_active_member(municipality)
        referral_id = self.new_id()
        referral = Referral(id=referral_id, actor=actor.as_event_data(), municipality=municipality,
                            kind=parsed_kind.value, legal_basis=basis.value, decision_date=decided,
                            child_birth_month=month, needs=self.sealer.seal(referral_id, needs),
                            wishes=self.sealer.seal(referral_id, wishes))
        return self.commit(referral)

    def edit_referral(self, actor: Actor, referral_id: UUID, *, needs: str, wishes: str = "",
                      decision_date: date | str, child_birth_month: str,
                      expected_version: int | None = None) -> Saved:
        actor.require(Role.MUNICIPALITY, Role.POOL_STAFF)
        referral = self.load_owned(Referral, referral_id, actor, expected_version)
        decided = as_date(decision_date, "decision_date")
        if decided > date.today():
            raise InvalidInputError("referral.decision_in_future", field="decision_date")
        check_recent(decided, "decision_date")
        referral.edit(actor.as_event_data(), self.sealer.seal(referral_id, check_text(needs, "needs")),
                      self.sealer.seal(referral_id, check_text(wishes, "wishes", required=False)),
                      decided, check_birth_month(child_birth_month))
        return self.commit(referral)

    def withdraw_referral(self, actor: Actor, referral_id: UUID, *, expected_version: int | None = None) -> Saved:
        actor.require(Role.MUNICIPALITY, Role.POOL_STAFF)
        referral = self.load_owned(Referral, referral_id, actor, expected_version)
        referral.withdraw(actor.as_event_data())
        return self.commit(referral)

    def propose_families(self, actor: Actor, referral_id: UUID, *, family_ids: list[UUID],
                         expected_version: int | None = None) -> Saved:
        """Pool staff propose published families; the municipality then sees them as suggestions."""
        actor.require(Role.POOL_STAFF)
        if not family_ids:
            raise InvalidInputError("referral.no_families", field="family_ids")
        referral = self.load(Referral, referral_id, expected_version)
        for family_id in family_ids:
            family = self.load(Family, family_id)
            if family.status is not FamilyStatus.PUBLISHED:
                raise RuleViolationError("referral.family_not_published", id=str(family_id))
        referral.propose(actor.as_event_data(), list(family_ids))
        return self.commit(referral)

    def referral_text(self, actor: Actor, referral_id: UUID, *, via: str, purpose: str | None = None) -> dict[str, str]:
        """The free text about the child's needs, for its municipality and pool staff (audited, refusals too)."""
        try:
            actor.require(Role.MUNICIPALITY, Role.POOL_STAFF)
        except PermissionDeniedError:
            self.record_denial(actor, "referral", referral_id, via, "role")
            raise
        referral = self.load(Referral, referral_id)
        if not actor.sees_municipality(referral.municipality):
            self.refuse_read(actor, Referral, referral_id, via)
        if referral.child_data_erased:  # crypto-shredded after the retention period: nothing to read
            return {"needs": "", "wishes": "", "note": "", "outcome": referral.outcome, "child_data_erased": True}
        closed = referral.status is ReferralStatus.CLOSED
        self.record_access(actor, "referral", referral_id, via, ["needs", "wishes", *(["note"] if closed else [])],
                           purpose)
        return {"needs": self.sealer.unseal(referral_id, referral.needs),
                "wishes": self.sealer.unseal(referral_id, referral.wishes),
                "note": self.sealer.unseal(referral_id, referral.note) if closed else "",
                "outcome": referral.outcome if closed else None, "child_data_erased": False}

    def express_interest(self, actor: Actor, family_id: UUID, *, referral_id: UUID | None = None,
                         message: str = "", municipality: str | None = None) -> Saved:
        actor.require(Role.MUNICIPALITY)
        municipality = self.acting_municipality(actor, municipality)
        self.check_active_member(municipality)
        try:
            family = self.load(Family, family_id)
        except NotFoundError:
            raise NotFoundError("catalogue.not_found", id=str(family_id)) from None
        if family.status is not FamilyStatus.PUBLISHED:
            raise NotFoundError("catalogue.not_found", id=str(family_id))
        if referral_id is not None:
            referral = self.load_owned(Referral, referral_id, actor)
            if referral.municipality != municipality:
                raise NotFoundError("referral.not_found", id=str(referral_id))
            if not referral.is_active:
                raise RuleViolationError("interest.referral_not_active", status=referral.status.value)
        message = check_text(message, "message", required=False, max_length=2000)
        interest_id = self.new_id()
        interest = Interest(id=interest_id, actor=actor.as_event_data(), family_id=family_id,
                            municipality=municipality, referral_id=referral_id,
                            message=self.sealer.seal(interest_id, message))
        return self.commit(interest)

    def broker_interest(self, actor: Actor, interest_id: UUID, *, expected_version: int | None = None) -> Saved:
        """Put the municipality in contact with the family: from now on it may see who they are."""
        actor.require(Role.POOL_STAFF)
        interest = self.load(Interest, interest_id, expected_version)
        family = self.load(Family, interest.family_id)
        interest.broker(actor.as_event_data())
        family.release_contact(actor.as_event_data(), interest.municipality, interest_id)
        changed: list[Any] = [interest, family]
        if interest.referral_id is not None:
            referral = self.load(Referral, interest.referral_id)
            if referral.is_active:
                referral.match(actor.as_event_data(), interest.family_id, interest_id)
                changed.append(referral)
        return self.commit(*changed)

    def decline_interest(self, actor: Actor, interest_id: UUID, *, reason: str,
                         expected_version: int | None = None) -> Saved:
        actor.require(Role.POOL_STAFF)
        interest = self.load(Interest, interest_id, expected_version)
        interest.decline(actor.as_event_data(), self.sealer.seal(interest_id, check_text(reason, "reason")))
        return self.commit(interest)

    def withdraw_interest(self, actor: Actor, interest_id: UUID, *, expected_version: int | None = None) -> Saved:
        actor.require(Role.MUNICIPALITY)
        interest = self.load_owned(Interest, interest_id, actor, expected_version)
        interest.withdraw(actor.as_event_data())
        return self.commit(interest)
