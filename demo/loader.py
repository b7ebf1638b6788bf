"""The demo data set: six members' fictional casework over two years, loaded through the commands."""

# Everything goes through PoolApplication's ordinary commands (nothing is written around them),
# as the system actor "demo". The people are invented (demo/people.py); the population
# figures are illustrative magnitudes, not SCB's. The content is deterministic (random.Random(SEED),
# dates relative to `today`); only the users' passwords are random, made at load time.

from __future__ import annotations

import random
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from pool.actors import Actor
from pool.application import PoolApplication
from demo.courses import load_courses
from demo.history import MEMBERS, Action, FamilyPlan, History
from demo.people import fiction_phone
from demo.scenario import plan
from pool.domain.family import Family
from pool.domain.interest import Interest, InterestStatus
from pool.errors import ConcurrentUpdateError, InvalidInputError, RuleViolationError
from pool.interests import queue_of

SEED = 2026
DEMO = Actor.system("demo")
# Descriptions are written by demo.konsulent and reviewed by demo.granskare ("granskad av"): two consultants.
AUTHOR, REVIEWER = Actor.system("demo.konsulent"), Actor.system("demo.granskare")
APP_URL = "http://127.0.0.1:8000"
USERS = [("demo.admin", "admin", None), ("demo.styrgrupp", "steering", None),
         ("demo.konsulent", "pool_staff", None), ("demo.granskare", "pool_staff", None),
         ("demo.solna", "municipality", "0184"),
         ("demo.sigtuna", "municipality", "0191")]
BUDGETS = {-1: "7100000.00", 0: "7300000.00", 1: "7550000.00"}  # last year, this year, next year
# Out-of-turn brokering in the demo: the coded reasons the waiting members see ("other" needs text).
OUT_OF_TURN = ["urgent_placement", "siblings", "school_or_network", "child_wishes"]
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l/o/0/1 to misread
# Placed children 0-17 per 1 000 children: the members' own figures of every placed child (not only the
# pool's), about 750 across the six; the pool supplies a small part of those homes.
PLACED_PER_THOUSAND = {"0184": 9.5, "0163": 7.8, "0191": 11.8, "0183": 10.5, "0114": 9.2, "0139": 8.5}


class DemoRefusedError(RuleViolationError):
    """The store already holds events: the demo is only ever loaded into an empty one."""


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    municipality: str | None
    password: str


@dataclass(frozen=True)
class DemoResult:
    users: tuple[DemoUser, ...]
    counts: dict[str, Counter[str]]  # families/referrals/interests by status, placements active/ended
    position: int | None  # notification id of the last event written
    today: date


def store_is_empty(app: PoolApplication) -> bool:
    """One indexed MAX over the notification log, the same question on SQLite and PostgreSQL."""
    return not app.recorder.max_notification_id()


def new_password() -> str:
    """Sixteen characters (80 bits) from `secrets`: we never ship a known demo password."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))


def load_demo(app: PoolApplication, today: date | None = None) -> DemoResult:
    """Load the demo into an empty store; raise DemoRefusedError (writing nothing) otherwise."""
    today = today or date.today()
    if today > date.today():
        raise InvalidInputError("demo.today_in_future", field="today")
    if not store_is_empty(app):
        raise DemoRefusedError("demo.store_not_empty")
    history = plan(random.Random(SEED), today)  # planned in full first: a planning error writes nothing
    _reference_data(app, today)
    users = tuple(_user(app, *spec) for spec in USERS)
    _saved_searches(app, users)  # before the families are published: the timeline brings their notices
    families = _families(app, history, today)
    referrals = {r.key: app.register_referral(
        DEMO, municipality=r.municipality, kind=r.kind, legal_basis=r.legal_basis, decision_date=r.decision_date,
        child_birth_month=r.child_birth_month, needs=r.needs, wishes=r.wishes).id
        for r in sorted(history.referrals, key=lambda r: (r.decision_date, r.key))}
    ids: dict[str, dict[int, UUID]] = {"family": families, "referral": referrals, "interest": {}, "placement": {}}
    for action in history.timeline():
        _run(app, action, ids)
    load_courses(app, families, today)  # courses, supervision, a network home (demo/courses.py)
    _work_lists(app, ids)
    return DemoResult(users=users, counts=_counts(history), position=app.recorder.max_notification_id(), today=today)


def _reference_data(app: PoolApplication, today: date) -> None:
    for n, (code, name, joined, children, growth) in enumerate(MEMBERS):
        try:
            saved = app.put_member(DEMO, code, name=name, joined_on=joined)
        except ConcurrentUpdateError:
            saved = None
        if saved is None and n == 0:
            # Someone registered it between our check and our first write: another load is running.
            raise DemoRefusedError("demo.concurrent_load")
        for year in range(today.year - 2, today.year + 1):
            figure = round(children * (1 + growth) ** (year - today.year + 2))
            app.record_child_population(DEMO, code, year, children=figure,
                                        source=f"Demodata: påhittad siffra i rätt storleksordning, inte SCB ({year}-11-01)")
            placed = round(figure * PLACED_PER_THOUSAND[code] / 1000 * (1 + 0.03 * (year - today.year + 1)))
            app.record_placed_children(DEMO, code, year, children=placed,
                                       source=f"Demodata: påhittat antal placerade barn, kommunens uppgift "
                                              f"({year}-11-01)")
    for offset, amount in BUDGETS.items():
        app.set_budget(DEMO, today.year + offset, amount_sek=Decimal(amount))


# Demo municipality users watch the catalogue (issue 15): what they would be told about, in "Notiser".
SAVED_SEARCHES = {"demo.solna": [{"kind": "familjehem", "child_age": 14}, {"kind": "jourhem"}],
                  "demo.sigtuna": [{"kind": "kontaktfamilj"}]}


def _saved_searches(app: PoolApplication, users: tuple[DemoUser, ...]) -> None:
    for user in users:
        if user.username not in SAVED_SEARCHES:
            continue
        actor = app.authenticate(user.username, user.password)
        assert actor is not None
        for criteria in SAVED_SEARCHES[user.username]:
            app.save_search(actor, criteria=criteria)


# Each consultant's work list (issue 12 §5): kontaktkommuner, and a few families followed beyond them.
CONTACTS = {"demo.konsulent": ["0184", "0163", "0191"], "demo.granskare": ["0183", "0114", "0139"]}
FOLLOWED = {"demo.konsulent": 3, "demo.granskare": 2}  # the first families of the plan, whatever their home


def _work_lists(app: PoolApplication, ids: dict[str, dict[int, UUID]]) -> None:
    families = [ids["family"][k] for k in sorted(ids["family"])]
    start = 0
    for username, municipalities in CONTACTS.items():
        app.set_contact_municipalities(DEMO, username, municipalities=municipalities)
        app.set_followed_families(DEMO, username, family_ids=families[start:start + FOLLOWED[username]])
        start += FOLLOWED[username]


def _user(app: PoolApplication, username: str, role: str, municipality: str | None) -> DemoUser:
    password = new_password()
    app.add_user(DEMO, username, role=role, password=password, municipality=municipality)
    return DemoUser(username, role, municipality, password)


def step_dates(f: FamilyPlan, today: date) -> list[date]:
    """The checklist's business dates: spread up to two days before the approval; without one, a step
    about every eight days after the application (so an applicant of long ago has waited untouched since)."""
    n = len(f.steps)
    end = f.approved_on - timedelta(2) if f.approved_on else min(today - timedelta(1), f.applied_on + timedelta(8 * n))
    span = max((end - f.applied_on).days, 0)
    return [f.applied_on + timedelta(span * (i + 1) // n) for i in range(n)]


def _families(app: PoolApplication, history: History, today: date) -> dict[int, UUID]:
    ids = {}
    for f in history.families:
        fid = app.apply_family(DEMO, kinds=f.kinds, home_municipality=f.home, adults=f.house["adults"],
                               children_at_home_birth_years=f.house["children_at_home_birth_years"],
                               contact=f.house["contact"], preferences=f.prefs, applied_on=f.applied_on).id
        ids[f.key] = fid
        dates = step_dates(f, today)
        for (step, outcome, note), done_on in zip(f.steps, dates):
            app.record_investigation_step(DEMO, fid, step=step, outcome=outcome, note=note, step_done_on=done_on)
        # A rejection or an early withdrawal comes a little after the last step (or the application).
        closed_on = min(today - timedelta(1), max(dates, default=f.applied_on) + timedelta(10 + f.key % 20))
        if f.approved_on:
            app.approve_family(DEMO, fid, approved_on=f.approved_on)
        for course, completed_on in f.training:
            app.record_training(DEMO, fid, course=course, completed_on=completed_on)
        if f.published_on:
            app.set_description(AUTHOR, fid, description=f.description)
            app.review_description(REVIEWER, fid)
            app.publish_family(AUTHOR, fid, published_on=f.published_on)
            if f.key % 9 == 4:  # a record kept current: the family got a new phone number
                app.update_contact(DEMO, fid, contact={**f.house["contact"], "phone": fiction_phone(94 - f.key // 9)})
        if f.status == "rejected":
            app.reject_family(DEMO, fid, reason="Referenserna avrådde från uppdrag.", rejected_on=closed_on)
        if f.target in ("withdrawn:applied", "withdrawn:investigation", "erased"):
            app.withdraw_family(DEMO, fid, reason="Familjen har ändrade livsomständigheter.", withdrawn_on=closed_on)
        if f.status == "erased":
            app.erase_family(DEMO, fid)  # the applicant asked to be forgotten
    return ids


def _run(app: PoolApplication, a: Action, ids: dict[str, dict[int, UUID]]) -> None:
    x: dict[str, Any] = a.args
    family = ids["family"].get(x.get("family", -1))
    referral = ids["referral"].get(x["referral"]) if x.get("referral") is not None else None
    # Every action carries its planned day as the business date (issue 11): the demo's history.
    if a.op == "express":
        ids["interest"][x["interest"]] = _express(app, family, referral, x["municipality"], a.on)
    elif a.op == "broker":
        _broker(app, ids["interest"][x["interest"]], x["interest"], a.on)
    elif a.op == "decline":
        if _pending(app, ids["interest"][x["interest"]]):
            app.decline_interest(DEMO, ids["interest"][x["interest"]], reason=x["reason"], declined_on=a.on)
    elif a.op == "withdraw_interest":
        if _pending(app, ids["interest"][x["interest"]]):
            app.withdraw_interest(DEMO, ids["interest"][x["interest"]], withdrawn_on=a.on)
    elif a.op == "link_not_started":
        if app.load(Interest, ids["interest"][x["interest"]]).status is InterestStatus.BROKERED:
            app.end_link_not_started(DEMO, ids["interest"][x["interest"]], outcome=x["outcome"], ended_on=a.on)
    elif a.op == "propose":
        app.propose_families(DEMO, referral, family_ids=[ids["family"][k] for k in x["families"]], proposed_on=a.on)
    elif a.op == "start":
        ids["placement"][x["placement"]] = app.start_placement(
            DEMO, family_id=family, municipality=x["municipality"], kind=x["kind"], start_date=x["start"],
            planned_end_date=x["planned_end"], child_birth_month=x["birth_month"], referral_id=referral,
            age_override=x.get("override") is not None, age_override_reason=x.get("override") or "").id
    elif a.op == "extend":
        app.extend_placement(DEMO, ids["placement"][x["placement"]], planned_end_date=x["planned_end"],
                             reason=x["reason"])
    elif a.op == "end":
        app.end_placement(DEMO, ids["placement"][x["placement"]], end_date=x["end_date"], reason=x["reason"])
    elif a.op == "close_referral":
        app.close_referral(DEMO, referral, outcome=x["outcome"], note=x["reason"], closed_on=a.on)
    elif a.op == "erase_referral":  # the retention period (default 365 days) has passed
        app.erase_referral(DEMO, referral)
    elif a.op == "withdraw_referral":
        app.withdraw_referral(DEMO, referral, withdrawn_on=a.on)
    elif a.op == "unpublish":
        app.unpublish_family(DEMO, family, unpublished_on=a.on)
    elif a.op == "withdraw_family":
        app.withdraw_family(DEMO, family, reason=x["reason"], withdrawn_on=a.on)
    else:
        raise ValueError(f"unknown demo action {a.op}")


def _express(app: PoolApplication, family: UUID | None, referral: UUID | None, municipality: str, on: date) -> UUID:
    """One open interest per member and family: a second referral for the family joins the open one."""
    assert family is not None
    try:
        return app.express_interest(DEMO, family, referral_id=referral, municipality=municipality,
                                    message="Vi är intresserade av familjen för ett aktuellt ärende.",
                                    interest_on=on).id
    except RuleViolationError as exc:
        if exc.code != "interest.already_open":
            raise
        open_id = UUID(exc.params["interest_id"])
        if referral is not None and referral not in app.load(Interest, open_id).referral_ids:
            app.attach_referral(DEMO, open_id, referral_id=referral)
        return open_id


def _pending(app: PoolApplication, interest_id: UUID) -> bool:
    return app.load(Interest, interest_id).status is InterestStatus.PENDING


def _broker(app: PoolApplication, interest_id: UUID, key: int, on: date) -> None:
    """Broker; before earlier waiting interests with a coded reason, and when the family's places are all
    promised, after the oldest open link ended without a placement (the member declined); when they are
    all taken by placements (a day-of-year quirk of the plan) the interest keeps waiting."""
    if not _pending(app, interest_id):
        return
    interest = app.load(Interest, interest_id)
    queue = queue_of(app, interest.family_id)
    waiting = queue is not None and queue.earlier_than(interest_id)
    code = OUT_OF_TURN[key % len(OUT_OF_TURN)] if waiting else None
    family = app.load(Family, interest.family_id)
    if family.places_left <= 0 and family.open_links:
        app.end_link_not_started(DEMO, next(iter(family.open_links)), outcome="municipality_declined", ended_on=on)
    elif family.places_left <= 0:
        return  # every place taken: the pool cannot broker, the interest waits (resting)
    app.broker_interest(DEMO, interest_id, reason_code=code, brokered_on=on)


def _counts(h: History) -> dict[str, Counter[str]]:
    last = h.today - timedelta(1)
    return {"families": Counter(f.status for f in h.families),
            "referrals": Counter(r.status for r in h.referrals),
            "interests": Counter(h.interests.values()),
            "placements": Counter("active" if end is None or end > last else "ended"
                                  for _, end, _ in h.placements.values())}
