"""Statistics on both backends: network and recruited homes counted apart, each member's pool share per year."""

from __future__ import annotations

from datetime import date

from pool.application import PoolApplication
from projections.bootstrap import ReadModelsImpl
from projections.contract import StatisticsPeriod
from tests.conftest import SYSTEM
from tests.factories import approved_family, family_data
from tests.integration.test_api_support import Api, api  # noqa: F401
from tests.integration.test_steering import PLACED_2025, allocation_history, place, settle

PREFS = {"child_age_min": 0, "child_age_max": 17, "max_children": 3, "siblings_ok": True, "languages": ["sv"]}


def test_network_homes_and_recruited_homes_are_counted_apart(app: PoolApplication, read_models: ReadModelsImpl) -> None:
    allocation_history(app)  # one recruited family with placements in 2025
    approved_family(app, preferences=PREFS, applied_on="2025-11-01")  # a recruited home approved before 2026
    network = approved_family(app, home_type="network", preferences=PREFS, applied_on="2025-12-01")
    place(app, network, "0191", "2026-02-01", "2014-03")
    place(app, network, "0191", "2026-03-01", "2015-03", end="2026-05-01")
    settle(app, read_models)
    stats = read_models.statistics(StatisticsPeriod.year(2026), today=date(2026, 6, 30))
    rows = {r["home_type"]: r for r in stats["home_types"]}
    assert rows["network"] == {"home_type": "network", "approved_in_period": 0, "approved": 1, "published": 0,
                               "placements_started": 2, "placements_active": 1}
    assert rows["recruited"]["approved"] == 1 and rows["recruited"]["placements_started"] == 0
    own = read_models.statistics(StatisticsPeriod.year(2026), "0184", today=date(2026, 6, 30))
    assert {r["home_type"]: r["placements_started"] for r in own["home_types"]} == {"network": 0, "recruited": 0}


def test_each_members_share_of_placed_children_through_the_pool_per_year(
        app: PoolApplication, read_models: ReadModelsImpl) -> None:
    allocation_history(app)
    app.record_placed_children(SYSTEM, "0184", 2024, children=150, source="IFO (test)")
    settle(app, read_models)
    series = read_models.statistics(StatisticsPeriod.year(2026))["pool_share_by_year"]
    solna = [r for r in series if r["municipality"] == "0184"]
    assert [(r["year"], r["placed_children"], r["pool_placements"], r["pool_share"]) for r in solna] == [
        (2024, 150, 0, "0.0000"), (2025, PLACED_2025["0184"], 2, "0.0107")]  # as the 2026 allocation's pool_share
    assert len(series) == len(PLACED_2025) + 1
    assert read_models.statistics(StatisticsPeriod.year(2024))["pool_share_by_year"] == [solna[0]]
    only = read_models.statistics(StatisticsPeriod.year(2026), "0191")["pool_share_by_year"]
    assert [r["municipality"] for r in only] == ["0191"]


def test_the_statistics_answer_carries_both_series_over_http(api: Api) -> None:  # noqa: F811
    r = api.call("POST", "/api/families", "pool_staff", json=family_data(home_type="network"))
    assert r.status_code == 201, r.text
    r = api.call("GET", "/api/statistics", "steering")
    assert r.status_code == 200, r.text
    body = r.json()
    assert {row["home_type"] for row in body["home_types"]} == {"network", "recruited"}
    assert body["pool_share_by_year"] == []  # no placed-children figures recorded in this database
    csv = api.call("GET", "/api/statistics?format=csv", "steering").text
    assert "home_types,network,approved," in csv

