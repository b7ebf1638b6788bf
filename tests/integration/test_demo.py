"""The demo data set on both backends: every state in the read models, users sign in, refusals."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import cli
from pool.application import PoolApplication
from pool.bootstrap import bootstrap, close
from demo.loader import USERS, DemoRefusedError, load_demo
from demo.history import CODES
from pool.sealing import MasterKey
from projections.bootstrap import start_embedded
from projections.contract import CatalogueFilter, StatisticsPeriod
from tests.conftest import SYSTEM

KINDS = {"familjehem", "jourhem", "kontaktfamilj", "kontaktperson", "korttidsfamilj"}
FAMILY_STATES = {"applied", "under_investigation", "approved", "rejected", "published", "unpublished",
                 "withdrawn", "erased"}
REFERRAL_STATES = {"open", "matched", "placed", "withdrawn", "closed"}


def everything(query: Callable[..., Any], **kwargs: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = query(**kwargs, limit=100, offset=len(items))
        items += page.items
        if not page.items or len(items) >= page.total:
            return items


def active_on(placement: dict[str, Any], day: str) -> bool:
    return placement["start_date"] <= day and (placement["end_date"] is None or placement["end_date"] > day)


def test_demo_fills_every_read_model_and_its_users_sign_in(app: PoolApplication, database_url: str) -> None:
    started = time.perf_counter()
    result = load_demo(app)
    print(f"\ndemo load on {database_url.split(':')[0]}: {time.perf_counter() - started:.2f} s, "
          f"{result.position} events")
    today = result.today
    rm = start_embedded(app)
    try:
        assert rm.wait_for(result.position, timeout=60)
        families = everything(rm.register)
        assert {f["status"] for f in families} == FAMILY_STATES
        assert {k for f in families for k in f["kinds"]} == KINDS
        assert 30 <= len(families) <= 40
        catalogue = everything(rm.catalogue, f=CatalogueFilter())
        assert {k for item in catalogue for k in item["kinds"]} == KINDS
        assert all(item["description"] for item in catalogue)

        referrals = everything(rm.referrals, municipality=None)
        statuses: dict[str, set[str]] = {}
        for r in referrals:
            statuses.setdefault(r["municipality"], set()).add(r["status"])
        assert statuses == {code: REFERRAL_STATES for code in CODES}
        assert any(r["status"] in ("open", "matched") and r["days_since_decision"] > 92 for r in referrals)
        solna = everything(rm.referrals, municipality="0184")
        assert solna and {r["municipality"] for r in solna} == {"0184"}

        interests = everything(rm.interests, municipality=None)
        assert {i["status"] for i in interests} == {"pending", "brokered", "declined", "withdrawn", "placed",
                                                    "not_started"}
        # The queue (issue 12): out-of-turn brokering with a coded reason, seen by those passed over,
        # links that ended without a placement, resting interests and a referral attached to an open one.
        assert any(i["broker_reason_code"] for i in interests) and any(i["passed_by"] for i in interests)
        assert {i["link_outcome"] for i in interests} >= {"placement_started", "family_declined"}
        assert any(i["resting"] for i in interests)
        assert any(len(i["referral_ids"]) > 1 for i in interests)

        placements = everything(rm.placements, municipality=None)
        assert {today.year - 1, today.year} <= {int(p["start_date"][:4]) for p in placements}
        assert {"planned", "breakdown", "moved_home"} <= {p["end_reason"] for p in placements if p["end_reason"]}
        assert any(p["active"] for p in placements)
        # Past the planned end: overdue ones (still active), an extended one, and an age override.
        assert len([p for p in placements if p["overdue"] and p["active"]]) >= 2
        assert any(p["age_override"] for p in placements)
        assert any(e.topic.endswith("Placement.Extended") for e in app.recorder.select_notifications(start=1, limit=100000))
        for budget_year in (today.year - 1, today.year, today.year + 1):
            reference = f"{budget_year - 1}-11-01"
            if reference < today.isoformat():  # next year's reference may still lie ahead
                assert any(p["kind"] in ("familjehem", "jourhem") and active_on(p, reference) for p in placements), \
                    budget_year
            allocation = rm.allocation(budget_year)
            assert allocation.total_sek == allocation.budget_sek and len(allocation.members) == 6
        this_year = rm.allocation(today.year)
        assert not this_year.placement_key_fallback
        # Every member reports all its placed children: hundreds in total, the pool's share a small part.
        assert 500 <= sum(m.placed_children for m in this_year.members) <= 1000
        assert all(m.placed_children >= 50 for m in this_year.members)
        assert sum(m.pool_placements for m in this_year.members) < sum(m.placed_children for m in this_year.members) / 3
        assert sum(m.children_part_sek for m in this_year.members) == this_year.budget_sek / 2
        assert rm.non_executed(today.year, (today.month - 1) // 3 + 1, None)["items"]
        funnel = rm.statistics(StatisticsPeriod(today - timedelta(days=730), today))["funnel"]
        assert all(step["count"] > 0 for step in funnel), funnel
        # Each consultant's work list: kontaktkommuner and followed families, four kinds of items or more.
        konsulent = str(app.user("demo.konsulent").id)
        work = rm.worklist(konsulent, "mine", today)
        assert work["scope"] == "mine" and len(work["assigned"]["family_ids"]) == 3
        print("demo work list:", work["counts"])
        assert len({i["kind"] for i in work["items"]}) >= 4, work["counts"]
        assert len(rm.worklist(konsulent, "all", today)["items"]) > len(work["items"])
        # Issue 12 section 6: courses with attendance (and one booked ahead), supervision, a network home.
        courses = everything(rm.courses)
        assert len(courses) == 5 and any(c["attendees"] == 0 for c in courses)
        assert {c["course"] for c in courses if c["attendees"]} >= {"ett-hem-att-vaxa-i", "jourhem-grund"}
        assert any(f["home_type"] == "network" and f["active_placements"] for f in families)
        assert not any(item["family_id"] in {f["family_id"] for f in families if f["home_type"] == "network"}
                       for item in catalogue)
        supervised = [e for e in app.recorder.select_notifications(start=1, limit=100000)
                      if e.topic.endswith("Family.SupervisionRecorded")]
        assert len(supervised) >= 4
        stats = rm.statistics(StatisticsPeriod(today - timedelta(days=365), today))
        assert {r["home_type"]: r["placements_active"] > 0 for r in stats["home_types"]} == {
            "network": True, "recruited": True}
        assert stats["pool_share_by_year"]
    finally:
        rm.close()

    for code in CODES:
        assert set(app.member(code).child_population) == {today.year - 2, today.year - 1, today.year}
        assert set(app.member(code).placed_children) == {today.year - 2, today.year - 1, today.year}
    for year in (today.year - 1, today.year, today.year + 1):
        assert app.budget(year).amount_sek > 0
    assert [(u.username, u.role, u.municipality) for u in result.users] == USERS
    assert len({u.municipality for u in result.users if u.role == "municipality"}) >= 2
    for user in result.users:
        actor = app.authenticate(user.username, user.password)
        assert actor is not None and (actor.role.value, actor.municipality) == (user.role, user.municipality)
    assert app.authenticate("demo.admin", result.users[1].password) is None


def test_demo_refuses_a_database_with_data_and_writes_nothing(app: PoolApplication) -> None:
    app.put_member(SYSTEM, "0184", name="Solna", joined_on="2020-01-01")
    before = app.recorder.max_notification_id()
    with pytest.raises(DemoRefusedError):
        load_demo(app)
    assert app.recorder.max_notification_id() == before


def test_demo_loads_on_other_days_of_the_year(fresh_sqlite_url: str, master_key: MasterKey) -> None:
    """Dates are relative to `today`; an earlier day (a new year's day) must load as cleanly."""
    app = bootstrap(fresh_sqlite_url, master_key)
    try:
        result = load_demo(app, today=date(date.today().year, 1, 1))
        assert set(result.counts["families"]) == FAMILY_STATES
        assert set(result.counts["referrals"]) == REFERRAL_STATES
    finally:
        close(app)


def test_cli_demo_load_prints_users_and_never_loads_twice(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMILJEPOOL_DATABASE_URL", database_url)
    monkeypatch.setenv("FAMILJEPOOL_MASTER_KEY", MasterKey.generate_base64())
    runner = CliRunner()
    r = runner.invoke(cli, ["demo", "load", "--if-empty"])
    assert r.exit_code == 0, r.output
    assert "http://127.0.0.1:8000" in r.output
    passwords = dict(re.findall(r"^\s+(demo\.[a-z.]+)\s.*\s(\S{4}-\S{4}-\S{4}-\S{4})$", r.output, re.M))
    assert set(passwords) == {u[0] for u in USERS}
    app = bootstrap()
    try:
        head = app.recorder.max_notification_id()
        assert app.authenticate("demo.konsulent", passwords["demo.konsulent"]) is not None
    finally:
        close(app)

    r = runner.invoke(cli, ["demo", "load", "--if-empty"])
    assert r.exit_code == 0 and "already has data" in r.output
    r = runner.invoke(cli, ["demo", "load"])
    assert r.exit_code == 1 and "already has data" in r.output
    app = bootstrap()
    try:
        assert app.recorder.max_notification_id() == head
    finally:
        close(app)


def test_two_loads_at_once_give_one_demo(database_url: str, master_key: MasterKey) -> None:
    """Both may pass the emptiness check; the first member's write decides, the loser writes nothing."""
    apps = [bootstrap(database_url, master_key) for _ in range(2)]
    outcomes: list[object] = []

    def run(app: PoolApplication) -> None:
        try:
            outcomes.append(load_demo(app))
        except DemoRefusedError as e:
            outcomes.append(e)

    try:
        threads = [threading.Thread(target=run, args=(a,)) for a in apps]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert sorted(type(o).__name__ for o in outcomes) == ["DemoRefusedError", "DemoResult"]
        rm = start_embedded(apps[0])
        try:
            assert rm.wait_for(apps[0].recorder.max_notification_id(), timeout=60)
            assert len(everything(rm.register)) == 37  # 36 planned families and the network home
            assert len(everything(rm.referrals, municipality=None)) == sum(
                sum(o.counts["referrals"].values()) for o in outcomes if not isinstance(o, Exception))
        finally:
            rm.close()
    finally:
        for a in apps:
            close(a)


def test_the_demo_history_carries_business_dates_over_two_years(app: PoolApplication) -> None:
    """Issue 11 §6: the loaded history is dated in the world's time, not the load's: real waiting times,
    untouched applicants, believable funnel durations, a non-executed report in most quarters."""
    result = load_demo(app)
    today = result.today
    rm = start_embedded(app)
    try:
        assert rm.wait_for(result.position, timeout=60)
        families = everything(rm.register)
        waiting = [f for f in families if f["status"] in ("applied", "under_investigation")]
        assert len([f for f in waiting if (f["days_since_last_action"] or 0) > 30]) >= 2
        assert any((f["days_since_last_action"] or 0) < 30 for f in waiting)  # and some are being worked on

        funnel = {s["step"]: s for s in rm.statistics(StatisticsPeriod(today - timedelta(days=1500), today))["funnel"]}
        assert 20 <= funnel["approved"]["median_days"] <= 150  # application to approval: weeks, not zero
        assert 0 < funnel["published"]["median_days"] < 60  # approval to publication
        assert funnel["first_placement"]["median_days"] > 0  # publication to the first placement

        current = today.year * 4 + (today.month - 1) // 3  # the eight quarters of the two years, this one last
        quarters = [(n // 4, n % 4 + 1) for n in range(current - 7, current + 1)]
        with_rows = [yq for yq in quarters if rm.non_executed(*yq, None)["items"]]
        assert len(with_rows) >= 6, with_rows

        interests = everything(rm.interests, municipality=None)
        expressed = {i["expressed_at"][:10] for i in interests}
        assert today.isoformat() not in expressed and len(expressed) > len(interests) // 2
        assert min(expressed) < (today - timedelta(days=365)).isoformat()
    finally:
        rm.close()
