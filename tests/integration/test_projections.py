"""Projections on both backends: rebuild = live, isolation, read-your-writes, one runner, register, audit."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from uuid import UUID

import pytest

from pool.application import PoolApplication
from projections.bootstrap import ReadModelsImpl, open_read_models, start_embedded
from projections.contract import AuditFilter, CatalogueFilter
from projections.registry import NAMES
from projections.register.unsealing import open_register_rows
from projections.core.lock import ProjectionBusyError
from projections.runtime import ProjectionRuntime, rebuild, status
from tests.conftest import SIGTUNA, SOLNA, STAFF
from tests.factories import published_family, referral_data, reviewed_description
from tests.integration.test_projections_helpers import history, snapshot


def test_rebuilt_views_equal_live_views_row_for_row(app: PoolApplication, database_url: str) -> None:
    rm = start_embedded(app, batch_size=7)  # small batches: many flushes while live
    try:
        ids = history(app)
        assert rm.wait_for(ids["last"], timeout=5)
        live = {name: snapshot(view) for name, view in rm.views.items()}
    finally:
        rm.close()
    assert live["catalogue"]["catalogue"] and live["audit"]["audit_log"]
    for name in NAMES:
        assert rebuild(database_url, name, batch_size=5) == ids["last"]
    rebuilt_rm = ReadModelsImpl(database_url)
    try:
        for name, view in rebuilt_rm.views.items():
            assert snapshot(view) == live[name], name
            assert view.position() == ids["last"]
    finally:
        rebuilt_rm.close()


def test_catalogue_rows_codes_filters_and_removal(app: PoolApplication, read_models: ReadModelsImpl) -> None:
    ids = history(app)
    assert read_models.wait_for(ids["last"])
    page = read_models.catalogue(CatalogueFilter())
    by_id = {UUID(i["family_id"]): i for i in page.items}
    assert set(by_id) == {ids["published"], ids["full"]}  # unpublished and erased are gone
    assert page.total == 2
    assert [i["code"] for i in page.items] == ["FP-0001", "FP-0002"]
    full = by_id[ids["full"]]
    assert full["free_capacity"] == 0 and full["available"] is False
    assert full["area"] == {"code": "0184", "name": "Solna"}
    published = by_id[ids["published"]]
    assert published["available"] is True and published["free_capacity"] == 2  # the placement ended
    assert published["training"] == ["ett-hem-att-vaxa-i"]
    assert published["household"]["children_at_home"] and all("-" in b or b.endswith("+")
                                                               for b in published["household"]["adults"])
    assert read_models.catalogue(CatalogueFilter(available=True)).total == 1
    assert read_models.catalogue(CatalogueFilter(child_age=10)).total == 1
    assert read_models.catalogue(CatalogueFilter(language="fi")).total == 1
    assert read_models.catalogue(CatalogueFilter(kind="jourhem")).total == 1
    assert read_models.catalogue(CatalogueFilter(siblings=False)).total == 1
    assert read_models.catalogue(CatalogueFilter(area="0163")).total == 1
    assert read_models.catalogue_item(ids["erased"]) is None
    assert read_models.catalogue_by_code("FP-0002")["family_id"] == str(ids["full"])
    # The unpublished family outside the members shows as "annan kommun" when republished.
    reviewed_description(app, ids["unpublished"], "Lugn person med tid för samtal.")
    saved = app.publish_family(STAFF, ids["unpublished"])
    assert read_models.wait_for(saved.position)
    item = read_models.catalogue_item(ids["unpublished"])
    assert item["area"] == {"code": "1280", "name": "annan kommun"} and item["code"] == "FP-0003"


def test_a_municipality_never_sees_another_municipalitys_rows(app: PoolApplication,
                                                              read_models: ReadModelsImpl) -> None:
    ids = history(app)
    assert read_models.wait_for(ids["last"])
    for mine, theirs in (("0184", "0191"), ("0191", "0184")):
        for page in (read_models.referrals(mine), read_models.interests(mine), read_models.placements(mine),
                     read_models.referrals(mine, status="placed"), read_models.interests(mine, status="pending"),
                     read_models.placements(mine, active=False), read_models.placements(mine, active=True)):
            assert all(row["municipality"] == mine for row in page.items)
            assert page.total == len(page.items)
        assert read_models.referrals(mine).total == 1
        assert all(e["municipality"] == mine for e in read_models.audit(AuditFilter(municipality=mine)).items)
    assert read_models.referral(ids["r_sigtuna"], "0184") is None
    assert read_models.interest(ids["i_sigtuna"], "0184") is None
    assert read_models.placement(ids["p_sigtuna"], "0184") is None
    assert read_models.referral(ids["r_solna"], "0191") is None
    assert read_models.placement(ids["p_solna"], "0191") is None
    assert read_models.referral(ids["r_sigtuna"], None)["status"] == "placed"
    assert read_models.referrals(None).total == 2
    solna = read_models.referral(ids["r_solna"], "0184")
    assert solna["status"] == "open" and solna["days_since_decision"] >= 0
    assert {p["code"] for p in solna["proposed_families"]} == {"FP-0001", "FP-0002"}
    assert "needs" not in solna and "wishes" not in solna
    queue = read_models.interests("0191").items[0]
    assert queue["queue_position"] == 2 and queue["family_code"] == "FP-0001" and not queue["brokered"]
    placed = read_models.interest(ids["i_solna2"], "0184")  # brokered, then the placement ended its link
    assert (placed["status"], placed["link_outcome"], placed["brokered"]) == ("placed", "placement_started", False)
    ended = read_models.placement(ids["p_sigtuna"], "0191")
    assert ended["active"] is False and ended["end_reason"] == "breakdown"


def test_register_rows_open_with_one_audited_access(app: PoolApplication, read_models: ReadModelsImpl) -> None:
    ids = history(app)
    assert read_models.wait_for(ids["last"])
    page = read_models.register()
    assert page.total == 6
    assert all(n.startswith("sealed:v1:") for row in page.items for n in row["names"])
    before = app.recorder.max_notification_id()
    opened = open_register_rows(app, STAFF, page.items, via="GET /api/register")
    assert app.recorder.max_notification_id() == before + 1  # ONE access for the whole list
    by_id = {UUID(r["family_id"]): r for r in opened}
    assert by_id[ids["applicant"]]["names"] == ["Greta Väntarsson"]
    assert by_id[ids["erased"]]["names"] == [] and by_id[ids["erased"]]["erased"] is True
    entry = read_models.register_entry(ids["published"])
    assert entry["checklist"] == {"done": 6, "required": 6} and entry["active_placements"] == 0
    assert [q["municipality"] for q in entry["interest_queue"]] == ["0184", "0191"]
    assert entry["interest_queue"][0]["referral_decision_date"] == "2026-09-01"
    assert read_models.interest_queue(ids["published"]) == entry["interest_queue"]
    applicant = read_models.register_entry(ids["applicant"])
    assert applicant["status"] == "applied" and applicant["days_waiting"] == 0
    assert applicant["checklist"] == {"done": 0, "required": 6}
    single = open_register_rows(app, STAFF, entry, via="GET /api/register/x")
    assert single["names"] == ["Kalle Testsson", "Lisa Provsdotter"]
    assert read_models.wait_for(app.recorder.max_notification_id())
    accesses = read_models.audit(AuditFilter(aggregate=ids["published"], actor=STAFF.username))
    vias = [e["access"]["via"] for e in accesses.items if e["entry_type"] == "access"]
    assert vias == ["GET /api/register/x", "GET /api/register"]  # newest first


def test_audit_trail_is_complete_after_erasure_and_filterable(app: PoolApplication,
                                                               read_models: ReadModelsImpl) -> None:
    ids = history(app)
    assert read_models.wait_for(ids["last"])
    everything = read_models.audit(AuditFilter(), limit=1000)
    assert everything.total == ids["last"] == len(everything.items)
    assert [e["position"] for e in everything.items] == list(range(ids["last"], 0, -1))  # newest first
    erased = read_models.audit(AuditFilter(aggregate=ids["erased"]), limit=100).items
    names = [e["event_name"] for e in erased]
    assert names[-1] == "Applied" and "Erased" in names and "Recorded" in names  # the read of its data
    assert not any("sealed:" in str(v) for e in everything.items for v in e.values())
    assert read_models.audit(AuditFilter(actor=SOLNA.username)).total >= 3
    now = datetime.now(timezone.utc)
    assert read_models.audit(AuditFilter(since=now - timedelta(minutes=5))).total == ids["last"]
    assert read_models.audit(AuditFilter(until=now - timedelta(minutes=5))).total == 0
    assert read_models.audit(AuditFilter(municipality="0191")).total >= 4


def test_wait_for_returns_promptly_after_a_command(app: PoolApplication, read_models: ReadModelsImpl) -> None:
    from tests.factories import add_members

    add_members(app)
    for _ in range(5):
        saved = app.register_referral(SOLNA, **referral_data())
        started = time.monotonic()
        assert read_models.wait_for(saved.position, timeout=2.0)
        assert time.monotonic() - started < 0.5
        assert read_models.referral(saved.id, "0184") is not None
    assert read_models.wait_for(None)
    assert all(s.lag == 0 for s in read_models.status())


def test_worker_mode_reads_and_waits_across_runtimes(app: PoolApplication, database_url: str) -> None:
    runtime = ProjectionRuntime(database_url).start()  # stands in for `familjepool projections run`
    api_side = open_read_models(app, run_projections=False)
    try:
        from tests.factories import add_members

        add_members(app)
        saved = app.register_referral(SIGTUNA, **referral_data())
        started = time.monotonic()
        assert api_side.wait_for(saved.position, timeout=3.0)
        assert time.monotonic() - started < 1.0
        assert api_side.referral(saved.id, "0191")["status"] == "open"
        rows = {s.name: s for s in api_side.status()}
        assert set(rows) == set(NAMES) and all(s.lag == 0 for s in rows.values())
    finally:
        api_side.close()
        runtime.stop()


def test_a_second_runner_is_refused(app: PoolApplication, database_url: str) -> None:
    first = ProjectionRuntime(database_url).start()
    try:
        with pytest.raises(ProjectionBusyError, match="another runner"):
            ProjectionRuntime(database_url, ["audit"]).start()
        with pytest.raises(ProjectionBusyError):
            rebuild(database_url, "catalogue")
        assert all(r["runner"] == "running" for r in status(database_url))
    finally:
        first.stop()
    again = ProjectionRuntime(database_url, ["audit"]).start()  # the lock is free once the first stopped
    again.stop()
    assert all(r["runner"] == "stopped" for r in status(database_url))


def test_full_capacity_and_unpublish_act_at_once(app: PoolApplication, read_models: ReadModelsImpl) -> None:
    from tests.factories import add_members

    add_members(app)
    family = published_family(app, preferences={"child_age_min": 0, "child_age_max": 17, "max_children": 1})
    saved = app.start_placement(STAFF, family_id=family, municipality="0184", kind="familjehem",
                                start_date="2025-06-01", planned_end_date="2026-06-01", child_birth_month="2020-01")
    assert read_models.wait_for(saved.position)
    assert read_models.catalogue_item(family)["available"] is False
    saved = app.end_placement(STAFF, saved.id, end_date="2025-07-01", reason="planned")
    assert read_models.wait_for(saved.position)
    assert read_models.catalogue_item(family)["available"] is True
    saved = app.unpublish_family(STAFF, family)
    assert read_models.wait_for(saved.position)
    assert read_models.catalogue_item(family) is None
