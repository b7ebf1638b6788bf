"""The municipality projection: referrals, interests and placements keyed by the member's kommunkod."""

from __future__ import annotations

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking

from pool.domain.family import Family
from pool.domain.interest import Interest
from pool.domain.placement import Placement
from pool.domain.referral import Referral
from projections.core.encoding import day, iso
from projections.core.projection import BatchingProjection


class MunicipalityProjection(BatchingProjection):
    name = "municipality"
    # 4: interests, proposals, passes and status changes carry business dates (issue 11), not recording
    # times; 3: row versions for as_of (HISTORY in view.py); 2: issue 12: the queue (link outcomes, resting,
    # reasons); the view is rebuilt
    VERSION = 4
    event_classes = (Family.Applied, Family.Published, Family.Unpublished, Family.Withdrawn, Family.Erased,
                     Interest.ReferralAttached, Interest.LinkEnded, Referral.Registered, Referral.Edited, Referral.FamiliesProposed,
                     Referral.Matched, Referral.Placed, Referral.Withdrawn, Referral.Closed,
                     Interest.Expressed, Interest.Brokered, Interest.Declined, Interest.Withdrawn,
                     Placement.Started, Placement.Extended, Placement.Ended)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.skip(tracking)

    def history_keys(self, event: Any, table: str) -> list[str]:
        # Brokering out of turn writes a pass on each interest passed over, not only its own.
        if table == "mv_passes" and isinstance(event, Interest.Brokered):
            return [str(event.originator_id), *(str(p) for p in event.passed)]
        return super().history_keys(event, table)

    @process_event.register(Family.Applied)
    def _applied(self, e: Any, tracking: Tracking) -> None:
        capacity = int((e.preferences or {}).get("max_children", 1))
        self.record(tracking, ("queue_family", [str(e.originator_id), capacity]))

    @process_event.register(Family.Published)
    def _published(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("code", [str(e.originator_id)]), ("queue_available", [1, str(e.originator_id)]))

    @process_event.register(Family.Unpublished)
    @process_event.register(Family.Withdrawn)
    @process_event.register(Family.Erased)
    def _unavailable(self, e: Any, tracking: Tracking) -> None:
        # Its pending interests rest ("vilande") until it is published again, in their arrival order.
        self.record(tracking, ("queue_available", [0, str(e.originator_id)]))

    @process_event.register(Referral.Registered)
    def _registered(self, e: Any, tracking: Tracking) -> None:
        ts = iso(e.timestamp)
        self.record(tracking, ("referral", [str(e.originator_id), e.municipality, "open", e.kind, e.legal_basis,
                                            day(e.decision_date), e.child_birth_month, ts, ts]))

    @process_event.register(Referral.Edited)
    def _edited(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("referral_edit", [day(e.decision_date), e.child_birth_month, iso(e.timestamp),
                                                 str(e.originator_id)]))

    @process_event.register(Referral.FamiliesProposed)
    def _proposed(self, e: Any, tracking: Tracking) -> None:
        rid, on = str(e.originator_id), day(e.proposed_on)
        self.record(tracking, *[("propose", [rid, str(f), on]) for f in e.family_ids])

    @process_event.register(Referral.Matched)
    @process_event.register(Referral.Placed)
    @process_event.register(Referral.Withdrawn)
    @process_event.register(Referral.Closed)
    def _referral_status(self, e: Any, tracking: Tracking) -> None:
        status, on = {"Matched": ("matched", "matched_on"), "Placed": ("placed", "start_date"),
                      "Withdrawn": ("withdrawn", "withdrawn_on"), "Closed": ("closed", "closed_on")}[type(e).__name__]
        self.record(tracking, ("referral_status", [status, day(getattr(e, on)), str(e.originator_id)]))

    @process_event.register(Interest.Expressed)
    def _expressed(self, e: Any, tracking: Tracking) -> None:
        ts = day(e.interest_on)  # the business date (issue 11); the arrival order stays the queue's
        self.record(tracking, ("interest", [str(e.originator_id), e.municipality, str(e.family_id),
                                            str(e.referral_id) if e.referral_id else None, "pending",
                                            tracking.notification_id, ts, ts]),
                    *([("interest_referral", [str(e.originator_id), str(e.referral_id)])] if e.referral_id else []))

    @process_event.register(Interest.ReferralAttached)
    def _attached(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("interest_referral", [str(e.originator_id), str(e.referral_id)]))

    @process_event.register(Interest.LinkEnded)
    def _link_ended(self, e: Any, tracking: Tracking) -> None:
        iid = str(e.originator_id)
        status = "placed" if e.outcome == "placement_started" else "not_started"
        self.record(tracking, ("interest_status", [status, day(e.ended_on), iid]), ("link_outcome", [iid, e.outcome]))

    @process_event.register(Interest.Brokered)
    def _brokered(self, e: Any, tracking: Tracking) -> None:
        iid, ts = str(e.originator_id), day(e.brokered_on)
        changes: list[Any] = [("interest_status", ["brokered", ts, iid])]
        if e.reason_code:  # out of turn: those passed over see the code, never who or the written reason
            changes.append(("broker_reason", [iid, e.reason_code]))
            changes += [("pass", [str(p), iid, e.reason_code, ts]) for p in e.passed]
        self.record(tracking, *changes)

    @process_event.register(Interest.Declined)
    @process_event.register(Interest.Withdrawn)
    def _interest_status(self, e: Any, tracking: Tracking) -> None:
        status, on = {"Declined": ("declined", "declined_on"), "Withdrawn": ("withdrawn", "withdrawn_on")}[
            type(e).__name__]
        self.record(tracking, ("interest_status", [status, day(getattr(e, on)), str(e.originator_id)]))

    @process_event.register(Placement.Started)
    def _started(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("placement", [str(e.originator_id), e.municipality, str(e.family_id), e.kind,
                                             str(e.referral_id) if e.referral_id else None, day(e.start_date),
                                             day(e.planned_end_date), e.child_birth_month,
                                             bool(e.age_override)]))

    @process_event.register(Placement.Extended)
    def _extended(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("placement_extend", [day(e.planned_end_date), str(e.originator_id)]))

    @process_event.register(Placement.Ended)
    def _ended(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("placement_end", [day(e.end_date), e.reason, str(e.originator_id)]))
