"""The steering read model: reference data, placements, referrals and families as dated facts.

It holds what the cost allocation and the statistics are computed from: members with their
dates, population figures, the members' reported placed children, budgets, users (without password hashes), and
one row per placement, referral and family with the DOMAIN dates of each step (decision date,
start and end dates, application, approval, first publication, first placement). No names,
numbers or free text: a child appears only as its birth month, a family only as kinds and dates.
Because the dates are domain dates, a past year's allocation is answered from the same rows and
does not move when later events arrive (unless an event corrects a date in the past).
"""

from __future__ import annotations

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking

from pool.domain.budget import Budget
from pool.domain.family import Family
from pool.domain.member import Member
from pool.domain.placement import Placement
from pool.domain.referral import Referral
from pool.domain.user import User
from projections.core.encoding import bars, day
from projections.core.projection import BatchingProjection


class SteeringProjection(BatchingProjection):
    name = "steering"
    # 5: business dates (issue 11) instead of recording days; 4: the home type (Family.HomeTypeSet);
    # 3: row versions for as_of (HISTORY in view.py); 2: follows ContactUpdated and OfferUpdated
    VERSION = 5
    event_classes = (Member.Joined, Member.Updated, Member.Left, Member.ChildPopulationRecorded,
                     Member.PlacedChildrenRecorded, Budget.Set, Budget.Changed, User.Added, User.Disabled,
                     User.Enabled, Placement.Started, Placement.Extended, Placement.Ended, Referral.Registered,
                     Referral.Edited, Referral.FamiliesProposed, Referral.Matched, Referral.Withdrawn, Referral.Closed,
                     Referral.NonExecutionReasonStated, Family.Applied,
                     Family.InvestigationStepRecorded, Family.Approved, Family.Rejected, Family.Published,
                     Family.Unpublished, Family.Withdrawn, Family.Erased, Family.ContactUpdated, Family.OfferUpdated,
                     Family.HomeTypeSet)

    def history_keys(self, event: Any, table: str) -> list[str]:
        # A placement changes its family's and referral's rows too; its end names only the placement.
        if isinstance(event, Placement.Started) and table == "st_families":
            return [str(event.family_id)]
        if isinstance(event, Placement.Started) and table == "st_referrals":
            return [str(event.referral_id)] if event.referral_id else []
        if isinstance(event, Placement.Ended) and table == "st_families":
            return self._family_of(str(event.originator_id))
        return super().history_keys(event, table)

    def _family_of(self, placement_id: str) -> list[str]:
        """The family of a placement: from the buffer if its start is not written yet, else from the view."""
        for key, params in reversed(self._changes):
            if key == "placement" and params[0] == placement_id:
                return [str(params[2])]
        rows = self.view.query("SELECT family_id FROM {s}st_placements WHERE placement_id = ?", [placement_id])
        return [rows[0]["family_id"]] if rows else []

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.skip(tracking)

    @process_event.register(Member.Joined)
    def _joined(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("member", [str(e.originator_id), e.kommunkod, e.name, day(e.joined_on)]))

    @process_event.register(Member.Updated)
    def _member_updated(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("member_update", [e.name, day(e.joined_on), str(e.originator_id)]))

    @process_event.register(Member.Left)
    def _left(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("member_left", [day(e.left_on), str(e.originator_id)]))

    @process_event.register(Member.ChildPopulationRecorded)
    def _population(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("population", [str(e.originator_id), int(e.year), int(e.children), e.source or ""]))

    # Member.PlacedChildrenReported (a per-budget-year override of the pool's own count) is no longer
    # read: the allocation needs the member's figure of all its placed children, recorded anew.
    @process_event.register(Member.PlacedChildrenRecorded)
    def _placed_children(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("placed_children", [str(e.originator_id), int(e.year), int(e.children),
                                                   e.source or ""]))

    @process_event.register(Budget.Set)
    def _budget(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("budget", [str(e.originator_id), int(e.year), str(e.amount_sek)]))

    @process_event.register(Budget.Changed)
    def _budget_changed(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("budget_change", [str(e.amount_sek), str(e.originator_id)]))

    @process_event.register(User.Added)
    def _user(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("user", [str(e.originator_id), e.username, e.role, e.municipality,
                                        e.timestamp.isoformat(timespec="seconds")]))

    @process_event.register(User.Disabled)
    @process_event.register(User.Enabled)
    def _user_disabled(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("user_disabled", [isinstance(e, User.Disabled), str(e.originator_id)]))

    @process_event.register(Placement.Started)
    def _started(self, e: Any, tracking: Tracking) -> None:
        start = day(e.start_date)
        changes = [("placement", [str(e.originator_id), e.municipality, str(e.family_id), e.kind,
                                  str(e.referral_id) if e.referral_id else None, start, e.child_birth_month,
                                  day(e.planned_end_date)]),
                   ("family_placed", [start, start, str(e.family_id)])]
        if e.referral_id:
            changes.append(("referral_placed", [start, start, str(e.referral_id)]))
        self.record(tracking, *changes)

    @process_event.register(Placement.Extended)
    def _extended(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("placement_extend", [day(e.planned_end_date), str(e.originator_id)]))

    @process_event.register(Placement.Ended)
    def _ended(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("placement_end", [day(e.end_date), e.reason, str(e.originator_id)]),
                    ("family_placement_ended", [str(e.originator_id)]))

    @process_event.register(Referral.Registered)
    def _referral(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("referral", [str(e.originator_id), e.municipality, e.kind, e.legal_basis,
                                            day(e.decision_date), e.child_birth_month]))

    @process_event.register(Referral.Edited)
    def _referral_edited(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("referral_edit", [day(e.decision_date), e.child_birth_month, str(e.originator_id)]))

    @process_event.register(Referral.FamiliesProposed)
    def _proposed(self, e: Any, tracking: Tracking) -> None:
        on = day(e.proposed_on)
        self.record(tracking, ("referral_proposed", [on, on, str(e.originator_id)]))

    @process_event.register(Referral.Matched)
    def _matched(self, e: Any, tracking: Tracking) -> None:
        on = day(e.matched_on)  # brokered: the municipality is put in contact with a family
        self.record(tracking, ("referral_brokered", [on, on, str(e.originator_id)]))

    @process_event.register(Referral.NonExecutionReasonStated)
    def _non_execution(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("non_execution", [str(e.originator_id), e.reason]))

    @process_event.register(Referral.Withdrawn)
    @process_event.register(Referral.Closed)
    def _referral_ended(self, e: Any, tracking: Tracking) -> None:
        status = "withdrawn" if isinstance(e, Referral.Withdrawn) else "closed"
        on = e.withdrawn_on if isinstance(e, Referral.Withdrawn) else e.closed_on
        self.record(tracking, ("referral_ended", [status, day(on), str(e.originator_id)]))

    @process_event.register(Family.OfferUpdated)
    def _offer(self, e: Any, tracking: Tracking) -> None:
        p = e.preferences
        self.record(tracking, ("family_offer", [bars(sorted(str(k) for k in e.kinds)), int(p.get("child_age_min", 0)),
                                                int(p.get("child_age_max", 17)), int(p.get("max_children", 1)),
                                                str(e.originator_id)]))

    @process_event.register(Family.HomeTypeSet)
    def _home_type(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("family_home_type", [e.home_type, str(e.originator_id)]))

    @process_event.register(Family.ContactUpdated)
    def _moved(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("family_move", [e.home_municipality, str(e.originator_id)]))

    @process_event.register(Family.Applied)
    def _applied(self, e: Any, tracking: Tracking) -> None:
        p = e.preferences
        self.record(tracking, ("family", [str(e.originator_id), bars(sorted(str(k) for k in e.kinds)),
                                          e.home_municipality, day(e.applied_on), int(p.get("child_age_min", 0)),
                                          int(p.get("child_age_max", 17)), int(p.get("max_children", 1))]))

    @process_event.register(Family.InvestigationStepRecorded)
    def _investigated(self, e: Any, tracking: Tracking) -> None:
        on = day(e.step_done_on)
        self.record(tracking, ("family_investigated", [on, on, str(e.originator_id)]))

    @process_event.register(Family.Approved)
    def _approved(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("family_approved", [day(e.approved_on), str(e.originator_id)]))

    @process_event.register(Family.Published)
    def _published(self, e: Any, tracking: Tracking) -> None:
        on = day(e.published_on)
        self.record(tracking, ("family_published", [on, on, str(e.originator_id)]),
                    ("published_from", [str(e.originator_id), on]))

    @process_event.register(Family.Unpublished)
    def _unpublished(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("family_status", ["unpublished", str(e.originator_id)]),
                    ("published_to", [day(e.unpublished_on), str(e.originator_id)]))

    @process_event.register(Family.Rejected)
    @process_event.register(Family.Withdrawn)
    @process_event.register(Family.Erased)
    def _family_closed(self, e: Any, tracking: Tracking) -> None:
        status = {Family.Rejected: "rejected", Family.Withdrawn: "withdrawn", Family.Erased: "erased"}[type(e)]
        # The business date of a rejection or withdrawal; an erasure has only its recording day.
        on = day(getattr(e, "rejected_on", None) or getattr(e, "withdrawn_on", None) or e.timestamp)
        # An erasure after a withdrawal keeps the withdrawal's day: the family left the pool then.
        self.record(tracking, ("family_closed", [status, on, str(e.originator_id)]),
                    ("published_to", [on, str(e.originator_id)]))
