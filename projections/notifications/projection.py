"""The notifications projection: saved searches and families matched into notices, notices into the outbox.

Each event's notices and outbox rows are written by SQL in the same batch as the event's other
changes (in order), so a search saved and a family published in one batch still meet. Notice ids
derive from the event's notification id, outbox ids from the notice: a replay writes the same rows.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking

from pool.domain.family import Family
from pool.domain.interest import Interest
from pool.domain.referral import Referral
from pool.domain.saved_search import SavedSearch
from pool.domain.user import User
from projections.core.encoding import bars, iso
from projections.core.projection import BatchingProjection


class NotificationsProjection(BatchingProjection):
    name = "notifications"
    event_classes = (User.Added, User.Disabled, User.Enabled, User.NotificationsChosen, User.EmailSet,
                     User.ContactMunicipalitiesSet,
                     Family.Applied, Family.Published, Family.Unpublished, Family.Withdrawn, Family.Erased,
                     Family.PlacementStarted, Family.PlacementEnded,
                     Referral.Registered, Referral.Withdrawn, Referral.Closed, Referral.Placed,
                     Referral.FamiliesProposed, Interest.Expressed, SavedSearch.Created, SavedSearch.Deleted)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.skip(tracking)

    # Users ------------------------------------------------------------------------------------------

    @process_event.register(User.Added)
    def _user(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("user", [str(e.originator_id), e.username, e.role, e.municipality, False, False]))

    @process_event.register(User.Disabled)
    @process_event.register(User.Enabled)
    def _user_disabled(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("user_disabled", [isinstance(e, User.Disabled), str(e.originator_id)]))

    @process_event.register(User.NotificationsChosen)
    def _mode(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("user_mode", [e.mode, str(e.originator_id)]))

    @process_event.register(User.EmailSet)
    def _email(self, e: Any, tracking: Tracking) -> None:  # only whether there is one: the address stays sealed
        self.record(tracking, ("user_email", [bool(e.email), str(e.originator_id)]))

    @process_event.register(User.ContactMunicipalitiesSet)
    def _contacts(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("user_contacts", [bars(sorted(e.municipalities)), str(e.originator_id)]))

    # Families ---------------------------------------------------------------------------------------

    @process_event.register(Family.Applied)
    def _applied(self, e: Any, tracking: Tracking) -> None:
        p = e.preferences
        self.record(tracking, ("family", [
            str(e.originator_id), bars(sorted(str(k) for k in e.kinds)), e.home_municipality,
            int(p.get("child_age_min", 0)), int(p.get("child_age_max", 17)), bool(p.get("siblings_ok", False)),
            bars(sorted(p.get("languages") or [])), int(p.get("max_children", 1)), False]))

    @process_event.register(Family.Published)
    def _published(self, e: Any, tracking: Tracking) -> None:
        fid = str(e.originator_id)
        self.record(tracking, ("code", [fid]), ("published", [True, fid]),
                    *self._matches(e, tracking, "family_published"))

    @process_event.register(Family.Unpublished)
    @process_event.register(Family.Withdrawn)
    def _removed(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("published", [False, str(e.originator_id)]))

    @process_event.register(Family.Erased)
    def _erased(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("forget_family", [str(e.originator_id)]))

    @process_event.register(Family.PlacementStarted)
    def _placed(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("placed", [1, str(e.originator_id)]))

    @process_event.register(Family.PlacementEnded)
    def _freed(self, e: Any, tracking: Tracking) -> None:
        # The family matches searches again only if this ending made a place free (free = 1 now):
        # a family that still had room was already matched when it was published.
        fid = str(e.originator_id)
        self.record(tracking, ("placed", [-1, fid]), *self._matches(e, tracking, "family_freed", only_first_free=True))

    def _matches(self, e: Any, tracking: Tracking, kind: str, only_first_free: bool = False) -> list[Any]:
        nid = tracking.notification_id
        changes: list[Any] = []
        if only_first_free:  # evaluated in SQL after the "placed" change: the free places now
            changes.append(("notify_freed", [str(nid), kind, iso(e.timestamp), nid, str(e.originator_id)]))
        else:
            changes.append(("notify_match", [str(nid), kind, iso(e.timestamp), nid, str(e.originator_id)]))
        changes.append(("outbox", [nid]))
        return changes

    # Referrals, proposals, interests -----------------------------------------------------------------

    @process_event.register(Referral.Registered)
    def _referral(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("referral", [str(e.originator_id), e.municipality, True]))

    @process_event.register(Referral.Withdrawn)
    @process_event.register(Referral.Closed)
    @process_event.register(Referral.Placed)
    def _referral_ended(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("referral_active", [False, str(e.originator_id)]))

    @process_event.register(Referral.FamiliesProposed)
    def _proposed(self, e: Any, tracking: Tracking) -> None:
        rid = str(e.originator_id)
        self.record(tracking, *[("proposal", [rid, str(f)]) for f in e.family_ids])

    @process_event.register(Interest.Expressed)
    def _interest(self, e: Any, tracking: Tracking) -> None:
        nid = tracking.notification_id
        rid = str(e.referral_id) if e.referral_id else None
        self.record(tracking, ("notify_staff", [str(nid), rid, str(e.family_id), str(e.family_id), rid,
                                                iso(e.timestamp), nid, e.municipality]), ("outbox", [nid]))

    # Saved searches ---------------------------------------------------------------------------------

    @process_event.register(SavedSearch.Created)
    def _search(self, e: Any, tracking: Tracking) -> None:
        c = e.criteria
        self.record(tracking, ("search", [
            str(e.originator_id), str(e.user_id), e.municipality, c.get("kind"), c.get("child_age"),
            c.get("siblings"), c.get("language"), c.get("area"), str(e.referral_id) if e.referral_id else None,
            iso(e.timestamp), False]))

    @process_event.register(SavedSearch.Deleted)
    def _search_deleted(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("search_deleted", [True, str(e.originator_id)]))
