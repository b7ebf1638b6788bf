"""Ranked suggestions for a referral: hard rules exclude a family, weighted soft criteria explain the rest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from pool.errors import Note

# The one table of weights (docs/matching.md). A family's score is the sum of the criteria it meets;
# each criterion met is also a reason shown on the suggestion.
WEIGHTS: dict[str, int] = {
    "language": 30,            # speaks a language the referral asks for
    "same_municipality": 25,   # lives in the referral's municipality
    "same_county": 10,         # lives in the referral's county (first two digits of the SCB code)
    "experience": 20,          # has had a placement of a child in the same age band before
    "preference": 10,          # the family's own age range is narrow and holds the child: it wants this age
    "waiting_max": 20,         # waited without an assignment: one point per WAITING_DAYS_PER_POINT days, capped
    "available_now": 40,       # an urgent jourhem need: a home that said it is available today (the others are out)
}
WAITING_DAYS_PER_POINT = 10
WAITING_SHOWN_FROM_DAYS = 30   # a shorter wait is not worth a reason
NARROW_RANGE_YEARS = 6         # "0-17" says nothing about a wish; "13-17" does

BANDS = (("0-6", 0, 6), ("7-12", 7, 12), ("13-17", 13, 17))


def age_band(age: int) -> str | None:
    return next((name for name, lo, hi in BANDS if lo <= age <= hi), None)


def age_at(birth_month: str, when: date) -> int:
    """Whole years between the first of the birth month ("YYYY-MM") and `when`."""
    year, month = (int(p) for p in birth_month.split("-")[:2])
    return when.year - year - (1 if when.month < month else 0)


def county(kommunkod: str) -> str:
    """SCB codes: the first two digits are the county (län)."""
    return kommunkod[:2]


@dataclass(frozen=True)
class Need:
    """What a referral asks for, without anything about who the child is."""

    kind: str
    municipality: str
    child_birth_month: str
    expected_start: date
    children: int = 1                       # children to be placed together (siblings when > 1)
    languages: tuple[str, ...] = ()
    urgent: bool = False                    # an urgent jourhem need takes only homes available today

    @property
    def needs_available_now(self) -> bool:
        return self.urgent and self.kind == "jourhem"

    @property
    def child_age(self) -> int:
        return age_at(self.child_birth_month, self.expected_start)


@dataclass(frozen=True)
class Candidate:
    """A published family as the catalogue knows it (no identity)."""

    family_id: str
    seq: int                                # catalogue code number: FP-0007 is 7
    kinds: tuple[str, ...]
    area_code: str
    child_age_min: int
    child_age_max: int
    max_children: int
    active_placements: int = 0
    promised: int = 0                       # places promised by brokered, not yet placed referrals
    siblings_ok: bool = False
    languages: tuple[str, ...] = ()
    published_on: date | None = None
    last_ended: date | None = None
    experience: frozenset[str] = frozenset()  # age bands of children placed with the family before
    available_until: date | None = None     # a jourhem's stated period that holds today ends then

    @property
    def free_places(self) -> int:
        return self.max_children - self.active_placements - self.promised


@dataclass
class Suggestion:
    family_id: str
    seq: int
    score: int
    reasons: list[Note] = field(default_factory=list)


def exclusion(need: Need, c: Candidate) -> Note | None:
    """The hard rule a family breaks for this need, or None: then it may be suggested."""
    age = need.child_age
    if need.kind not in c.kinds:
        return Note("match.kind_not_offered", {"kind": need.kind})
    if c.free_places < need.children:
        return Note("match.no_free_place", {"free": max(c.free_places, 0), "needed": need.children})
    if not c.child_age_min <= age <= c.child_age_max:
        return Note("match.age_outside_range", {"age": age, "min": c.child_age_min, "max": c.child_age_max})
    if need.children > 1 and not c.siblings_ok:
        return Note("match.siblings_not_accepted", {})
    if need.needs_available_now and c.available_until is None:
        return Note("match.not_available_now", {})
    return None


def waited_days(c: Candidate, today: date) -> int:
    """Days without an assignment since publication or the last placement ended; 0 while it has one."""
    if c.active_placements > 0 or c.promised > 0:
        return 0
    since = max((d for d in (c.published_on, c.last_ended) if d is not None), default=None)
    return max((today - since).days, 0) if since else 0


def score(need: Need, c: Candidate, today: date) -> Suggestion:
    """The soft criteria the family meets, each with its weight and its reason."""
    reasons: list[tuple[int, Note]] = []
    if need.needs_available_now and c.available_until is not None:
        reasons.append((WEIGHTS["available_now"], Note("match.available_now", {"until": c.available_until})))
    for code in sorted(set(need.languages) & set(c.languages)):
        reasons.append((WEIGHTS["language"], Note("match.language", {"language": code})))
        break  # one shared language is what counts; more do not add up
    if c.area_code == need.municipality:
        reasons.append((WEIGHTS["same_municipality"], Note("match.same_municipality", {})))
    elif county(c.area_code) == county(need.municipality):
        reasons.append((WEIGHTS["same_county"], Note("match.same_county", {})))
    band = age_band(need.child_age)
    if band in c.experience:
        note = {"0-6": Note("match.experience_small", {}), "7-12": Note("match.experience_school", {}),
                "13-17": Note("match.experience_teen", {})}[band]
        reasons.append((WEIGHTS["experience"], note))
    if c.child_age_max - c.child_age_min <= NARROW_RANGE_YEARS:
        reasons.append((WEIGHTS["preference"], Note("match.preference", {"min": c.child_age_min,
                                                                           "max": c.child_age_max})))
    days = waited_days(c, today)
    if days >= WAITING_SHOWN_FROM_DAYS:
        points = min(days // WAITING_DAYS_PER_POINT, WEIGHTS["waiting_max"])
        reasons.append((points, Note("match.waiting", {"days": days})))
    return Suggestion(c.family_id, c.seq, sum(w for w, _ in reasons), [n for _, n in reasons])


def rank(need: Need, candidates: Iterable[Candidate], today: date | None = None,
         limit: int | None = None) -> list[Suggestion]:
    """Families that pass every hard rule, best first; equal scores by catalogue code (oldest first)."""
    today = today or date.today()
    found = [score(need, c, today) for c in candidates if exclusion(need, c) is None]
    found.sort(key=lambda s: (-s.score, s.seq))
    return found[:limit] if limit is not None else found
