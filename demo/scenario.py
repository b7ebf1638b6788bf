"""What happens in the demo's two years: long placements, every member's referrals, queues, gaps."""

from __future__ import annotations

import random
from datetime import date, timedelta

from demo.history import CODES, FH, JH, KF, KP, KT, History, ReferralPlan
from pool.settings import referral_retention_days

RETENTION_DAYS = referral_retention_days()  # as the loading application will check it
WAIT = {FH: (20, 120), JH: (1, 10), KF: (14, 90), KP: (10, 60), KT: (30, 120)}


def plan(rng: random.Random, today: date) -> History:
    """The whole history, in memory: nothing is written until it has been planned to the end."""
    h = History(rng, today)
    _long_placements(h)
    for code in CODES:
        _member_referrals(h, code)
    _more_placements(h)
    _unmet_demand(h)
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
    h.at(asked + timedelta(rng.randint(1, 3)), "broker", interest=h.interest(asked, rng.choice(families), code, ref, "brokered"))
    ref.status = "matched"
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
