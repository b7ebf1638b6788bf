"""What happens in the demo's two years: long placements, every member's referrals, queues, gaps."""

from __future__ import annotations

import random
from datetime import date, timedelta

from demo.history import CODES, FH, JH, KF, KP, KT, History, ReferralPlan, age_on
from pool.settings import referral_retention_days

RETENTION_DAYS = referral_retention_days()  # as the loading application will check it
WAIT = {FH: (20, 120), JH: (1, 10), KF: (14, 90), KP: (10, 60), KT: (30, 120)}


def plan(rng: random.Random, today: date) -> History:
    """The whole history, in memory: nothing is written until it has been planned to the end."""
    h = History(rng, today)
    _long_placements(h)
    _past_planned_end(h)  # early, while the families still have room
    for code in CODES:
        _member_referrals(h, code)
    _more_placements(h)
    _unmet_demand(h)
    _slow_referrals(h)  # last: the plan above keeps its random draws
    for f in h.families:
        if f.status == "unpublished":
            h.at(f.final_on, "unpublish", family=f.key)
        elif f.target == "withdrawn:published":
            h.at(f.final_on, "withdraw_family", family=f.key, reason="Familjen flyttar från regionen.")
    return h


def days(rng: random.Random, lo_hi: tuple[int, int]) -> timedelta:
    return timedelta(rng.randint(*lo_hi))


def _long_placements(h: History) -> None:
    """Family homes active on 1 November of the two years before, so every allocation counts some."""
    rng = h.rng
    for reference in (date(h.today.year - 2, 11, 1), date(h.today.year - 1, 11, 1)):
        for n in range(3):
            start = reference - timedelta(rng.randint(30, 250))
            ref = h.referral(h.member(), FH, start - timedelta(rng.randint(20, 90)), age=rng.choice([2, 5, 8, 11]))
            ended = reference + timedelta(rng.randint(30, 200))
            end = (ended, "planned") if n == 2 and ended < h.today - timedelta(2) else (None, None)
            h.place(ref, ref.municipality, FH, start, ref.child_birth_month, end, route=rng.choice(["interest", "proposal"]))


def _member_referrals(h: History, code: str) -> None:
    """Every member has referrals in every status: placed, matched, open, withdrawn, closed."""
    rng = h.rng
    for _ in range(6):  # placed: retry with another need if no family had room
        kind = rng.choice([KF, FH, KP, JH, KT])
        ref = h.referral(code, kind, h.ago(330, 60))
        start = ref.decision_date + days(rng, WAIT[kind])
        if h.place(ref, code, kind, start, ref.child_birth_month, route="interest" if kind != JH else "direct") is not None:
            break
        h.referrals.pop()  # nothing refers to it yet: this member's need is tried again with another kind
    old = code == CODES[2]  # one member's match is older than three months: not executed yet
    decided = h.ago(200, 120) if old else h.ago(70, 15)
    asked = decided + timedelta(rng.randint(2, 8))
    kinds = [k for k in rng.sample([KF, FH, KP, JH], 4) if h.catalogue(k, asked, lasting=True)]
    ref = h.referral(code, kinds[0], decided)
    families = h.catalogue(ref.kind, asked, lasting=True)
    brokered = asked + timedelta(rng.randint(1, 3))
    # A brokered link holds one of the family's places until it has an outcome (issue 12).
    free = [f for f in families if f.can_host(ref.kind, age_on(ref.child_birth_month, asked), asked, None)]
    family = rng.choice(free or families)
    key = h.interest(asked, family, code, ref, "brokered")
    h.at(brokered, "broker", interest=key)
    ref.status = "matched"
    if code in CODES[3:5]:  # a link that ended without a placement: the contact details closed again
        h.interests[key] = "not_started"
        h.at(brokered + timedelta(7), "link_not_started", interest=key,
             outcome="family_declined" if code == CODES[3] else "child_or_guardian_declined")
        family.busy.append((brokered, brokered + timedelta(7)))
    else:
        family.busy.append((brokered, None))
    _open_referral(h, code, rng.choice([KF, FH, KP, KT]), h.ago(80, 5))
    ref = h.referral(code, rng.choice([KF, FH, KP, JH]), h.ago(600, 60))
    withdrawn = ref.decision_date + timedelta(rng.randint(20, 90))
    families = h.catalogue(ref.kind, ref.decision_date + timedelta(5))
    if families and rng.random() < 0.6:
        interest = h.interest(ref.decision_date + timedelta(5), rng.choice(families), code, ref, "withdrawn")
        h.at(withdrawn, "withdraw_interest", interest=interest)
    h.at(withdrawn, "withdraw_referral", referral=ref.key)
    ref.status = "withdrawn"
    ref = h.referral(code, rng.choice([KF, KP, FH]), h.ago(600, 120))
    closed = ref.decision_date + timedelta(rng.randint(30, 100))
    h.at(closed, "close_referral", referral=ref.key, outcome="placed_elsewhere",
         reason="Behovet tillgodosågs på annat sätt.")
    ref.status = "closed"
    if closed + timedelta(RETENTION_DAYS) < h.today - timedelta(1):  # kept a year, then the child data erased
        h.at(closed + timedelta(RETENTION_DAYS), "erase_referral", referral=ref.key)


def _open_referral(h: History, code: str, kind: str, decided: date) -> ReferralPlan:
    """A recent need: the pool proposes families, or the member has already queued for one."""
    rng, ref = h.rng, h.referral(code, kind, decided)
    families = h.catalogue(kind, h.today - timedelta(1), lasting=True)
    if families and rng.random() < 0.5:
        chosen = rng.sample(families, min(2, len(families)))
        h.at(decided + timedelta(rng.randint(2, 6)), "propose", referral=ref.key, families=[f.key for f in chosen])
    elif families:
        h.interest(decided + timedelta(rng.randint(1, 4)), rng.choice(families), code, ref)
    return ref


def _more_placements(h: History) -> None:
    """Two years of placements from referrals (some closed afterwards) and direct emergency ones."""
    rng = h.rng
    for _ in range(26):
        kind = rng.choices([FH, JH, KF, KP, KT], [4, 3, 4, 2, 2])[0]
        ref = h.referral(h.member(), kind, h.ago(700, 40))
        start = ref.decision_date + days(rng, WAIT[kind])
        route = "direct" if kind == JH else rng.choice(["interest", "interest", "proposal", "direct"])
        key = h.place(ref, ref.municipality, kind, start, ref.child_birth_month, route=route)
        ended = h.placements[key][1] if key is not None else None
        if ended is not None and rng.random() < 0.75:
            h.at(ended + timedelta(rng.randint(5, 30)), "close_referral", referral=ref.key,
                 outcome="placed_through_pool", reason="Placeringen har avslutats.")
            ref.status = "closed"
    for kind in [JH] * 6 + [FH, KF]:  # emergency and arranged placements without a referral
        start = h.ago(700, 10)
        h.place(None, h.member(), kind, start, h.birth_month(h.child_age(kind), start))


def _past_planned_end(h: History) -> None:
    """Placements past their planned end: two left overdue (Förfallen), one extended in time; and a
    teenager placed with a younger sibling outside the family's age range (an override with a reason)."""
    rng, today = h.rng, h.today
    for kind in (KF, KP):
        start = today - timedelta(rng.randint(250, 330))
        h.place(None, h.member(), kind, start, h.birth_month(h.child_age(kind), start), (None, None),
                planned=today - timedelta(rng.randint(10, 60)))
    ref = h.referral(h.member(), FH, today - timedelta(rng.randint(420, 480)), age=7)
    start = ref.decision_date + timedelta(rng.randint(20, 40))
    planned = today - timedelta(rng.randint(5, 25))
    key = h.place(ref, ref.municipality, FH, start, ref.child_birth_month, (None, None), planned=planned)
    if key is not None:
        h.at(planned - timedelta(rng.randint(10, 30)), "extend", placement=key, planned_end=planned + timedelta(365),
             reason="Nytt beslut om fortsatt vård i familjehemmet.")
    ref = h.referral(h.member(), FH, today - timedelta(rng.randint(90, 150)), age=15)
    h.place(ref, ref.municipality, FH, ref.decision_date + timedelta(rng.randint(10, 30)), ref.child_birth_month,
            (None, None), override="Placeras tillsammans med sitt yngre syskon som redan bor i familjen.")


def _slow_referrals(h: History) -> None:
    """Decisions not executed within three months, spread over the two years: each quarter's report
    (SoL and LSS) has rows. Each waits past a quarter's end, then the need is met elsewhere or withdrawn."""
    rng, today = h.rng, h.today
    ends = [date(today.year - 2 + (today.month + 3 * n - 1) // 12, (today.month + 3 * n - 1) % 12 + 1, 1)
            for n in range(8)]
    for n, first_of_month in enumerate(ends):
        decided = first_of_month - timedelta(rng.randint(110, 170))
        ended = first_of_month + timedelta(rng.randint(20, 75))
        if ended >= today - timedelta(1):
            continue  # still waiting: the current report shows it as it stands
        ref = h.referral(h.member(), rng.choice([KF, KT, KP]), decided)
        if n % 2:
            h.at(ended, "close_referral", referral=ref.key, outcome="placed_elsewhere",
                 reason="Barnet placerades i ett konsulentstött familjehem.")
            ref.status = "closed"
        else:
            h.at(ended, "withdraw_referral", referral=ref.key)
            ref.status = "withdrawn"


def _unmet_demand(h: History) -> None:
    """The seeds' lesson: teenagers wait. Old unplaced referrals queue for the one teen family."""
    rng = h.rng
    teen_family = h.families[3]
    for code in rng.sample(CODES, 3):
        ref = h.referral(code, FH, h.ago(420, 100), age=rng.randint(13, 16))
        h.interest(h.ago(30, 3), teen_family, code, ref)
    ref = h.referral(h.member(), KT, h.ago(300, 100))
    listed = h.catalogue(KT, ref.decision_date + timedelta(5))
    if listed:
        h.at(ref.decision_date + timedelta(5), "propose", referral=ref.key, families=[listed[0].key])
    ref = h.referral(h.member(), KP, h.ago(250, 100))
    listed = h.catalogue(KP, ref.decision_date + timedelta(5))
    if listed:
        interest = h.interest(ref.decision_date + timedelta(5), listed[0], ref.municipality, ref, "declined")
        h.at(ref.decision_date + timedelta(12), "decline", interest=interest,
             reason="Familjen bedömdes inte motsvara barnets behov.")
    code = h.member()
    listed = h.catalogue(KF, h.today - timedelta(1), lasting=True)
    h.interest(h.ago(20, 2), rng.choice(listed), code, None)
    on = h.ago(90, 30)
    withdrawn = h.interest(on, rng.choice(h.catalogue(KF, on)), h.member(), None, "withdrawn")
    h.at(on + timedelta(rng.randint(5, 20)), "withdraw_interest", interest=withdrawn)
    _queue_examples(h)


def _queue_examples(h: History) -> None:
    """The queue's states (issue 12): brokered out of turn (the member passed over sees the reason's
    category) and interests resting while their family is unpublished."""
    rng = h.rng
    on = h.ago(40, 30)
    # A child whose age suits the family (its range's middle), in a family with a place free then and after.
    hosts = []
    for kind in (KF, FH, JH, KP):
        hosts += [(f, kind, (f.prefs["child_age_min"] + f.prefs["child_age_max"]) // 2)
                  for f in h.catalogue(kind, on, lasting=True)]
    hosts = [(f, kind, age) for f, kind, age in hosts if f.can_host(kind, age, on, None)]
    if hosts:
        family, kind, age = hosts[0] if len(hosts) == 1 else rng.choice(hosts)
        first, second = rng.sample(CODES, 2)
        h.interest(on, family, first, h.referral(first, kind, on - timedelta(10), age=age))
        # A second child of the same member for the same family: attached to its open interest.
        h.interest(on + timedelta(1), family, first, h.referral(first, kind, on - timedelta(9), age=age))
        late = h.interest(on + timedelta(3), family, second, h.referral(second, kind, on - timedelta(5), age=age),
                          "brokered")
        h.at(on + timedelta(6), "broker", interest=late)  # out of turn: the loader gives the coded reason
        family.busy.append((on + timedelta(6), None))
    for family in [f for f in h.families if f.status == "unpublished" and f.published_on]:
        queued = max(family.published_on + timedelta(1), family.final_on - timedelta(20))
        if queued < family.final_on:
            h.interest(queued, family, rng.choice(CODES), None)  # resting once the family is unpublished
