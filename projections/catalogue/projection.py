"""The catalogue projection: published families as bands and preferences, re-banded at a new year."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking

from pool.domain.family import Family
from pool.domain.member import Member
from pool.domain.placement import Placement
from pool.domain.referral import Referral
from pool.matching import age_at, age_band
from projections.core.encoding import bars, day, dumps, iso, loads
from projections.core.projection import BatchingProjection
from projections.core.view import Change, View


def adult_band(birth_year: int, year: int) -> str:
    age = year - int(birth_year)
    lo = (age // 10) * 10
    return f"{lo}-{lo + 9}"


def child_band(birth_year: int, year: int) -> str:
    age = year - int(birth_year)
    if age <= 6:
        return "0-6"
    if age <= 12:
        return "7-12"
    if age <= 17:
        return "13-17"
    return "18+"


def bands(adult_years: list[int], child_years: list[int], year: int) -> tuple[list[str], list[str]]:
    return (sorted(adult_band(y, year) for y in adult_years),
            sorted(child_band(y, year) for y in child_years))


def _speaks(family_id: str, preferences: dict[str, Any]) -> list[Change]:
    """One catalogue_languages row per language, stored as the catalogue's `languages` column bars it."""
    return [("speaks", [code, family_id]) for code in sorted(set(preferences.get("languages") or []))]


class CatalogueProjection(BatchingProjection):
    name = "catalogue"
    # 7: the published date is the publication's business date (issue 11); 6: row versions for as_of
    # (HISTORY in view.py); 5: the languages table (the catalogue's language filter); 4: jourhem availability
    # periods; 3: follows HouseholdUpdated, ContactUpdated (a move) and OfferUpdated; 2: the matching tables
    # (kinds with ages, match rows, promises; docs/matching.md)
    VERSION = 7
    event_classes = (Family.Applied, Family.Published, Family.Unpublished, Family.Withdrawn, Family.Erased,
                     Family.TrainingRecorded, Family.PlacementStarted, Family.PlacementEnded,
                     Family.HouseholdUpdated, Family.ContactUpdated, Family.OfferUpdated, Family.AvailabilityStated,
                     Member.Joined, Member.Updated, Placement.Started,
                     Referral.Matched, Referral.Placed, Referral.Withdrawn, Referral.Closed)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.skip(tracking)

    @process_event.register(Family.Applied)
    def _applied(self, e: Any, tracking: Tracking) -> None:
        adult_years = [int(a["birth_year"]) for a in e.adults]
        child_years = [int(y) for y in e.children_at_home_birth_years]
        year = date.today().year
        adult_bands, child_bands = bands(adult_years, child_years, year)
        p = e.preferences
        self.record(tracking, ("source", [
            str(e.originator_id), bars(sorted(str(k) for k in e.kinds)), e.home_municipality,
            dumps(adult_years), dumps(child_years), dumps(adult_bands), dumps(child_bands), year,
            int(p.get("child_age_min", 0)), int(p.get("child_age_max", 17)), int(p.get("max_children", 1)),
            bool(p.get("siblings_ok", False)), bars(sorted(p.get("languages") or [])),
        ]), *[("offers", [str(k), str(e.originator_id), int(p.get("child_age_min", 0)), int(p.get("child_age_max", 17))])
              for k in sorted(set(e.kinds))], *_speaks(str(e.originator_id), p), ("match_row", [str(e.originator_id)]))

    @process_event.register(Family.Published)
    def _published(self, e: Any, tracking: Tracking) -> None:
        fid = str(e.originator_id)
        # Kept sealed (version 2; the queries open it) or, from a version-1 event, the plain text it had.
        text = e.description if e.description is not None else e.plain_description or ""
        self.record(tracking, ("code", [fid]), ("publish", [text, day(e.published_on), fid]),
                    ("match_row", [fid]), ("match_code", [fid, fid]))

    @process_event.register(Family.Unpublished)
    @process_event.register(Family.Withdrawn)
    def _removed(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("remove", [str(e.originator_id)]))

    @process_event.register(Family.Erased)
    def _erased(self, e: Any, tracking: Tracking) -> None:
        fid = str(e.originator_id)
        self.record(tracking, ("remove", [fid]), ("forget_source", [fid]), ("forget_training", [fid]),
                    ("forget_offers", [fid]), ("forget_languages", [fid]), ("forget_match", [fid]),
                    ("forget_availability", [fid]))

    @process_event.register(Family.AvailabilityStated)
    def _availability(self, e: Any, tracking: Tracking) -> None:
        fid = str(e.originator_id)
        self.record(tracking, ("forget_availability", [fid]),
                    *(("availability", [fid, day(p["from"]), day(p["to"])]) for p in e.periods))

    @process_event.register(Family.TrainingRecorded)
    def _training(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("training", [str(e.originator_id), e.course]))

    @process_event.register(Family.PlacementStarted)
    def _placed(self, e: Any, tracking: Tracking) -> None:
        fid = str(e.originator_id)
        self.record(tracking, ("placed_source", [1, fid]), ("placed", [1, fid]))

    @process_event.register(Family.PlacementEnded)
    def _placement_ended(self, e: Any, tracking: Tracking) -> None:
        fid = str(e.originator_id)
        self.record(tracking, ("placed_source", [-1, fid]), ("placed", [-1, fid]), ("ended", [day(e.timestamp), fid]))

    @process_event.register(Placement.Started)
    def _experience(self, e: Any, tracking: Tracking) -> None:
        # The band of the child's age when it moved in: "has had teenagers before", never the child.
        band = age_band(age_at(e.child_birth_month, e.start_date))
        if band is None:
            self.skip(tracking)
            return
        self.record(tracking, (f"experience_{band}", [str(e.family_id)]))

    @process_event.register(Referral.Matched)
    def _promised(self, e: Any, tracking: Tracking) -> None:
        # A brokered contact for a referral holds one of the family's places until placed or ended.
        rid, fid = str(e.originator_id), str(e.family_id)
        self.record(tracking, ("unpromise_count", [rid]), ("unpromise", [rid]), ("promise", [rid, fid]),
                    ("promise_count", [fid]))

    @process_event.register(Referral.Placed)
    @process_event.register(Referral.Withdrawn)
    @process_event.register(Referral.Closed)
    def _promise_ended(self, e: Any, tracking: Tracking) -> None:
        rid = str(e.originator_id)
        self.record(tracking, ("unpromise_count", [rid]), ("unpromise", [rid]))

    @process_event.register(Family.HouseholdUpdated)
    def _household(self, e: Any, tracking: Tracking) -> None:
        fid, year = str(e.originator_id), date.today().year
        adult_years = [int(a["birth_year"]) for a in e.adults]
        child_years = [int(y) for y in e.children_at_home_birth_years]
        a, c = bands(adult_years, child_years, year)
        self.record(tracking, ("household_source", [dumps(adult_years), dumps(child_years), dumps(a), dumps(c), year, fid]),
                    ("reband", [dumps(a), dumps(c), year, fid]))

    @process_event.register(Family.OfferUpdated)
    def _offer(self, e: Any, tracking: Tracking) -> None:
        p = e.preferences
        values = [bars(sorted(str(k) for k in e.kinds)), int(p.get("child_age_min", 0)), int(p.get("child_age_max", 17)),
                  int(p.get("max_children", 1)), bool(p.get("siblings_ok", False)),
                  bars(sorted(p.get("languages") or [])), str(e.originator_id)]
        fid, lo, hi = str(e.originator_id), int(p.get("child_age_min", 0)), int(p.get("child_age_max", 17))
        # The matching table's kinds with ages (docs/matching.md) are replaced as a whole.
        self.record(tracking, ("offer_source", values), ("offer", values), ("forget_offers", [fid]),
                    *[("offers", [str(k), fid, lo, hi]) for k in sorted(set(e.kinds))],
                    ("forget_languages", [fid]), *_speaks(fid, p))

    @process_event.register(Family.ContactUpdated)
    def _moved(self, e: Any, tracking: Tracking) -> None:
        fid = str(e.originator_id)  # only the municipality: the contact details stay out of the catalogue
        self.record(tracking, ("move_source", [e.home_municipality, fid]), ("move", [e.home_municipality, fid]))

    @process_event.register(Member.Joined)
    def _member(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("area", [str(e.originator_id), e.kommunkod, e.name]))

    @process_event.register(Member.Updated)
    def _member_renamed(self, e: Any, tracking: Tracking) -> None:
        self.record(tracking, ("area_rename", [e.name, str(e.originator_id)]))

    @staticmethod
    def reband(view: View, year: int | None = None) -> int:
        """Ages are stored as bands: at a new year, recompute the bands of rows banded earlier."""
        year = year or date.today().year
        rows = view.query("SELECT family_id, adult_birth_years, child_birth_years FROM {s}catalogue_source "
                          "WHERE bands_year < ?", [year])
        changes: list[Change] = []
        now = iso(datetime.now(timezone.utc))  # a change of no event: its row versions start now (as_of)
        for row in rows:
            a, c = bands(loads(row["adult_birth_years"], []), loads(row["child_birth_years"], []), year)
            changes.append(("reband_source", [dumps(a), dumps(c), year, row["family_id"]]))
            changes.append(("reband", [dumps(a), dumps(c), year, row["family_id"]]))
            changes += [("close:catalogue", [now, row["family_id"]]), ("open:catalogue", [now, row["family_id"]])]
        if changes:
            view.execute_now(changes)
        return len(rows)
