"""Issue 13: the anonymous description is sealed under the family's key and reviewed by a second consultant."""

from __future__ import annotations

import pytest

from pool.application import PoolApplication
from pool.errors import ErasedError, RuleViolationError
from projections.bootstrap import ReadModelsImpl
from projections.runtime import rebuild
from tests.conftest import SECOND_STAFF, STAFF
from tests.factories import add_members, approved_family, published_family
from tests.integration.test_api_support import http_reviewed_description, problem, start_api
from tests.integration.test_sealing_at_rest import found, raw_bytes

TEXT = "Lugn familj med trädgård, två katter och en stor hängmatta."


def test_the_description_is_sealed_and_after_erasure_nowhere_readable(
        database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for api in start_api(database_url, monkeypatch):
        family_id = approved_family(api.pool)
        http_reviewed_description(api, family_id, TEXT)
        assert api.call("POST", f"/api/families/{family_id}/publish", "pool_staff").status_code == 200
        card = api.call("GET", f"/api/catalogue/{family_id}", "municipality").json()
        assert card["description"] == TEXT
        page = api.call("GET", "/api/catalogue", "municipality").json()
        assert [i["description"] for i in page["items"]] == [TEXT]
        staff = api.call("GET", f"/api/families/{family_id}?purpose=Dnr%202026%2F1", "pool_staff").json()
        assert staff["description"]["text"] == TEXT
        # Sealed in the events and in the catalogue view alike: the text is in no table, before erasure too.
        assert found(raw_bytes(api.pool), [TEXT, "hängmatta"]) == []

        assert api.call("POST", f"/api/families/{family_id}/erase", "pool_staff").status_code == 200
        assert api.call("GET", f"/api/catalogue/{family_id}", "municipality").status_code == 404
        assert found(raw_bytes(api.pool), [TEXT, "hängmatta"]) == []
        sealed = [n for n in api.pool.recorder.select_notifications(start=1, limit=1000)
                  if n.topic.endswith("Family.DescriptionSet")]
        event = api.pool.mapper.to_domain_event(sealed[0])
        with pytest.raises(ErasedError):
            api.pool.sealer.unseal(event.originator_id, event.description)


def test_a_rebuilt_catalogue_has_no_text_of_an_erased_family(app: PoolApplication, database_url: str) -> None:
    add_members(app)
    kept = published_family(app, description="Familj med häst och hage.")
    erased = published_family(app, description=TEXT)
    with ReadModelsImpl(database_url, sealer=app.sealer) as read_models:
        rebuild(database_url, "catalogue")
        assert read_models.catalogue_item(erased)["description"] == TEXT
        app.erase_family(STAFF, erased)
        rebuild(database_url, "catalogue")
        assert read_models.catalogue_item(erased) is None
        assert read_models.catalogue_item(kept)["description"] == "Familj med häst och hage."
        rows = read_models.views["catalogue"].query("SELECT description FROM {s}catalogue", [])
        assert len(rows) == 1 and all(r["description"].startswith("sealed:v1:") for r in rows)


def test_an_erased_key_makes_the_card_textless_even_before_the_catalogue_caught_up(app: PoolApplication,
                                                                                  database_url: str) -> None:
    """The catalogue opens the text at read time: no lag between destroying the key and the text going."""
    add_members(app)
    family_id = published_family(app, description=TEXT)
    with ReadModelsImpl(database_url, sealer=app.sealer) as read_models:
        rebuild(database_url, "catalogue")
        assert read_models.catalogue_item(family_id)["description"] == TEXT
        app.sealer.destroy(family_id)  # the key alone, the Erased event not yet projected
        assert read_models.catalogue_item(family_id)["description"] is None


def test_http_review_by_a_second_consultant(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for api in start_api(database_url, monkeypatch):
        family_id = approved_family(api.pool)
        base = f"/api/families/{family_id}"
        head = api.pool.recorder.max_notification_id()
        refusals = [("POST", f"{base}/publish", "pool_staff", None, 409, "family.no_description"),
                    ("POST", f"{base}/description/review", "second_staff", None, 409, "family.no_description"),
                    ("PUT", f"{base}/description", "pool_staff", {"description": "Ring 070-555 12 34"}, 422,
                     "family.description_personal_data")]
        for method, path, who, body, status, code in refusals:
            r = api.call(method, path, who, json=body)
            assert (r.status_code, problem(r)["code"]) == (status, code), r.text
        assert api.pool.recorder.max_notification_id() == head  # each refusal wrote nothing

        r = api.call("PUT", f"{base}/description", "pool_staff", json={"description": TEXT})
        assert r.status_code == 200, r.text
        head = api.pool.recorder.max_notification_id()
        for method, path, who, body, status, code in [
                ("POST", f"{base}/publish", "pool_staff", None, 409, "family.description_not_reviewed"),
                ("POST", f"{base}/publish", "second_staff", {"description": "En annan text om familjen."}, 409,
                 "family.description_not_reviewed"),
                ("POST", f"{base}/description/review", "pool_staff", None, 409,
                 "family.description_review_by_author"),
                ("POST", f"{base}/description/review", "municipality", None, 403, "auth.forbidden")]:
            r = api.call(method, path, who, json=body)
            assert r.status_code == status and (status == 403 or problem(r)["code"] == code), r.text
        assert api.pool.recorder.max_notification_id() == head

        assert api.call("POST", f"{base}/description/review", "second_staff").status_code == 200
        r = api.call("POST", f"{base}/description/review", "second_staff")
        assert (r.status_code, problem(r)["code"]) == (409, "family.description_already_reviewed")
        described = api.call("GET", f"{base}?purpose=Dnr%202026%2F7", "pool_staff").json()["description"]
        assert described["author"] == "pia.staff" and described["reviewed_by"] == "per.staff"
        assert described["reviewed_on"] and described["review_required"] is True
        assert api.call("POST", f"{base}/publish", "pool_staff").status_code == 200
        assert api.call("GET", f"/api/catalogue/{family_id}", "municipality").json()["description"] == TEXT

        # A changed text needs a new review; the catalogue keeps the published one meanwhile.
        r = api.call("PUT", f"{base}/description", "second_staff", json={"description": "Aktiv familj nära havet."})
        assert r.status_code == 200
        assert api.call("POST", f"{base}/publish", "second_staff").status_code == 409
        assert api.call("GET", f"/api/catalogue/{family_id}", "municipality").json()["description"] == TEXT
        assert api.call("POST", f"{base}/description/review", "pool_staff").status_code == 200
        assert api.call("POST", f"{base}/publish", "second_staff").status_code == 200
        card = api.call("GET", f"/api/catalogue/{family_id}", "municipality").json()
        assert card["description"] == "Aktiv familj nära havet."


def test_http_without_required_review_a_text_is_published_at_once(database_url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMILJEPOOL_REQUIRE_DESCRIPTION_REVIEW", "false")
    for api in start_api(database_url, monkeypatch):
        family_id = approved_family(api.pool)
        r = api.call("POST", f"/api/families/{family_id}/publish", "pool_staff", json={"description": TEXT})
        assert r.status_code == 200, r.text
        assert api.call("GET", f"/api/catalogue/{family_id}", "municipality").json()["description"] == TEXT
        described = api.call("GET", f"/api/families/{family_id}?purpose=Dnr%202026%2F7", "pool_staff").json()
        assert described["description"]["reviewed_by"] is None
        assert described["description"]["review_required"] is False


def test_the_same_text_again_records_nothing_and_keeps_its_review(app: PoolApplication) -> None:
    add_members(app)
    family_id = published_family(app, description=TEXT)
    head = app.recorder.max_notification_id()
    app.set_description(SECOND_STAFF, family_id, description=f"  {TEXT} ")
    assert app.recorder.max_notification_id() == head
    app.unpublish_family(STAFF, family_id)
    app.publish_family(STAFF, family_id)  # still reviewed
    with pytest.raises(RuleViolationError):
        app.review_description(SECOND_STAFF, family_id)
