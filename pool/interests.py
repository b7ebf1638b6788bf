"""Interest commands: the family's queue in arrival order, brokering within free places, link outcomes."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pool.actors import Actor, Role
from pool.base import BaseApplication, Saved, business_date
from pool.domain.family import Family, FamilyStatus
from pool.domain.interest import BrokerReason, Interest, LinkOutcome
from pool.domain.queue import InterestQueue
from pool.domain.referral import Referral
from pool.errors import (
    ConcurrentUpdateError, InvalidInputError, NotFoundError, PermissionDeniedError, RuleViolationError)
from pool.referrals import ReferralCommands
from pool.values import check_text, parse_enum

ATTEMPTS = 3  # a registration that lost a race for the family's queue to another member is retried


def queue_of(app: BaseApplication, family_id: UUID) -> InterestQueue | None:
    try:
        return app.load(InterestQueue, InterestQueue.create_id(family_id))
    except NotFoundError:  # no interest yet, or only ones from before the queue existed
        return None


def close_links_on_placement(app: BaseApplication, actor: Actor, family: Family, municipality: str,
                             placement_id: UUID, start_date: date | None = None) -> list[Any]:
    """A placement for a brokered municipality ends its open link with "placement started" (same transaction).

    The link ends the day the placement starts (today for one planned ahead); a start before the
    brokering is refused (422 on start_date)."""
    changed: list[Any] = []
    queue = queue_of(app, family.id)
    start = start_date or date.today()
    ended_on = min(start, date.today())
    for interest_id, linked in list(family.open_links.items()):
        if linked != municipality:
            continue
        interest = app.load(Interest, interest_id)
        if interest.brokered_on is not None and start < interest.brokered_on:
            raise InvalidInputError("value.date_before_predecessor", field="start_date",
                                    earliest=interest.brokered_on.isoformat())
        interest.end_link(actor.as_event_data(), LinkOutcome.PLACEMENT_STARTED, placement_id=placement_id,
                          ended_on=ended_on)
        family.close_link(actor.as_event_data(), interest_id, placed=True, ended_on=ended_on)
        if queue is not None:
            queue.leave(actor.as_event_data(), interest_id)
        changed.append(interest)
    return changed + ([queue] if changed and queue is not None else [])


class InterestCommands(ReferralCommands):
    def express_interest(self, actor: Actor, family_id: UUID, *, referral_id: UUID | None = None,
                         message: str = "", municipality: str | None = None,
                         interest_on: date | str | None = None) -> Saved:
        """Join the family's queue; a member with an open interest there attaches its referral instead."""
        actor.require(Role.MUNICIPALITY)
        municipality = self.acting_municipality(actor, municipality)
        self.check_active_member(municipality)
        try:
            family = self.load(Family, family_id)
        except NotFoundError:
            raise NotFoundError("catalogue.not_found", id=str(family_id)) from None
        if family.status is not FamilyStatus.PUBLISHED:
            raise NotFoundError("catalogue.not_found", id=str(family_id))
        on = business_date(interest_on, "interest_on")
        decided = [self._attachable_referral(actor, municipality, referral_id).decision_date] \
            if referral_id is not None else []
        Interest.check_interest_on(on, family.published_on, decided)
        message = check_text(message, "message", required=False, max_length=2000)
        interest_id, sealed = self.new_id(), None
        for attempt in range(ATTEMPTS):
            queue = queue_of(self, family_id) or InterestQueue(family_id=family_id)
            queue.join(actor.as_event_data(), interest_id, municipality)  # refused before anything is sealed
            sealed = sealed if sealed is not None else self.sealer.seal(interest_id, message)
            interest = Interest(id=interest_id, actor=actor.as_event_data(), family_id=family_id,
                                municipality=municipality, referral_id=referral_id, message=sealed,
                                interest_on=on)
            try:
                return self.commit(interest, queue)
            except ConcurrentUpdateError:
                if attempt == ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _attachable_referral(self, actor: Actor, municipality: str, referral_id: UUID) -> Referral:
        referral = self.load_owned(Referral, referral_id, actor)
        if referral.municipality != municipality:
            raise NotFoundError("referral.not_found", id=str(referral_id))
        if not referral.is_active:
            raise RuleViolationError("interest.referral_not_active", status=referral.status.value)
        return referral

    def attach_referral(self, actor: Actor, interest_id: UUID, *, referral_id: UUID,
                        expected_version: int | None = None) -> Saved:
        """Another of the member's referrals joins its open interest (keeping the interest's place)."""
        actor.require(Role.MUNICIPALITY)
        interest = self.load_owned(Interest, interest_id, actor, expected_version)
        referral = self._attachable_referral(actor, interest.municipality, referral_id)
        interest.attach_referral(actor.as_event_data(), referral_id)
        changed: list[Any] = [interest]
        if interest.status.value == "brokered":  # already in contact: the referral is matched at once
            referral.match(actor.as_event_data(), interest.family_id, interest_id)
            changed.append(referral)
        return self.commit(*changed)

    def broker_interest(self, actor: Actor, interest_id: UUID, *, reason_code: str | None = None,
                        reason: str = "", brokered_on: date | str | None = None,
                        expected_version: int | None = None) -> Saved:
        """Put the municipality in contact with the family: from now on it may see who they are.

        Out of turn (an earlier interest still waits) only with a reason: a code the waiting members
        see, and for "other" a written reason (sealed: it may name people). A written reason alone
        counts as "other". The family's free places bound the open links."""
        actor.require(Role.POOL_STAFF)
        text = check_text(reason, "reason", required=False)
        code = parse_enum(BrokerReason, reason_code, "reason_code") if reason_code else None
        code = code or (BrokerReason.OTHER if text else None)
        on = business_date(brokered_on, "brokered_on")
        interest = self.load(Interest, interest_id, expected_version)
        interest.check_pending()
        interest.check_link_end(on, "brokered_on")  # before anything is sealed: not before the interest
        queue = queue_of(self, interest.family_id)
        passed = queue.earlier_than(interest_id) if queue is not None else []
        if passed and code is None:
            raise InvalidInputError("interest.broker_reason_required", field="reason", waiting=len(passed))
        if code is BrokerReason.OTHER and not text:
            raise InvalidInputError("interest.broker_reason_text_required", field="reason")
        family = self.load(Family, interest.family_id)
        family.release_contact(actor.as_event_data(), interest.municipality, interest_id, on)  # checks free places
        interest.broker(actor.as_event_data(), passed, code, self.sealer.seal(interest_id, text) if text else "", on)
        changed: list[Any] = [interest, family]
        if queue is not None:
            queue.serve(actor.as_event_data(), interest_id)
            changed.append(queue)
        for rid in interest.referral_ids:
            referral = self.load(Referral, rid)
            if referral.is_active:
                referral.match(actor.as_event_data(), interest.family_id, interest_id, on)
                changed.append(referral)
        return self.commit(*changed)

    def _leave_queue(self, actor: Actor, interest: Interest) -> list[Any]:
        queue = queue_of(self, interest.family_id)
        if queue is None:
            return []
        queue.leave(actor.as_event_data(), interest.id)
        return [queue]

    def decline_interest(self, actor: Actor, interest_id: UUID, *, reason: str, declined_on: date | str | None = None,
                         expected_version: int | None = None) -> Saved:
        actor.require(Role.POOL_STAFF)
        reason = check_text(reason, "reason")
        on = business_date(declined_on, "declined_on")
        interest = self.load(Interest, interest_id, expected_version)
        interest.decline(actor.as_event_data(), self.sealer.seal(interest_id, reason), on)
        return self.commit(interest, *self._leave_queue(actor, interest))

    def withdraw_interest(self, actor: Actor, interest_id: UUID, *, withdrawn_on: date | str | None = None,
                          expected_version: int | None = None) -> Saved:
        actor.require(Role.MUNICIPALITY)
        on = business_date(withdrawn_on, "withdrawn_on")
        interest = self.load_owned(Interest, interest_id, actor, expected_version)
        interest.withdraw(actor.as_event_data(), on)
        return self.commit(interest, *self._leave_queue(actor, interest))

    def end_link_not_started(self, actor: Actor, interest_id: UUID, *, outcome: str, note: str = "",
                             ended_on: date | str | None = None, expected_version: int | None = None) -> Saved:
        """A brokered link ends without a placement: the place is free again and the contact closes."""
        actor.require(Role.POOL_STAFF, Role.MUNICIPALITY)
        parsed = parse_enum(LinkOutcome, outcome, "outcome")
        if parsed is LinkOutcome.PLACEMENT_STARTED:  # that outcome follows from recording the placement
            raise InvalidInputError("interest.outcome_is_placement", field="outcome")
        note = check_text(note, "note", required=parsed is LinkOutcome.OTHER, max_length=2000)
        on = business_date(ended_on, "ended_on")
        interest = self.load_owned(Interest, interest_id, actor, expected_version)
        interest.check_link_open()
        interest.check_link_end(on)  # before anything is sealed
        family = self.load(Family, interest.family_id)
        family.close_link(actor.as_event_data(), interest_id, placed=False, ended_on=on)
        interest.end_link(actor.as_event_data(), parsed, self.sealer.seal(interest_id, note) if note else "", ended_on=on)
        return self.commit(interest, family, *self._leave_queue(actor, interest))

    def interest_reasons(self, actor: Actor, interest_id: UUID, *, via: str,
                         purpose: str | None = None) -> dict[str, str]:
        """The written texts (message, reasons) for pool staff and the interest's own member (each read audited)."""
        try:
            actor.require(Role.POOL_STAFF, Role.MUNICIPALITY)
        except PermissionDeniedError:
            self.record_denial(actor, "interest", interest_id, via, "role")
            raise
        interest = self.load(Interest, interest_id)
        if not actor.sees_municipality(interest.municipality):
            self.refuse_read(actor, Interest, interest_id, via)
        # The municipality's message, why it was brokered out of turn or declined, why its link ended:
        # the read names those that hold text (an empty message is sealed too, and opens to nothing).
        sealed = {"message": interest.message, "broker_reason": interest.broker_reason,
                  "decline_reason": getattr(interest, "decline_reason", ""), "link_note": interest.link_note}
        texts = {name: self.sealer.unseal(interest_id, value) if value else "" for name, value in sealed.items()}
        written = [name for name, text in texts.items() if text]
        if written:
            self.record_access(actor, "interest", interest_id, via, written, purpose)
        return texts
