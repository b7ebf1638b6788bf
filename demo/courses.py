"""The demo's course register, supervision sessions and one network home (issue 12 section 6)."""

# Loaded after the timeline (demo/loader.py), through the ordinary commands, with dates relative to
# `today`: so it does not depend on how the two years of casework are planned.

from __future__ import annotations

import random
from datetime import date, timedelta
from uuid import UUID

from demo.people import household
from pool.actors import Actor
from pool.application import PoolApplication
from pool.domain.family import Family, FamilyStatus

DEMO = Actor.system("demo")
ACTIVE = (FamilyStatus.APPLIED, FamilyStatus.UNDER_INVESTIGATION, FamilyStatus.APPROVED, FamilyStatus.PUBLISHED,
          FamilyStatus.UNPUBLISHED)
# (course, days ago (negative: ahead), place, how many families attended)
COURSES = [("ett-hem-att-vaxa-i", 240, "Familjepoolens lokaler, Sollentuna", 6),
           ("jourhem-grund", 150, "Kommunhuset, Sigtuna", 3),
           ("ett-hem-att-vaxa-i", 45, "Stadshuset, Solna", 5),
           ("kontaktuppdrag-intro", 20, "Familjepoolens lokaler, Sollentuna", 2),
           ("ett-hem-att-vaxa-i", -30, "Familjepoolens lokaler, Sollentuna", 0)]  # booked, not held yet
SUPERVISION = ["Samtal om vardagen med det placerade barnet och skolstarten.",
               "Genomgång av umgänget med föräldrarna och hur familjen sätter gränser.",
               "Uppföljning: familjen önskar stöd kring läxläsning och fritid."]
NETWORK_NOTE = "Mormor tar emot sitt barnbarn; stöd i kontakten med barnets mamma."


def load_courses(app: PoolApplication, families: dict[int, UUID], today: date) -> None:
    """Courses with attendance lists, supervision with families that have placements, one network home."""
    rng = random.Random(6)
    loaded = [app.load(Family, fid) for _, fid in sorted(families.items())]
    for course, ago, place, attending in COURSES:
        held = today - timedelta(days=ago)
        course_id = app.schedule_course(DEMO, course=course, held_on=held, place=place).id
        # Families still in the pool, who had applied by then (applicants take the basic course too).
        eligible = [f for f in loaded if f.status in ACTIVE and f.applied_on <= held]
        for f in rng.sample(eligible, min(attending, len(eligible))):
            app.record_attendance(DEMO, course_id, family_id=f.id)
    placed = [f for f in loaded if f.active_placements and f.status in ACTIVE[2:]]
    for n, f in enumerate(placed[:3]):
        for k in range(n + 1):
            app.record_supervision(DEMO, f.id, held_on=today - timedelta(days=80 - 30 * k), note=SUPERVISION[k])
    _network_home(app, today, rng)


def _network_home(app: PoolApplication, today: date, rng: random.Random) -> None:
    """A grandmother in Sigtuna approved as a network home for her grandchild and placed with it; never
    in the catalogue. Counted apart in the statistics."""
    house = household(rng, 77, "0191", today.year, single=True)
    fid = app.apply_family(DEMO, kinds=["familjehem"], home_municipality="0191", adults=house["adults"],
                           children_at_home_birth_years=[], contact=house["contact"],
                           preferences={"child_age_min": 6, "child_age_max": 12, "max_children": 1,
                                        "siblings_ok": False, "languages": ["sv"]},
                           applied_on=today - timedelta(days=100), home_type="network").id
    for step in ("police_register", "social_register", "reference_1", "reference_2", "interview", "home_visit"):
        app.record_investigation_step(DEMO, fid, step=step, outcome="clear", note="Utrett som nätverkshem.",
                                      step_done_on=today - timedelta(days=90))
    app.approve_family(DEMO, fid, approved_on=today - timedelta(days=70))
    app.start_placement(DEMO, family_id=fid, municipality="0191", kind="familjehem",
                        start_date=today - timedelta(days=60), planned_end_date=today + timedelta(days=600),
                        child_birth_month=f"{today.year - 9}-03")
    app.record_supervision(DEMO, fid, held_on=today - timedelta(days=30), note=NETWORK_NOTE)
