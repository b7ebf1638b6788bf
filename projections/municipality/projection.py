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
    event_classes = (Family.Published, Referral.Registered, Referral.Edited, Referral.FamiliesProposed,
                     Referral.Matched, Referral.Placed, Referral.Withdrawn, Referral.Closed,
                     Interest.Expressed, Interest.Brokered, Interest.Declined, Interest.Withdrawn,
                     Placement.Started, Placement.Extended, Placement.Ended)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.skip(tracking)

    @process_event.register(Family.Published)
    def _published(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("code", [str(e.originator_id)]))

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
        rid, ts = str(e.originator_id), iso(e.timestamp)
        self.record(tracking, *[("propose", [rid, str(f), ts]) for f in e.family_ids])

    @process_event.register(Referral.Matched)
    @process_event.register(Referral.Placed)
    @process_event.register(Referral.Withdrawn)
    @process_event.register(Referral.Closed)
    def _referral_status(self, e: Any, tracking: Tracking) -> None:
        status = {"Matched": "matched", "Placed": "placed", "Withdrawn": "withdrawn", "Closed": "closed"}[
            type(e).__name__]
        self.record(tracking, ("referral_status", [status, iso(e.timestamp), str(e.originator_id)]))

    @process_event.register(Interest.Expressed)
    def _expressed(self, e: Any, tracking: Tracking) -> None:
        ts = iso(e.timestamp)
        self.record(tracking, ("interest", [str(e.originator_id), e.municipality, str(e.family_id),
                                            str(e.referral_id) if e.referral_id else None, "pending",
                                            tracking.notification_id, ts, ts]))

    @process_event.register(Interest.Brokered)
    @process_event.register(Interest.Declined)
    @process_event.register(Interest.Withdrawn)
    def _interest_status(self, e: Any, tracking: Tracking) -> None:
        status = {"Brokered": "brokered", "Declined": "declined", "Withdrawn": "withdrawn"}[type(e).__name__]
        self.record(tracking, ("interest_status", [status, iso(e.timestamp), str(e.originator_id)]))

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
