"""`as_of` on both backends: the catalogue, register and municipality lists as the system knew them at a
moment equal the same lists over views rebuilt from only the events recorded up to that moment."""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any

from pydantic import BaseModel

from api.schemas.read import (
    CataloguePagePublic, InterestPagePublic, PlacementPagePublic, ReferralPagePublic, with_id,
)
from projections.bootstrap import ReadModelsImpl
from api.as_of import as_of_day
from api.reports import worded_statistics
from api.schemas.statistics import StatisticsPublic
from projections.contract import CatalogueFilter, StatisticsPeriod
from projections.rebuild import replay_until
from tests.integration.test_api_support import (  # noqa: F401
    Api,
    api,
    http_published_family,
    http_referral,
    problem,
)

# Brokered today, so placed (and ended) today: a placement may not start before its brokering.
TODAY = date.today().isoformat()
NEXT_YEAR = (date.today() + timedelta(days=365)).isoformat()

LISTS: list[tuple[str, str, type[BaseModel], str]] = [  # path, key, schema, who
    ("/api/catalogue", "family_id", CataloguePagePublic, "municipality"),
    ("/api/referrals", "referral_id", ReferralPagePublic, "municipality"),
    ("/api/referrals", "referral_id", ReferralPagePublic, "pool_staff"),
    ("/api/interests", "interest_id", InterestPagePublic, "municipality"),
    ("/api/interests", "interest_id", InterestPagePublic, "other_municipality"),
    ("/api/placements", "placement_id", PlacementPagePublic, "pool_staff"),
]
SCOPE = {"municipality": "0184", "other_municipality": "0191", "pool_staff": None}


def moment() -> datetime:
    time.sleep(0.002)  # strictly after the events just recorded, strictly before the next ones
    t = datetime.now(timezone.utc)
    time.sleep(0.002)
    return t


def rebuilt(read_models: ReadModelsImpl, at: datetime, suffix: str) -> ReadModelsImpl:
    """The read models over views rebuilt from the events recorded up to `at` (own tables, same database)."""
    past = object.__new__(ReadModelsImpl)
    past.__dict__.update(read_models.__dict__)
    past.views = {name: replay_until(read_models.storage, name, at, read_models._datastore, suffix=suffix)
                  for name in ("catalogue", "register", "municipality", "steering")}
    return past


def expected(past: ReadModelsImpl, path: str, key: str, schema: type[BaseModel], who: str, at: datetime) -> Any:
    scope = SCOPE[who]
    if path == "/api/catalogue":
        page = past.catalogue(CatalogueFilter())
    elif path == "/api/referrals":
        page = past.referrals(scope)
    elif path == "/api/interests":
        page = past.interests(scope)
    else:
        page = past.placements(scope, today=as_of_day(at))
    return schema.model_validate({"items": [with_id(i, key) for i in page.items], "total": page.total,
                                  "as_of": at.isoformat()}).model_dump(mode="json")


def test_as_of_answers_equal_views_rebuilt_from_the_events_until_then(api: Api) -> None:
    read_models: ReadModelsImpl = api.client.app.state.read_models  # type: ignore[attr-defined]
    moments = [moment()]  # 0: nothing yet
    a = http_published_family(api, description="Familj A med trädgård och katt.")
    moments.append(moment())  # 1: A published
    b = http_published_family(api, description="Familj B nära havet.", kinds=["jourhem"])
    referral = http_referral(api)
    moments.append(moment())  # 2: B published, a referral
    r = api.call("POST", f"/api/catalogue/{a}/interest", "municipality", json={"referral_id": referral})
    assert r.status_code == 201, r.text
    interest = r.json()["id"]
    assert api.call("POST", f"/api/catalogue/{a}/interest", "other_municipality").status_code == 201
    moments.append(moment())  # 3: two interests in A
    assert api.call("POST", f"/api/interests/{interest}/broker", "pool_staff").status_code == 200
    r = api.call("POST", "/api/placements", "pool_staff", json={
        "municipality": "0184", "kind": "familjehem", "start_date": TODAY, "planned_end_date": NEXT_YEAR,
        "child_birth_month": "2016-05", "family_id": a, "referral_id": referral})
    assert r.status_code == 201, r.text
    placement = r.json()["id"]
    moments.append(moment())  # 4: brokered and placed
    assert api.call("POST", f"/api/families/{b}/unpublish", "pool_staff").status_code == 200
    r = api.call("POST", f"/api/placements/{placement}/end", "pool_staff",
                 json={"end_date": TODAY, "reason": "planned"})
    assert r.status_code == 200, r.text
    moments.append(moment())  # 5: B unpublished, the placement ended
    assert api.call("POST", f"/api/families/{b}/erase", "pool_staff").status_code == 200
    moments.append(moment())  # 6: B erased

    seen = []
    for k, at in enumerate(moments):
        past = rebuilt(read_models, at, suffix=f"__t{k}")
        for path, key, schema, who in LISTS:
            got = api.call("GET", path, who, params={"as_of": at.isoformat()})
            assert got.status_code == 200, got.text
            assert got.json() == expected(past, path, key, schema, who, at), (k, path, who)
        assert read_models.at(at).register().items == past.register().items, k
        day = as_of_day(at)
        figures = past.statistics(StatisticsPeriod.year(day.year), None, today=day)
        assert read_models.at(at).statistics(StatisticsPeriod.year(day.year), None, today=day) == figures, k
        got = api.call("GET", "/api/statistics", "steering", params={"as_of": at.isoformat()})
        assert got.status_code == 200, got.text
        want = StatisticsPublic.model_validate(worded_statistics({**figures, "recorded_until": at.isoformat()}, "en"))
        assert got.json() == want.model_dump(mode="json"), k
        seen.append(json.dumps({**figures, "as_of": None}, sort_keys=True, default=str))
        assert read_models.at(at).catalogue_item(a) == past.catalogue_item(a), k
    assert len(set(seen)) >= 4  # the moments differ: the past is not today's answer
    now = api.call("GET", "/api/catalogue", "municipality").json()
    assert now["as_of"] is None and [i["id"] for i in now["items"]] == [a]
    assert [i["id"] for i in api.call("GET", "/api/catalogue", "municipality",
                                      params={"as_of": moments[2].isoformat()}).json()["items"]] == [a, b]


def test_an_erased_family_comes_back_in_the_past_without_anything_sealed(api: Api) -> None:
    b = http_published_family(api, description="Familj B nära havet.")
    before = moment()
    assert api.call("POST", f"/api/families/{b}/unpublish", "pool_staff").status_code == 200
    assert api.call("POST", f"/api/families/{b}/erase", "pool_staff").status_code == 200
    assert api.call("GET", f"/api/catalogue/{b}", "municipality").status_code == 404
    card = api.call("GET", f"/api/catalogue/{b}", "municipality", params={"as_of": before.isoformat()})
    assert card.status_code == 200 and card.json()["description"] is None  # the key is destroyed: no text
    head = api.pool.recorder.max_notification_id()
    register = api.call("GET", "/api/families", "pool_staff", params={"as_of": before.isoformat()}).json()
    assert api.pool.recorder.max_notification_id() > head  # the read of the past register is audited as today's
    entry = next(i for i in register["items"] if i["id"] == b)
    assert entry["status"] == "published" and entry["names"] == [] and entry["erased"] is True
    assert register["as_of"] == before.isoformat()


def test_as_of_in_the_future_or_not_a_moment_is_422(api: Api) -> None:
    future = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    for value, code in [(future, "as_of.future"), ("igår", "as_of.invalid"), ("2099-01-01", "as_of.future")]:
        r = api.call("GET", "/api/catalogue", "municipality", params={"as_of": value})
        assert r.status_code == 422, r.text
        p = problem(r)
        assert p["code"] == code and p.get("field") == "as_of", p
    today = datetime.now(timezone.utc).astimezone().date().isoformat()
    r = api.call("GET", "/api/referrals", "municipality", params={"as_of": today})  # today: up to now
    assert r.status_code == 200 and r.json()["as_of"], r.text


def test_rebanding_at_a_new_year_versions_the_catalogue_rows_from_then(app, read_models) -> None:
    from datetime import date

    from projections.catalogue.projection import CatalogueProjection
    from tests.factories import published_family

    family = str(published_family(app))
    assert read_models.wait_for(app.recorder.max_notification_id(), timeout=10)
    view = read_models.views["catalogue"]
    year = date.today().year
    assert CatalogueProjection.reband(view, year + 1) == 1
    rows = view.query("SELECT valid_from, valid_to, bands_year FROM {s}catalogue_history WHERE family_id = ? "
                      "ORDER BY valid_from", [family])
    assert [r["bands_year"] for r in rows] == [year, year + 1]
    assert rows[0]["valid_to"] == rows[1]["valid_from"] and rows[1]["valid_to"] is None


def test_a_past_catalogue_total_is_its_own_when_the_page_is_full(api: Api) -> None:
    """The catalogue keeps its count per filter and view position; a past answer must not take today's."""
    http_published_family(api, description="Familj A med trädgård och katt.")
    http_published_family(api, description="Familj B nära havet.")
    then = moment()
    http_published_family(api, description="Familj C med hund.")
    now = api.call("GET", "/api/catalogue?limit=1", "municipality").json()
    past = api.call("GET", f"/api/catalogue?limit=1&as_of={then.isoformat().replace('+00:00', 'Z')}",
                    "municipality")
    assert past.status_code == 200, past.text
    assert (now["total"], past.json()["total"]) == (3, 2)
