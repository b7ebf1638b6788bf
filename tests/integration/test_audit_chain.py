"""Finding 6: the audit trail is tamper-evident, and refused reads and purposes are in it (both backends)."""

from __future__ import annotations

from typing import Any

import pytest

from pool.application import PoolApplication
from pool.errors import InvalidInputError
from projections.audit.verify import verify
from projections.bootstrap import ReadModelsImpl
from projections.runtime import rebuild
from tests.conftest import SOLNA, STAFF
from tests.factories import add_members, published_family, referral_data
from tests.integration.test_api_support import Api, api, http_published_family, http_referral, start_api  # noqa: F401


def history(app: PoolApplication) -> int:
    add_members(app)
    family_id = published_family(app)
    referral_id = app.register_referral(SOLNA, **referral_data()).id
    app.referral_text(STAFF, referral_id, via="test", purpose="SN 2026/0412")
    app.family_personal_data(STAFF, family_id, via="test")
    return app.recorder.max_notification_id()


def sql(view: Any, statement: str, params: list[Any] | None = None) -> None:
    with view.datastore.transaction(commit=True) as c:
        c.execute(view.sql(statement), params or [])


def test_verify_names_an_edited_removed_or_inserted_entry(app: PoolApplication, read_models: ReadModelsImpl,
                                                          database_url: str) -> None:
    head = history(app)
    assert read_models.wait_for(head)
    view = read_models.views["audit"]
    result = verify(database_url)
    assert result.ok and result.entries == head and result.position == head
    k = head - 2
    row = view.query("SELECT * FROM {s}audit_log WHERE position = ?", [k])[0]

    sql(view, "UPDATE {s}audit_log SET actor_username = 'someone.else' WHERE position = ?", [k])
    result = verify(database_url)
    assert not result.ok and (result.problem.position, result.problem.kind) == (k, "changed")
    assert result.position == k - 1  # intact up to the entry before
    sql(view, "UPDATE {s}audit_log SET actor_username = ? WHERE position = ?", [row["actor_username"], k])
    assert verify(database_url).ok

    sql(view, "DELETE FROM {s}audit_log WHERE position = ?", [k])
    result = verify(database_url)
    assert not result.ok and (result.problem.position, result.problem.kind) == (k, "removed")
    columns = list(row)
    sql(view, f"INSERT INTO {{s}}audit_log ({', '.join(columns)}) VALUES ({','.join('?' * len(columns))})",
        [row[c] for c in columns])
    assert verify(database_url).ok

    # An entry inserted after the last one, chained to it by someone without the key.
    from projections.audit.chain import CONTENT_COLUMNS, entry_hash

    last = view.query("SELECT * FROM {s}audit_log WHERE position = ?", [head])[0]
    forged = {**last, "position": head + 1, "event_id": "forged:1", "prev_hash": last["hash"]}
    forged["hash"] = entry_hash(last["hash"], [forged[c] for c in CONTENT_COLUMNS])
    forged["hmac"] = "0" * 64
    sql(view, f"INSERT INTO {{s}}audit_log ({', '.join(forged)}) VALUES ({','.join('?' * len(forged))})",
        list(forged.values()))
    result = verify(database_url)
    assert not result.ok and (result.problem.position, result.problem.kind) == (head + 1, "inserted")
    assert "/api/health" and read_models.audit_verification()["position"] == head  # what health reports
    sql(view, "DELETE FROM {s}audit_log WHERE position = ?", [head + 1])

    # The stored event itself edited: its entry no longer derives from it.
    table = "stored_events" if database_url.startswith("sqlite") else "{s}familjepool_events"
    id_column = "rowid" if database_url.startswith("sqlite") else "notification_id"
    state = view.query(f"SELECT state FROM {table} WHERE {id_column} = ?", [k])[0]["state"]
    assert SOLNA.username.encode() in bytes(state)  # position k: the referral Solna registered
    sql(view, f"UPDATE {table} SET state = ? WHERE {id_column} = ?",
        [bytes(state).replace(SOLNA.username.encode(), b"x" * len(SOLNA.username)), k])
    result = verify(database_url)
    assert not result.ok and (result.problem.position, result.problem.kind) == (k, "event_changed")


def test_a_rebuild_recomputes_the_same_chain(app: PoolApplication, database_url: str) -> None:
    head = history(app)
    assert rebuild(database_url, "audit") == head
    first = verify(database_url)
    from projections.runtime import open_view
    from pool.settings import parse_database_url

    view = open_view(parse_database_url(database_url), "audit")
    try:
        hashes = view.query("SELECT position, hash, hmac FROM {s}audit_log ORDER BY position")
        assert rebuild(database_url, "audit") == head
        assert view.query("SELECT position, hash, hmac FROM {s}audit_log ORDER BY position") == hashes
        assert first.ok and verify(database_url).ok
    finally:
        view.datastore.close()


def denied(api: Api) -> list[dict[str, Any]]:
    items = api.call("GET", "/api/audit?limit=200", "admin").json()["items"]
    return [i for i in items if i["entry_type"] == "denied"]


def test_refused_reads_are_audit_entries_and_still_answer_403_or_404(api: Api) -> None:
    family_id = http_published_family(api)
    referral_id = http_referral(api, "municipality")  # Solna's
    r = api.call("GET", f"/api/referrals/{referral_id}", "other_municipality")
    assert r.status_code == 404
    newest = api.call("GET", "/api/audit?limit=1", "admin").json()["items"][0]  # newest first
    assert newest["entry_type"] == "denied" and newest["actor"]["username"] == "sam.sigtuna"
    assert newest["denied"] == {"subject_type": "referral", "subject_id": referral_id,
                                "via": "GET /api/referrals/{id}", "reason": "other_municipality"}
    assert api.call("GET", f"/api/families/{family_id}", "municipality").status_code == 403
    assert api.call("GET", f"/api/families/{family_id}/contact", "steering").status_code == 404
    assert api.call("GET", "/api/audit", "steering").status_code == 403
    entries = denied(api)
    assert [(e["actor"]["username"], e["denied"]["subject_type"], e["denied"]["reason"]) for e in entries] == [
        ("stina.steering", "audit", "role"), ("stina.steering", "family", "role"),
        ("sara.solna", "families", "role"), ("sam.sigtuna", "referral", "other_municipality")]
    assert entries[1]["denied"]["subject_id"] == entries[2]["denied"]["subject_id"] == family_id
    # A record that does not exist is a plain 404, not a denial; the owner's read is an access.
    assert api.call("GET", "/api/referrals/00000000-0000-4000-8000-000000000000", "other_municipality").status_code == 404
    assert api.call("GET", f"/api/referrals/{referral_id}", "municipality").status_code == 200
    assert len(denied(api)) == 4


def test_a_failing_denial_record_does_not_change_the_answer(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    referral_id = http_referral(api, "municipality")

    def broken(*aggregates: Any) -> Any:
        raise RuntimeError("the event store is down")

    monkeypatch.setattr(api.pool, "commit", broken)
    assert api.call("GET", f"/api/referrals/{referral_id}", "other_municipality").status_code == 404


def test_purpose_is_recorded_and_the_setting_makes_it_required(database_url: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMILJEPOOL_REQUIRE_PURPOSE", "1")
    for api in start_api(database_url, monkeypatch):
        family_id = http_published_family(api)
        r = api.call("GET", f"/api/families/{family_id}", "pool_staff")
        assert r.status_code == 422 and r.json()["field"] == "purpose" if "field" in r.json() else r.status_code == 422
        assert api.call("GET", f"/api/families/{family_id}?purpose=" + "x" * 101, "pool_staff").status_code == 422
        assert api.call("GET", f"/api/families/{family_id}?purpose=SN%202026/0412", "pool_staff").status_code == 200
        assert api.call("GET", f"/api/families/{family_id}", "admin").status_code == 403  # staff only, no purpose asked
        items = api.call("GET", f"/api/audit?aggregate={family_id}&actor=pia.staff", "admin").json()["items"]
        accesses = [i["access"] for i in items if i["entry_type"] == "access"]
        assert [a["purpose"] for a in accesses] == ["SN 2026/0412"]


@pytest.mark.parametrize("purpose", ["Anna Svensson", "Märta 2026", "a@b.se 1", "Dnr 721212-1219",
                                     "Dnr 2026/1" + "2" * 35, "besök hos familjen 3", "x\u00001"])
def test_a_purpose_that_is_not_a_case_reference_is_refused_and_nothing_is_read(
        app: PoolApplication, purpose: str) -> None:
    add_members(app)
    family_id = published_family(app)
    head = app.recorder.max_notification_id()
    with pytest.raises(InvalidInputError) as refused:
        app.family_personal_data(STAFF, family_id, via="test", purpose=purpose)
    assert (refused.value.code, refused.value.field) == ("access.purpose_not_case_reference", "purpose")
    assert app.recorder.max_notification_id() == head
    app.family_personal_data(STAFF, family_id, via="test", purpose=" Dnr 2026/123 ")
    assert app.recorder.max_notification_id() == head + 1


def test_http_purpose_is_a_case_reference(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for api in start_api(database_url, monkeypatch):
        family_id = http_published_family(api)
        referral_id = http_referral(api)
        head = api.pool.recorder.max_notification_id()
        for path in (f"/api/families/{family_id}", f"/api/families/{family_id}/contact", "/api/families",
                     f"/api/referrals/{referral_id}"):
            for purpose in ("Anna%20Svensson", "Dnr%20721212-1219", "SN%202026%2F0412%20Anna%20%C3%85"):
                r = api.call("GET", f"{path}?purpose={purpose}", "pool_staff")
                assert r.status_code == 422, (path, purpose, r.text)
                assert "access.purpose_not_case_reference" in r.text
                assert "Svensson" not in r.text and "721212" not in r.text  # never echoed
        assert api.pool.recorder.max_notification_id() == head
        r = api.call("GET", f"/api/families/{family_id}?purpose=Dnr%202026%2F123", "pool_staff")
        assert r.status_code == 200, r.text
        items = api.call("GET", f"/api/audit?aggregate={family_id}&actor=pia.staff", "admin").json()["items"]
        assert [i["access"]["purpose"] for i in items if i["entry_type"] == "access"] == ["Dnr 2026/123"]
