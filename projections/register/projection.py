"""The register projection: families (names sealed, as in the events), checklist, interests in arrival order."""

from __future__ import annotations

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking

from pool.domain.course import Course
from pool.domain.family import Family
from pool.domain.interest import Interest
from pool.domain.referral import Referral
from pool.domain.user import User
from pool.values import Kind, required_steps
from projections.core.encoding import bars, day, dumps
from projections.core.projection import BatchingProjection


class RegisterProjection(BatchingProjection):
    name = "register"
    # 7: the last action and an interest's arrival are business dates (issue 11), not recording times;
    # 6: the course register (Course) and the home type (Family.HomeTypeSet); the work list (each family's
    # latest course, consultants' kontaktkommuner and followed families); row versions for as_of (HISTORY);
    # 3: follows HouseholdUpdated (names), ContactUpdated (a move) and OfferUpdated (kinds); 2: the queue
    VERSION = 8  # 8: every last action a day (business date, else the recording day)
    event_classes = (Family.Applied, Family.InvestigationStepRecorded, Family.Approved, Family.Rejected,
                     Family.Published, Family.Unpublished, Family.Withdrawn, Family.Erased,
                     Family.TrainingRecorded, Family.PlacementStarted, Family.PlacementEnded,
                     Family.ContactReleased, Family.HouseholdUpdated, Family.ContactUpdated, Family.OfferUpdated,
                     Interest.Expressed, Interest.Brokered, Interest.Declined,
                     Interest.Withdrawn, Interest.LinkEnded, Referral.Registered, Referral.Edited,
                     User.ContactMunicipalitiesSet, User.FollowedFamiliesSet,
                     Family.HomeTypeSet, Family.SupervisionRecorded, Course.Scheduled, Course.AttendanceRecorded)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.skip(tracking)

    @process_event.register(Family.Applied)
    def _applied(self, e: Any, tracking: Tracking) -> None:
        kinds = sorted(str(k) for k in e.kinds)
        names = [a["name"] for a in e.adults]  # sealed, exactly as in the event
        self.record(tracking, ("family", [str(e.originator_id), dumps(names), "applied", bars(kinds),
                                          e.home_municipality, day(e.applied_on), day(e.applied_on),
                                          len(required_steps([Kind(k) for k in kinds])), tracking.notification_id]))

    @process_event.register(Family.InvestigationStepRecorded)
    def _step(self, e: Any, tracking: Tracking) -> None:
        fid = str(e.originator_id)
        self.record(tracking, ("step", [fid, e.step]),
                    ("count_steps", ["under_investigation", day(e.step_done_on), fid]))

    @process_event.register(Family.Approved)
    @process_event.register(Family.Rejected)
    @process_event.register(Family.Published)
    @process_event.register(Family.Unpublished)
    @process_event.register(Family.Withdrawn)
    def _status(self, e: Any, tracking: Tracking) -> None:
        status, on = {"Approved": ("approved", "approved_on"), "Rejected": ("rejected", "rejected_on"),
                      "Published": ("published", "published_on"), "Unpublished": ("unpublished", "unpublished_on"),
                      "Withdrawn": ("withdrawn", "withdrawn_on")}[type(e).__name__]
        self.record(tracking, ("status", [status, day(getattr(e, on)), str(e.originator_id)]))

    @process_event.register(Family.Erased)
    def _erased(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("erase", [day(e.timestamp), str(e.originator_id)]))

    @process_event.register(Family.TrainingRecorded)
    def _training(self, e: Any, tracking: Tracking) -> None:
        fid = str(e.originator_id)
        self.record(tracking, ("touch", [day(e.completed_on), fid]), ("last_course", [fid, day(e.completed_on)]))

    @process_event.register(User.ContactMunicipalitiesSet)
    @process_event.register(User.FollowedFamiliesSet)
    def _assigned(self, e: Any, tracking: Tracking) -> None:
        uid = str(e.originator_id)
        kind, values = ("municipality", e.municipalities) if isinstance(e, User.ContactMunicipalitiesSet) \
            else ("family", e.family_ids)
        self.record(tracking, ("unassign", [uid, kind]), *[("assign", [uid, kind, str(v)]) for v in values])

    @process_event.register(Family.ContactReleased)
    @process_event.register(Family.SupervisionRecorded)
    def _touch(self, e: Any, tracking: Tracking) -> None:
        on = e.held_on if isinstance(e, Family.SupervisionRecorded) else e.brokered_on  # business dates
        self.record(tracking, ("touch", [day(on), str(e.originator_id)]))

    @process_event.register(Family.PlacementStarted)
    @process_event.register(Family.PlacementEnded)
    def _placed(self, e: Any, tracking: Tracking) -> None:
        delta = 1 if type(e).__name__ == "PlacementStarted" else -1
        self.record(tracking, ("placed", [delta, day(e.timestamp), str(e.originator_id)]))

    @process_event.register(Family.HouseholdUpdated)
    def _household(self, e: Any, tracking: Tracking) -> None:
        names = [a["name"] for a in e.adults]  # sealed, exactly as in the event
        self.record(tracking, ("names", [dumps(names), day(e.timestamp), str(e.originator_id)]))

    @process_event.register(Family.ContactUpdated)
    def _moved(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("move", [e.home_municipality, day(e.timestamp), str(e.originator_id)]))

    @process_event.register(Family.OfferUpdated)
    def _offer(self, e: Any, tracking: Tracking) -> None:
        kinds = sorted(str(k) for k in e.kinds)
        self.record(tracking, ("offer", [bars(kinds), len(required_steps([Kind(k) for k in kinds])),
                                         day(e.timestamp), str(e.originator_id)]))

    @process_event.register(Interest.Expressed)
    def _expressed(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("interest", [str(e.originator_id), str(e.family_id), e.municipality,
                                            str(e.referral_id) if e.referral_id else None, "pending",
                                            tracking.notification_id, day(e.interest_on)]))

    @process_event.register(Interest.Brokered)
    @process_event.register(Interest.Declined)
    @process_event.register(Interest.Withdrawn)
    @process_event.register(Interest.LinkEnded)
    def _interest_status(self, e: Any, tracking: Tracking) -> None:
        status = {"Brokered": "brokered", "Declined": "declined", "Withdrawn": "withdrawn"}.get(type(e).__name__) \
            or ("placed" if e.outcome == "placement_started" else "not_started")
        self.record(tracking, ("interest_status", [status, str(e.originator_id)]))

    @process_event.register(Referral.Registered)
    def _referral(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("referral", [str(e.originator_id), e.municipality, day(e.decision_date)]))

    @process_event.register(Referral.Edited)
    def _referral_edit(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("referral_edit", [day(e.decision_date), str(e.originator_id)]))

    @process_event.register(Family.HomeTypeSet)
    def _home_type(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("home_type", [e.home_type, day(e.timestamp), str(e.originator_id)]))

    @process_event.register(Course.Scheduled)
    def _course(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("course", [str(e.originator_id), e.course, day(e.held_on), e.place]))

    @process_event.register(Course.AttendanceRecorded)
    def _attendance(self, e: Any, tracking: Tracking) -> None:
        cid = str(e.originator_id)
        self.record(tracking, ("attendance", [cid, str(e.family_id), day(e.attended_on), tracking.notification_id]),
                    ("count_attendees", [cid]))
