"""The steering read model on both backends: members, users, the cost allocation from events, the IVO report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


from pool.codes import referral_code
from pool.allocation import MemberInput, MissingPlacedChildrenError, MissingPopulationError, allocate
from pool.application import PoolApplication
from pool.errors import InvalidInputError, NotFoundError, RuleViolationError
from projections.bootstrap import ReadModelsImpl, start_embedded
from projections.runtime import rebuild
from tests.conftest import SIGTUNA, SOLNA, STAFF, SYSTEM
from tests.factories import MEMBERS, add_members, approved_family, referral_data, reviewed_description
from tests.coded import raises

POPULATION_2025 = {"0114": 9127, "0139": 6418, "0163": 17230, "0183": 9843, "0184": 17012, "0191": 10577}
# Every child each member had placed outside the home on 1 November 2025, as the members report them.
PLACED_2025 = {"0114": 96, "0139": 58, "0163": 141, "0183": 104, "0184": 187, "0191": 112}


def settle(app: PoolApplication, rm: ReadModelsImpl) -> None:
    assert rm.wait_for(app.recorder.max_notification_id(), timeout=10)


def place(app: PoolApplication, family, municipality: str, start: str, born: str, kind: str = "familjehem",
          end: str | None = None, reason: str = "planned", referral_id=None):
    placement_id = app.start_placement(STAFF, family_id=family, municipality=municipality, kind=kind,
                                       start_date=start, planned_end_date="2028-12-31", child_birth_month=born,
                                       referral_id=referral_id).id
    if end:
        app.end_placement(STAFF, placement_id, end_date=end, reason=reason)
    return placement_id


def allocation_history(app: PoolApplication) -> dict[str, object]:
    """Six members (one joining mid-2026), figures for 2025, a 2026 budget, placements around 1 Nov 2025."""
    add_members(app)
    app.put_member(SYSTEM, "0139", name="Upplands-Bro", joined_on="2026-07-01")
    for code, children in POPULATION_2025.items():
        app.record_child_population(SYSTEM, code, 2025, children=children, source="SCB 2025 (test)")
        app.record_placed_children(SYSTEM, code, 2025, children=PLACED_2025[code], source="IFO (test)")
    app.set_budget(SYSTEM, 2026, amount_sek="7300000.00")
    family = approved_family(app, preferences={"child_age_min": 0, "child_age_max": 17, "max_children": 4,
                                               "siblings_ok": True, "languages": ["sv"]})
    ids = {
        "counted_open": place(app, family, "0184", "2025-03-01", "2012-05"),
        "ends_on_reference_day": place(app, family, "0184", "2025-10-01", "2015-02", kind="jourhem",
                                       end="2025-11-01"),
        "ended_before": place(app, family, "0191", "2025-06-01", "2013-01", end="2025-10-31"),
        "eighteen_before": place(app, family, "0191", "2025-01-01", "2007-10"),
        "eighteen_on_the_day": place(app, family, "0183", "2025-01-01", "2007-11"),
        "starts_after": place(app, family, "0163", "2025-11-02", "2016-08"),
    }
    return {"family": family, **ids}


def test_allocation_uses_the_members_figures_and_shows_the_pools_placements_on_the_reference_date(
        app: PoolApplication, read_models: ReadModelsImpl) -> None:
    ids = allocation_history(app)
    app.record_placed_children(SYSTEM, "0114", 2025, children=99, source="IFO, corrected")  # the latest wins
    settle(app, read_models)
    result = read_models.allocation(2026)
    rows = {m.municipality: m for m in result.members}
    assert set(rows) == set(MEMBERS)
    assert {c: m.placed_children for c, m in rows.items()} == {**PLACED_2025, "0114": 99}
    solna = rows["0184"]
    assert solna.pool_placements == 2  # the pool's own count, a check only
    assert set(solna.pool_placement_ids) == {str(ids["counted_open"]), str(ids["ends_on_reference_day"])}
    assert abs(solna.pool_share - Decimal(2) / 187) < Decimal("1e-19")
    assert rows["0191"].pool_placements == 0  # one ended the day before, one child was 18 already
    assert rows["0183"].pool_placements == 0  # turns 18 on 1 November (birthdays taken on the 1st)
    assert rows["0163"].pool_placements == 0  # starts the day after
    assert rows["0139"].membership_days == 184  # 1 July - 31 December 2026
    assert rows["0184"].children == POPULATION_2025["0184"]
    expected = allocate(2026, Decimal("7300000.00"), [
        MemberInput(code, MEMBERS[code], POPULATION_2025[code], {**PLACED_2025, "0114": 99}[code],
                    tuple(sorted(rows[code].pool_placement_ids)), 184 if code == "0139" else None)
        for code in MEMBERS])
    assert [(m.municipality, m.amount_sek, m.share, m.children_part_sek) for m in result.members] == \
        [(m.municipality, m.amount_sek, m.share, m.children_part_sek) for m in expected.members]
    # The pool's placements do not move the amounts: the same inputs without them give the same figures.
    blind = allocate(2026, Decimal("7300000.00"), [MemberInput(m.municipality, m.name, m.children, m.placed_children,
                                                               (), m.membership_days) for m in result.members])
    assert [m.amount_sek for m in blind.members] == [m.amount_sek for m in result.members]
    assert result.total_sek == Decimal("7300000.00") and result.reference_date == date(2025, 11, 1)
    assert sum(m.children_part_sek for m in result.members) == Decimal("3650000.00")
    assert sum(m.placements_part_sek for m in result.members) == Decimal("3650000.00")


def test_last_years_allocation_does_not_change_when_this_years_events_arrive(
        app: PoolApplication, database_url: str) -> None:
    read_models = start_embedded(app)
    ids = allocation_history(app)
    settle(app, read_models)
    before = read_models.allocation(2026)
    # This year's events: placements start and end, new figures and budgets, a member leaves.
    app.end_placement(STAFF, ids["counted_open"], end_date="2026-02-01", reason="breakdown")
    family = approved_family(app, preferences={"child_age_min": 0, "child_age_max": 17, "max_children": 3,
                                               "siblings_ok": False, "languages": []})
    place(app, family, "0184", "2026-01-15", "2019-03")
    place(app, family, "0191", "2026-11-01", "2011-07")
    for code, children in POPULATION_2025.items():
        app.record_child_population(SYSTEM, code, 2026, children=children + 100, source="SCB 2026 (test)")
        app.record_placed_children(SYSTEM, code, 2026, children=PLACED_2025[code] + 5, source="IFO 2026 (test)")
    app.set_budget(SYSTEM, 2027, amount_sek="7600000.00")
    app.member_leaves(SYSTEM, "0183", left_on="2027-03-31")
    settle(app, read_models)
    assert read_models.allocation(2026) == before
    read_models.close()
    # ... and a rebuild from the event store answers the same.
    rebuild(database_url, "steering", batch_size=3)
    rebuilt = ReadModelsImpl(database_url)
    try:
        assert rebuilt.allocation(2026) == before
        after = rebuilt.allocation(2027)
        assert {m.municipality: m.pool_placements for m in after.members}["0191"] == 1
        assert {m.municipality: m.placed_children for m in after.members}["0191"] == PLACED_2025["0191"] + 5
        assert {m.municipality: m.membership_days for m in after.members}["0183"] == 90
    finally:
        rebuilt.close()


def test_allocation_refuses_without_budget_population_or_placed_children_and_falls_back_when_all_report_0(
        app: PoolApplication, read_models: ReadModelsImpl) -> None:
    add_members(app)
    settle(app, read_models)
    with raises(NotFoundError, "budget.not_set", match="no budget is set for 2026"):
        read_models.allocation(2026)
    app.set_budget(SYSTEM, 2026, amount_sek="1000000.00")
    for code, children in POPULATION_2025.items():
        if code != "0191":
            app.record_child_population(SYSTEM, code, 2025, children=children)
    settle(app, read_models)
    with raises(MissingPopulationError, "allocation.missing_population", match="0191 Sigtuna") as e:
        read_models.allocation(2026)
    assert e.value.municipalities == ("0191",)
    app.record_child_population(SYSTEM, "0191", 2025, children=POPULATION_2025["0191"])
    family = approved_family(app)
    place(app, family, "0184", "2025-03-01", "2012-05")  # the pool's own count never stands in
    for code in POPULATION_2025:
        if code not in ("0184", "0163"):
            app.record_placed_children(SYSTEM, code, 2025, children=0)
    app.record_placed_children(SYSTEM, "0184", 2026, children=40)  # another year's figure does not count
    settle(app, read_models)
    with raises(MissingPlacedChildrenError, "allocation.missing_placed_children", match="0163 Sollentuna") as e:
        read_models.allocation(2026)
    assert e.value.municipalities == ("0163", "0184")
    for code in ("0163", "0184"):
        app.record_placed_children(SYSTEM, code, 2025, children=0)
    settle(app, read_models)
    result = read_models.allocation(2026)
    assert result.placement_key_fallback and sum(m.amount_sek for m in result.members) == Decimal("1000000.00")
    assert all(m.share == m.children_share for m in result.members)


def test_members_users_and_budgets(app: PoolApplication, read_models: ReadModelsImpl) -> None:
    add_members(app)
    app.record_child_population(SYSTEM, "0184", 2025, children=17012, source="SCB")
    app.record_placed_children(SYSTEM, "0184", 2025, children=40, source="IFO")
    app.record_placed_children(SYSTEM, "0191", 2025, children=5)
    app.record_placed_children(SYSTEM, "0191", 2025, children=7, source="rättad")  # the latest wins
    app.member_leaves(SYSTEM, "0114", left_on="2026-12-31")
    app.set_budget(SYSTEM, 2026, amount_sek="7300000.00")
    app.set_budget(SYSTEM, 2026, amount_sek="7350000.50")
    app.add_user(SYSTEM, "kim.kommun", role="municipality", municipality="0184", password="ett långt lösenord")
    app.add_user(SYSTEM, "alva.admin", role="admin", password="ett annat långt lösenord")
    app.disable_user(SYSTEM, "kim.kommun")
    settle(app, read_models)
    members = {m["municipality"]: m for m in read_models.members()}
    assert list(members) == sorted(MEMBERS)
    assert members["0184"]["child_population"] == {2025: {"children": 17012, "source": "SCB"}}
    assert members["0184"]["placed_children"] == {2025: {"children": 40, "source": "IFO"}}
    assert members["0191"]["placed_children"] == {2025: {"children": 7, "source": "rättad"}}
    assert members["0163"]["placed_children"] == {}
    assert members["0114"]["left_on"] == "2026-12-31" and members["0184"]["joined_on"] == "2020-01-01"
    assert read_models.budgets() == [{"year": 2026, "amount_sek": Decimal("7350000.50")}]
    users = read_models.users()
    assert users.total == 2
    assert [(u["username"], u["role"], u["municipality"], u["disabled"]) for u in users.items] == [
        ("alva.admin", "admin", None, False), ("kim.kommun", "municipality", "0184", True)]
    assert not any("hash" in key or "password" in key for u in users.items for key in u)


def test_non_executed_report_lists_sol_and_lss_decisions_lvu_apart_and_the_follow_up(
        app: PoolApplication, read_models: ReadModelsImpl) -> None:
    add_members(app)
    family = approved_family(app, kinds=["familjehem", "jourhem", "kontaktfamilj"],
                             preferences={"child_age_min": 0, "child_age_max": 17, "max_children": 4,
                                          "siblings_ok": True, "languages": []})
    withdrawn = app.register_referral(SOLNA, **referral_data(decision_date="2026-01-10")).id
    lvu = app.register_referral(SOLNA, **referral_data(decision_date="2026-02-02", legal_basis="LVU")).id
    app.register_referral(SOLNA, **referral_data(decision_date="2026-03-30", legal_basis="LVU"))  # exactly 3 months
    jourhem = app.register_referral(SOLNA, **referral_data(decision_date="2026-02-11", kind="jourhem")).id
    lss = app.register_referral(SOLNA, **referral_data(decision_date="2026-03-01", kind="kontaktfamilj",
                                                       legal_basis="LSS")).id
    late = app.register_referral(SIGTUNA, **referral_data(decision_date="2025-11-01")).id
    in_time = app.register_referral(SIGTUNA, **referral_data(decision_date="2026-03-10")).id
    place(app, family, "0191", "2026-05-01", "2016-05", referral_id=late)  # reported at Q1's end, executed in Q2
    place(app, family, "0191", "2026-04-20", "2016-05", referral_id=in_time)  # within three months: never reported
    app.state_non_execution_reason(SOLNA, jourhem, reason="no_suitable_family")
    app.state_non_execution_reason(SOLNA, lss, reason="person_declined")
    app.withdraw_referral(SOLNA, withdrawn)  # withdrawn today, so after the end of Q2 2026
    settle(app, read_models)

    def codes(rows):
        return [(r["referral_id"], r["legal_basis"], r["days_waited"], r["reason"]) for r in rows]

    q1 = read_models.non_executed(2026, 1, None)
    # 31 March: three months back is 31 December; only Sigtuna's November decision is old enough.
    assert codes(q1["items"]) == [(str(late), "SoL", 150, None)]
    assert q1["not_reportable"] == [] and q1["executed"] == []
    q2 = read_models.non_executed(2026, 2, None)
    # 30 June: decisions before 30 March count; LVU apart; Sigtuna's late decision is followed up.
    assert codes(q2["items"]) == [(str(withdrawn), "SoL", 171, None), (str(jourhem), "SoL", 139, "no_suitable_family"),
                                  (str(lss), "LSS", 121, "person_declined")]
    assert codes(q2["not_reportable"]) == [(str(lvu), "LVU", 148, None)]
    assert [(r["referral_id"], r["executed_on"], r["days_waited"]) for r in q2["executed"]] == [
        (str(late), date(2026, 5, 1), 181)]
    assert {r["name"] for r in q2["items"]} == {"Solna"} and q2["items"][0]["code"] == referral_code(withdrawn)
    assert read_models.non_executed(2026, 2, "0191")["items"] == []
    assert [r["referral_id"] for r in read_models.non_executed(2026, 2, "0191")["executed"]] == [str(late)]
    q3 = read_models.non_executed(2026, 3, "0191")
    assert q3["items"] == [] and q3["executed"] == []  # the follow-up is in the quarter of the execution only
    # By the end of Q4 the withdrawn referral is gone; the others remain unexecuted.
    later = codes(read_models.non_executed(2026, 4, None)["items"])
    assert [c[0] for c in later] == [str(jourhem), str(lss)]
    with raises(RuleViolationError, "referral.reason_unchanged"):
        app.state_non_execution_reason(SOLNA, lss, reason="person_declined")
    with raises(RuleViolationError, "referral.not_pending_execution"):
        app.state_non_execution_reason(SIGTUNA, late, reason="other")
    with raises(NotFoundError, "record.not_found"):
        app.state_non_execution_reason(SIGTUNA, lss, reason="other")  # another member's referral
    with raises(InvalidInputError, "value.not_one_of"):
        app.state_non_execution_reason(SOLNA, lss, reason="lack of staff")


def test_statistics_supply_demand_funnel_waiting_and_placements(
        app: PoolApplication, read_models: ReadModelsImpl) -> None:
    from projections.contract import StatisticsPeriod

    add_members(app)
    published = approved_family(app, kinds=["familjehem"], applied_on="2026-01-05",
                                preferences={"child_age_min": 5, "child_age_max": 10, "max_children": 1,
                                             "siblings_ok": False, "languages": []})
    reviewed_description(app, published, "Lugn familj nära skogen.")
    app.publish_family(STAFF, published)
    app.apply_family(STAFF, **{**_family(), "applied_on": "2026-03-01"})
    referral = app.register_referral(SOLNA, **referral_data(decision_date="2026-04-01",
                                                             child_birth_month="2020-03")).id
    app.register_referral(SIGTUNA, **referral_data(kind="jourhem", decision_date="2026-05-01",
                                                   child_birth_month="2010-01"))
    settle(app, read_models)
    today = date.today()  # the publication is dated by its recording: supply counts from today
    this_far = StatisticsPeriod(date(2026, 1, 1), today)
    stats = read_models.statistics(this_far, today=today)
    cells = {(r["kind"], r["age_band"]): r for r in stats["supply_demand"]}
    assert cells[("familjehem", "0-6")]["supply"] == 1 and cells[("familjehem", "7-12")]["supply"] == 1
    assert cells[("familjehem", "13-17")]["supply"] == 0
    assert cells[("familjehem", "0-6")]["demand"] == 1 and cells[("familjehem", "0-6")]["demand_by_member"] == {"0184": 1}
    assert cells[("jourhem", "13-17")]["demand"] == 1
    waiting = {w["status"]: w for w in stats["waiting"]}
    assert waiting["applied"]["count"] == 1 and waiting["applied"]["oldest_days"] == (today - date(2026, 3, 1)).days
    funnel = {f["step"]: f for f in stats["funnel"]}
    assert funnel["applied"]["count"] == 2 and funnel["published"]["count"] == 1
    assert funnel["approved"]["conversion"] == "0.50"
    # A placement from the referral: time to placement and the per-member counts.
    place(app, published, "0184", "2026-06-01", "2020-03", referral_id=referral, end="2026-08-01",
          reason="breakdown")
    # Placed straight after approval, never published: in the cohort, not in the catalogue funnel's last step.
    unpublished = approved_family(app, applied_on="2026-02-01")
    place(app, unpublished, "0191", "2026-07-01", "2016-01", end="2026-07-20")
    settle(app, read_models)
    stats = read_models.statistics(this_far, today=today)
    assert stats["time_to_placement"] == {"count": 1, "median_days": 61, "p90_days": 61}
    solna = next(p for p in stats["placements"] if p["municipality"] == "0184")
    assert (solna["started"], solna["ended"], solna["breakdowns"]) == (1, 1, 1)
    assert stats["placements_total"] == {"started": 2, "ended": 2, "breakdowns": 1, "active": 0, "overdue": 0}
    assert {s["municipality"]: s["placements_share"] for s in stats["shares"]}["0184"] == "0.5000"
    assert stats["shares_note"].code == "statistics.shares_unavailable" and stats["shares_note"].params["cause"] == "budget.not_set"
    funnel = {f["step"]: f for f in stats["funnel"]}
    assert [funnel[s]["count"] for s in ("applied", "approved", "published", "first_placement")] == [3, 2, 1, 1]
    assert funnel["first_placement"]["conversion"] == "1.00" and funnel["published"]["conversion"] == "0.50"
    own = read_models.statistics(this_far, "0191", today=today)
    assert [(p["municipality"], p["started"]) for p in own["placements"]] == [("0191", 1)]
    assert sum(r["demand"] for r in own["supply_demand"]) == 1


def test_end_of_period_figures_are_counted_on_the_periods_last_day(
        app: PoolApplication, read_models: ReadModelsImpl) -> None:
    from projections.contract import StatisticsPeriod

    add_members(app)
    family = approved_family(app, kinds=["familjehem"], applied_on="2026-01-05",
                             preferences={"child_age_min": 0, "child_age_max": 17, "max_children": 1,
                                          "siblings_ok": False, "languages": []})
    app.apply_family(STAFF, **{**_family(), "applied_on": "2026-03-01"})
    referral = app.register_referral(SOLNA, **referral_data(decision_date="2026-04-01",
                                                             child_birth_month="2020-03")).id
    place(app, family, "0184", "2026-06-01", "2020-03", referral_id=referral)
    settle(app, read_models)

    def at(end: str) -> tuple[int, dict[str, int]]:
        stats = read_models.statistics(StatisticsPeriod(date(2026, 1, 1), date.fromisoformat(end)))
        assert stats["as_of"] == end
        return (sum(r["demand"] for r in stats["supply_demand"]),
                {w["status"]: w["count"] for w in stats["waiting"] if w["count"]})

    # Decided 1 April, placed 1 June: demand in between only. The second family applied on 1 March and
    # waits from then; the first (approved, never published) waits as approved until its placement.
    assert at("2026-02-28") == (0, {"approved": 1})
    assert at("2026-03-31") == (0, {"approved": 1, "applied": 1})
    assert at("2026-05-15") == (1, {"approved": 1, "applied": 1})
    assert at("2026-06-30") == (0, {"applied": 1})


def _family() -> dict:
    from tests.factories import family_data

    return family_data()



def test_demand_supply_and_pipeline_month_by_month(app: PoolApplication, read_models: ReadModelsImpl) -> None:
    add_members(app)
    teen_home = approved_family(app, kinds=["familjehem"], applied_on="2026-01-05",
                                preferences={"child_age_min": 13, "child_age_max": 17, "max_children": 1,
                                             "siblings_ok": False, "languages": []})
    reviewed_description(app, teen_home, "Lugn familj nära skogen.")
    app.publish_family(STAFF, teen_home)
    app.apply_family(STAFF, **{**_family(), "applied_on": "2026-03-01",
                               "preferences": {"child_age_min": 0, "child_age_max": 6, "max_children": 1,
                                               "siblings_ok": False, "languages": []}})
    placed = app.register_referral(SOLNA, **referral_data(decision_date="2026-04-01", child_birth_month="2011-02")).id
    app.register_referral(SIGTUNA, **referral_data(decision_date="2026-05-10", child_birth_month="2011-06"))
    other_home = approved_family(app, kinds=["familjehem"], preferences={
        "child_age_min": 13, "child_age_max": 17, "max_children": 1, "siblings_ok": False, "languages": []})
    place(app, other_home, "0184", "2026-06-01", "2011-02", referral_id=placed)
    app.register_referral(SIGTUNA, **referral_data(kind="jourhem", decision_date="2026-07-01",
                                                   child_birth_month="2012-01"))
    settle(app, read_models)
    today = date.today()
    months = (today.year - 2026) * 12 + today.month - 2 + 1  # from February 2026
    report = read_models.demand_and_supply(months)
    by_month = {m["month"]: {(r["kind"], r["age_band"]): r for r in m["rows"]} for m in report["months"]}
    teens, small = ("familjehem", "13-17"), ("familjehem", "0-6")
    assert [by_month[m][teens]["demand"] for m in ("2026-02", "2026-03", "2026-04", "2026-05", "2026-06")] == [
        0, 0, 1, 2, 1]  # Solna's from April until its placement in June; Sigtuna's from May
    assert by_month["2026-05"][teens]["demand_by_member"] == {"0184": 1, "0191": 1}
    assert [by_month[m][small]["pipeline"] for m in ("2026-02", "2026-03")] == [0, 1]  # applied 1 March
    # The publication is dated by its recording (today): supply appears in the current month only.
    current = today.isoformat()[:7]
    assert by_month[current][teens]["supply"] == 1 and by_month["2026-06"][teens]["supply"] == 0
    # Now: Sigtuna's teenager against the one teen home (no gap); its jourhem referral has nothing (a gap).
    assert [(g["kind"], g["age_band"], g["demand"], g["supply"]) for g in report["gaps"]] == [
        ("jourhem", "13-17", 1, 0)]
    own = read_models.demand_and_supply(months, "0191")
    assert {m["month"]: {(r["kind"], r["age_band"]): r for r in m["rows"]} for m in own["months"]}[
        "2026-05"][teens]["demand_by_member"] == {"0191": 1}
