"""The demo's casework over two years, planned as dated actions before a single command runs."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import count
from typing import Any

from demo.people import LANGUAGES, description, household

# Kommunkod, name, joined_on, children 0-17 (illustrative magnitudes, not SCB figures), yearly growth.
MEMBERS = [("0184", "Solna", date(2006, 1, 1), 17300, 0.006), ("0163", "Sollentuna", date(2006, 1, 1), 18400, 0.008),
           ("0191", "Sigtuna", date(2007, 1, 1), 12300, 0.004), ("0183", "Sundbyberg", date(2006, 9, 1), 12600, 0.015),
           ("0114", "Upplands Väsby", date(2007, 7, 1), 11300, 0.007),
           ("0139", "Upplands-Bro", date(2008, 1, 1), 7900, 0.012)]
CODES = [m[0] for m in MEMBERS]
WEIGHTS = [m[3] for m in MEMBERS]
STEPS = ["police_register", "social_register", "reference_1", "reference_2", "interview", "home_visit"]
FH, JH, KF, KP, KT = "familjehem", "jourhem", "kontaktfamilj", "kontaktperson", "korttidsfamilj"
# target ("status" or "status:passed through"), kinds, child ages, capacity, when they applied.
FAMILIES = [
    ("published", [FH], 0, 6, 2, "old"), ("published", [FH, JH], 0, 10, 2, "old"),
    ("published", [FH], 4, 12, 2, "old"), ("published", [FH], 10, 17, 1, "old"),
    ("published", [JH], 0, 12, 2, "old"), ("published", [JH], 0, 17, 1, "window"),
    ("published", [KF], 5, 14, 2, "old"), ("published", [KF], 3, 12, 1, "window"),
    ("published", [KP], 10, 17, 1, "window"), ("published", [KP], 12, 17, 1, "window"),
    ("published", [KT], 0, 14, 2, "old"), ("published", [KF, KT], 4, 15, 2, "window"),
    ("published", [FH, KF], 6, 15, 1, "window"), ("unpublished", [FH], 0, 8, 1, "old"),
    ("unpublished", [KF], 6, 16, 1, "window"), ("unpublished", [JH], 0, 6, 1, "old"),
    ("approved", [FH], 2, 10, 1, "late"), ("approved", [KP], 13, 17, 1, "late"),
    ("approved", [JH, FH], 0, 12, 2, "late"), ("withdrawn:published", [FH], 5, 15, 1, "old"),
    ("withdrawn:published", [KF], 4, 12, 1, "old"), ("rejected", [FH], 0, 17, 1, "window"),
    ("rejected", [KP], 12, 17, 1, "window"), ("rejected", [JH], 0, 10, 1, "window"),
    ("under_investigation", [FH], 10, 17, 1, "recent"), ("under_investigation", [KF], 4, 12, 1, "recent"),
    ("under_investigation", [KP], 12, 17, 1, "recent"), ("under_investigation", [FH, JH], 0, 12, 2, "recent"),
    ("under_investigation", [KT], 3, 15, 1, "lost"), ("applied", [FH], 0, 17, 1, "recent"),
    ("applied", [KF], 4, 14, 1, "recent"), ("applied", [KP], 12, 17, 1, "lost"),
    ("applied", [FH], 12, 17, 1, "recent"), ("withdrawn:investigation", [KF], 4, 12, 1, "window"),
    ("withdrawn:applied", [KP], 12, 17, 1, "recent"), ("erased", [FH], 0, 12, 1, "recent"),
]
ERAS = {"old": (1500, 1150), "window": (700, 200), "late": (170, 95), "recent": (120, 5), "lost": (330, 250)}
HOMES = CODES * 5 + ["0123", "0115", "0330"]  # most live in a member, a few next door
# Course ids of pool.codes.COURSES, the course each kind of family takes first.
COURSES = {FH: "ett-hem-att-vaxa-i", JH: "jourhem-grund", KF: "kontaktuppdrag-intro", KP: "kontaktuppdrag-intro",
           KT: "handledning"}
NEEDS = {FH: ["Behöver ett stabilt hem och stöd i skolan.", "Behöver vuxna som orkar med en tonåring i kris.",
              "Behöver trygghet och rutiner efter en orolig uppväxt."],
         JH: ["Behöver akut ett tryggt boende under utredning.", "Behöver jourhem med kort varsel."],
         KF: ["Behöver avlastning och en trygg vuxenkontakt helger.", "Föräldern behöver avlastning."],
         KP: ["Behöver en vuxen förebild och stöd i fritiden.", "Behöver stöd att bryta isolering."],
         KT: ["Behöver korttidsvistelse några dygn i månaden.", "Behöver en familj van vid autism."]}
WISHES = ["Gärna nära skolan i hemkommunen.", "Gärna en familj som talar arabiska.", "Gärna husdjur i familjen.",
          "Syskon ska helst kunna bo tillsammans.", "", ""]
EARLY_ENDS = ["breakdown", "moved_home", "other", "breakdown", "moved_home"]
ORDER = {"end": 0, "close_referral": 1, "erase_referral": 2, "withdraw_interest": 1, "withdraw_referral": 2,
         "propose": 3, "express": 4, "decline": 5, "link_not_started": 5, "broker": 6, "start": 7, "unpublish": 8,
         "withdraw_family": 8, "extend": 9}


@dataclass
class FamilyPlan:
    key: int
    target: str
    kinds: list[str]
    home: str
    applied_on: date
    prefs: dict[str, Any]
    house: dict[str, Any]
    steps: list[tuple[str, str, str]] = field(default_factory=list)
    approved_on: date | None = None
    published_on: date | None = None
    final_on: date | None = None  # unpublished or withdrawn after publication
    training: list[tuple[str, date]] = field(default_factory=list)
    description: str = ""
    busy: list[tuple[date, date | None]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.target.split(":")[0]

    def in_catalogue(self, on: date) -> bool:
        return bool(self.published_on and self.published_on <= on and (self.final_on is None or on < self.final_on))

    def can_host(self, kind: str, age: int, start: date, end: date | None, any_age: bool = False) -> bool:
        ready = self.published_on or (self.approved_on + timedelta(7) if self.status == "approved" else None)
        if kind not in self.kinds or ready is None or ready > start:
            return False
        if not any_age and not self.prefs["child_age_min"] <= age <= self.prefs["child_age_max"]:
            return False
        if self.final_on and (start >= self.final_on or (self.status == "withdrawn" and (end is None or end >= self.final_on))):
            return False
        last = end or date.max
        overlapping = [(s, e or date.max) for s, e in self.busy if s < last and start < (e or date.max)]
        points = [start] + [s for s, _ in overlapping if s > start]
        return all(sum(1 for s, e in overlapping if s <= p < e) < self.prefs["max_children"] for p in points)


@dataclass
class ReferralPlan:
    key: int
    municipality: str
    kind: str
    legal_basis: str
    decision_date: date
    child_birth_month: str
    needs: str
    wishes: str
    status: str = "open"


@dataclass(frozen=True)
class Action:
    on: date
    seq: int
    op: str
    args: dict[str, Any]


def age_on(birth_month: str, on: date) -> int:
    year, month = int(birth_month[:4]), int(birth_month[5:])
    return on.year - year - (1 if on.month < month else 0)


class History:
    """Families, referrals and a timeline of actions; executing it in order keeps every rule."""

    def __init__(self, rng: random.Random, today: date):
        self.rng, self.today = rng, today
        self._seq = count()
        self.actions: list[Action] = []
        self.referrals: list[ReferralPlan] = []
        self.interests: dict[int, str] = {}  # key -> final status
        self.placements: dict[int, tuple[date, date | None, str | None]] = {}
        self._early_ends = count()  # cycles through EARLY_ENDS, so every reason occurs
        self.families = [self._family(i, *spec) for i, spec in enumerate(FAMILIES)]

    def ago(self, most: int, least: int) -> date:
        return self.today - timedelta(self.rng.randint(least, most))

    def at(self, on: date, op: str, **args: Any) -> None:
        self.actions.append(Action(min(on, self.today - timedelta(1)), next(self._seq), op, args))

    def timeline(self) -> list[Action]:
        return sorted(self.actions, key=lambda a: (a.on, ORDER[a.op], a.seq))

    # Families ---------------------------------------------------------------------------------

    def _family(self, i: int, target: str, kinds: list[str], lo: int, hi: int, cap: int, era: str) -> FamilyPlan:
        rng, year = self.rng, self.today.year
        home = rng.choice(HOMES)
        prefs = {"child_age_min": lo, "child_age_max": hi, "max_children": cap, "siblings_ok": cap > 1,
                 "languages": ["sv"] + ([rng.choice(LANGUAGES)] if rng.random() < 0.35 else [])}
        house = household(rng, i, home, year, single=kinds == [KP] or rng.random() < 0.2)
        f = FamilyPlan(i, target, kinds, home, self.ago(*ERAS[era]), prefs, house)
        required = [s for s in STEPS if s != "home_visit" or kinds != [KP]]
        status, passed = f.status, target.partition(":")[2]
        if status in ("published", "unpublished", "approved") or passed == "published":
            f.steps = [(s, "clear", "Utan anmärkning.") for s in required]
            f.approved_on = f.applied_on + timedelta(rng.randint(40, 130) if era != "late" else rng.randint(40, 70))
            f.training = [(COURSES[k], f.approved_on + timedelta(rng.randint(20, 90))) for k in kinds]
            f.training = [(c, d) for c, d in f.training if d < self.today]
            if status != "approved":
                f.published_on = f.approved_on + timedelta(rng.randint(3, 20))
                f.description = description(rng, kinds, prefs, house, year)
            if status == "unpublished":
                f.final_on = self.ago(60, 5)
            elif status == "withdrawn":
                f.final_on = self.ago(200, 40)
        elif status == "rejected":
            f.steps = [(s, "clear", "Utan anmärkning.") for s in required[:3]] + [
                (required[3], "concern", "Referensen avråder från uppdrag.")]
        elif status == "under_investigation" or passed == "investigation":
            done = rng.randint(1, len(required) - 1)
            f.steps = [(s, "clear", "Utan anmärkning.") for s in required[:done]]
        return f

    # Casework ---------------------------------------------------------------------------------

    def child_age(self, kind: str) -> int:
        rng = self.rng
        return {FH: rng.choice([1, 3, 6, 9, 12, 13, 14, 15, 15, 16]), JH: rng.randint(0, 15),
                KF: rng.randint(4, 12), KP: rng.randint(11, 16), KT: rng.randint(3, 14)}[kind]

    def birth_month(self, age: int, on: date) -> str:
        month = self.rng.randint(1, 12)
        return f"{on.year - age - (1 if month > on.month else 0)}-{month:02d}"

    def referral(self, municipality: str, kind: str, decided: date, age: int | None = None) -> ReferralPlan:
        rng = self.rng
        month = self.birth_month(self.child_age(kind) if age is None else age, decided)
        basis = {FH: rng.choice(["SoL", "SoL", "LVU"]), JH: rng.choice(["SoL", "LVU"]), KF: "SoL",
                 KP: rng.choice(["SoL", "SoL", "LSS"]), KT: "LSS"}[kind]
        r = ReferralPlan(len(self.referrals), municipality, kind, basis, decided, month,
                         rng.choice(NEEDS[kind]), rng.choice(WISHES))
        self.referrals.append(r)
        return r

    def member(self) -> str:
        return self.rng.choices(CODES, WEIGHTS)[0]

    def interest(self, on: date, family: FamilyPlan, municipality: str, referral: ReferralPlan | None,
                 status: str = "pending") -> int:
        key = len(self.interests)
        self.interests[key] = status
        self.at(on, "express", interest=key, family=family.key, municipality=municipality,
                referral=None if referral is None else referral.key)
        return key

    def catalogue(self, kind: str, on: date, age: int | None = None, *, lasting: bool = False) -> list[FamilyPlan]:
        return [f for f in self.families if kind in f.kinds and f.in_catalogue(on)
                and (not lasting or f.final_on is None)
                and (age is None or f.prefs["child_age_min"] <= age <= f.prefs["child_age_max"])]

    def place(self, ref: ReferralPlan | None, municipality: str, kind: str, start: date, birth_month: str,
              end: tuple[date | None, str | None] | None = None, route: str = "direct", *,
              planned: date | None = None, override: str | None = None) -> int | None:
        """Plan a placement in a family with room for it (and how it came about); None if none has.

        `override`: the reason to place a child outside the family's age range (only such families host it).
        """
        rng = self.rng
        if start >= self.today - timedelta(1):
            return None
        planned = planned or start + timedelta(
            {FH: rng.randint(365, 1095), JH: rng.randint(45, 120)}.get(kind, rng.randint(180, 365)))
        end_on, reason = end if end is not None else self._outcome(start, planned)
        age = age_on(birth_month, start)
        hosts = [f for f in self.families if f.can_host(kind, age, start, end_on, any_age=override is not None)
                 and (override is None or not f.prefs["child_age_min"] <= age <= f.prefs["child_age_max"])]
        listed = [f for f in hosts if f.published_on and f.published_on <= start - timedelta(3)]
        if route != "direct" and listed:
            hosts = listed
        else:
            route = "direct"
        if not hosts:
            return None
        family = rng.choice(hosts)
        family.busy.append((start, end_on))
        key = len(self.placements)
        self.placements[key] = (start, end_on, reason)
        if ref is not None and route == "interest":
            asked = max(start - timedelta(rng.randint(5, 30)), ref.decision_date, family.published_on)
            asked = min(asked, start - timedelta(2))
            brokered = asked + timedelta(rng.randint(1, (start - asked).days - 1))
            if rng.random() < 0.3:  # another member queued for the same family and is turned down
                rival = rng.choice([c for c in CODES if c != municipality])
                queued = max(asked - timedelta(rng.randint(1, 10)), family.published_on)
                self.at(brokered, "decline", interest=self.interest(queued, family, rival, None, "declined"),
                        reason="Familjen matchades med ett annat barn.")
            # The placement ends the brokered link with "placement started" (issue 12).
            self.at(brokered, "broker", interest=self.interest(asked, family, municipality, ref, "placed"))
        elif ref is not None and route == "proposal":
            self.at(max(ref.decision_date, family.published_on), "propose", referral=ref.key, families=[family.key])
        self.at(start, "start", placement=key, family=family.key, municipality=municipality, kind=kind,
                start=start, planned_end=planned, birth_month=birth_month, referral=None if ref is None else ref.key,
                override=override)
        if end_on is not None:
            self.at(end_on, "end", placement=key, end_date=end_on, reason=reason)
        if ref is not None:
            ref.status = "placed"
        return key

    def _outcome(self, start: date, planned: date) -> tuple[date | None, str | None]:
        rng, last = self.rng, self.today - timedelta(2)
        early = start + timedelta(rng.randint(20, max(21, (planned - start).days - 1)))
        if planned <= last:
            if rng.random() < 0.65:
                return planned, "planned"
            return early, EARLY_ENDS[next(self._early_ends) % len(EARLY_ENDS)]
        if rng.random() < 0.2 and early <= last:
            return early, EARLY_ENDS[next(self._early_ends) % len(EARLY_ENDS)]
        return None, None
