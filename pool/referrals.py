"""Referral commands: a municipality's needs, proposals, and the audited read of the needs."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pool.actors import Actor, Role
from pool.base import BaseApplication, Saved, as_date, business_date
from pool.codes import check_languages
from pool.domain.family import Family, FamilyStatus
from pool.domain.referral import Referral, ReferralStatus
from pool.matching import Need
from pool.errors import InvalidInputError, NotFoundError, PermissionDeniedError, RuleViolationError
from pool.values import (
    Kind, LegalBasis, check_birth_month, check_in_order, check_kommunkod, check_recent, check_text, parse_enum)


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
                          child_birth_month: str, needs: str, wishes: str = "", municipality: str | None = None,
                          expected_start: date | str | None = None, children: int = 1,
                          languages: list[str] | None = None) -> Saved:
        actor.require(Role.MUNICIPALITY, Role.POOL_STAFF)
        municipality = self.acting_municipality(actor, municipality)
        parsed_kind = parse_enum(Kind, kind, "kind")
        basis = parse_enum(LegalBasis, legal_basis, "legal_basis")
        Referral.check_basis_fits_kind(parsed_kind.value, basis.value)
        decided = as_date(decision_date, "decision_date")
        if decided > date.today():
            raise InvalidInputError("referral.decision_in_future", field="decision_date")
        check_recent(decided, "decision_date")
        month = check_birth_month(child_birth_month)
        needs = check_text(needs, "needs")
        wishes = check_text(wishes, "wishes", required=False)
        criteria = self.check_criteria(expected_start, children, languages)
        self.check_active_member(municipality)
        referral_id = self.new_id()
        sealed_needs, sealed_wishes = self.sealer.seal_new(referral_id, needs, wishes)
        referral = Referral(id=referral_id, actor=actor.as_event_data(), municipality=municipality,
                            kind=parsed_kind.value, legal_basis=basis.value, decision_date=decided,
                            child_birth_month=month, needs=sealed_needs, wishes=sealed_wishes)
        if criteria != (None, 1, []):  # the defaults need no event
            referral.set_criteria(actor.as_event_data(), *criteria)
        return self.commit(referral)

    @staticmethod
    def check_criteria(expected_start: date | str | None, children: object,
                       languages: list[str] | None) -> tuple[date | None, int, list[str]]:
        """What matching asks for: when the child should move, how many children together, which languages."""
        start = as_date(expected_start, "expected_start") if expected_start not in (None, "") else None
        if start is not None and abs((start - date.today()).days) > 2 * 366:
            raise InvalidInputError("referral.expected_start_out_of_range", field="expected_start", years=2)
        try:
            count = int(str(children).strip() or 1) if not isinstance(children, bool) else 0
        except ValueError:
            count = 0
        if not 1 <= count <= 6:
            raise InvalidInputError("referral.children_out_of_range", field="children", minimum=1, maximum=6)
        return start, count, check_languages(list(languages or []), "languages")

    def set_referral_criteria(self, actor: Actor, referral_id: UUID, *, expected_start: date | str | None = None,
                              children: int = 1, languages: list[str] | None = None,
                              expected_version: int | None = None) -> Saved:
        """Change what matching asks for; the referral's municipality or pool staff."""
        actor.require(Role.MUNICIPALITY, Role.POOL_STAFF)
        criteria = self.check_criteria(expected_start, children, languages)
        referral = self.load_owned(Referral, referral_id, actor, expected_version)
        referral.set_criteria(actor.as_event_data(), *criteria)
        return self.commit(referral)

    def referral_need(self, actor: Actor, referral_id: UUID) -> Need:
        """What a referral asks of a family, for ranking (no free text); another municipality's is not found."""
        actor.require(Role.MUNICIPALITY, Role.POOL_STAFF)
        referral = self.load_owned(Referral, referral_id, actor)
        return Need(kind=referral.kind, municipality=referral.municipality,
                    child_birth_month=referral.child_birth_month,
                    expected_start=referral.expected_start or date.today(), children=referral.children,
                    languages=tuple(referral.languages), urgent=referral.urgent)

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

    def withdraw_referral(self, actor: Actor, referral_id: UUID, *, withdrawn_on: date | str | None = None,
                          expected_version: int | None = None) -> Saved:
        actor.require(Role.MUNICIPALITY, Role.POOL_STAFF)
        on = business_date(withdrawn_on, "withdrawn_on")
        referral = self.load_owned(Referral, referral_id, actor, expected_version)
        referral.withdraw(actor.as_event_data(), on)
        return self.commit(referral)

    def propose_families(self, actor: Actor, referral_id: UUID, *, family_ids: list[UUID],
                         proposed_on: date | str | None = None, expected_version: int | None = None) -> Saved:
        """Pool staff propose published families; the municipality then sees them as suggestions.

        `proposed_on` (default today): not before the decision nor before a family's publication."""
        actor.require(Role.POOL_STAFF)
        if not family_ids:
            raise InvalidInputError("referral.no_families", field="family_ids")
        on = business_date(proposed_on, "proposed_on")
        referral = self.load(Referral, referral_id, expected_version)
        published: list[date | None] = []
        for family_id in family_ids:
            family = self.load(Family, family_id)
            if family.status is not FamilyStatus.PUBLISHED:
                raise RuleViolationError("referral.family_not_published", id=str(family_id))
            referral.check_family_offers_kind(family.kinds)
            published.append(family.published_on)
        check_in_order(on, "proposed_on", *published)
        referral.propose(actor.as_event_data(), list(family_ids), on)
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
