"""PoolApplication on both backends: the same suite runs on SQLite and on PostgreSQL."""

from datetime import date
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from pool.domain.family import Family, FamilyStatus
from pool.domain.referral import Referral, ReferralStatus
from pool.errors import (InvalidInputError, NotFoundError, PermissionDeniedError, RuleViolationError,
                         VersionMismatchError)
from tests.conftest import ADMIN, SIGTUNA, SOLNA, STAFF, STEERING, SYSTEM
from tests.factories import add_members, approved_family, family_data, published_family, referral_data
from tests.coded import raises


def head(app) -> int:
    return app.recorder.max_notification_id() or 0


def test_whole_flow_from_application_to_ended_placement(app):
    add_members(app)
    family_id = published_family(app, preferences={"max_children": 1, "child_age_min": 3, "child_age_max": 15},
                                 applied_on="2026-08-01")
    referral_id = app.register_referral(SOLNA, **referral_data()).id
    interest = app.express_interest(SOLNA, family_id, referral_id=referral_id, message="Passar vårt barn",
                                    interest_on="2026-09-10")
    with pytest.raises(NotFoundError):
        app.family_contact(SOLNA, family_id, via="test")  # not before brokering
    app.broker_interest(STAFF, interest.id, brokered_on="2026-09-20")
    assert app.load(Referral, referral_id).status is ReferralStatus.MATCHED
    contact = app.family_contact(SOLNA, family_id, via="test")
    assert contact["names"] == ["Kalle Testsson", "Lisa Provsdotter"]
    with pytest.raises(NotFoundError):
        app.family_contact(SIGTUNA, family_id, via="test")  # another member was not brokered
    placement = app.start_placement(STAFF, family_id=family_id, municipality="0184", kind="familjehem",
                                    referral_id=referral_id, start_date="2026-10-01",
                                    planned_end_date="2027-09-30", child_birth_month="2016-05")
    assert app.load(Referral, referral_id).status is ReferralStatus.PLACED
    with raises(RuleViolationError, "family.no_free_capacity", match="no free capacity"):
        app.start_placement(STAFF, family_id=family_id, municipality="0191", kind="familjehem",
                            start_date="2026-10-02", planned_end_date="2027-01-01", child_birth_month="2014-01")
    app.end_placement(STAFF, placement.id, end_date="2026-11-01", reason="breakdown")
    app.start_placement(STAFF, family_id=family_id, municipality="0191", kind="familjehem",
                        start_date="2026-11-02", planned_end_date="2027-01-01", child_birth_month="2014-01")


def test_migration_of_existing_records_accepts_past_dates(app):
    add_members(app, joined_on="2015-01-01")
    family_id = approved_family(app, applied_on="2018-02-01")
    saved = app.start_placement(STAFF, family_id=family_id, municipality="0163", kind="familjehem",
                                start_date="2019-01-01", planned_end_date="2020-12-31", child_birth_month="2010-03")
    assert saved.version == 1


@pytest.mark.parametrize("bad, field", [
    ({"kinds": ["barnvakt"]}, "kinds"),
    ({"kinds": []}, "kinds"),
    ({"home_municipality": "Solna"}, "home_municipality"),
    ({"adults": []}, "adults"),
    ({"adults": [{"name": "X Y", "personal_number": "19721212-1218"}]}, "adults[0].personal_number"),
    ({"adults": [{"name": " ", "personal_number": "19721212-1219"}]}, "adults[0].name"),
    ({"contact": {"address": "", "postal_code": "1", "city": "c", "phone": "1"}}, "contact.address"),
    ({"preferences": {"child_age_min": 12, "child_age_max": 3}}, "preferences.child_age_min"),
    ({"preferences": {"max_children": 0}}, "preferences.max_children"),
])
def test_bad_input_is_refused_with_the_field_and_writes_nothing(app, bad, field):
    add_members(app)
    before = head(app)
    with pytest.raises(InvalidInputError) as err:
        app.apply_family(STAFF, **family_data(**bad))
    assert err.value.field == field
    assert head(app) == before


def test_broken_rule_writes_nothing(app):
    add_members(app)
    family_id = app.apply_family(STAFF, **family_data()).id
    before = head(app)
    with raises(RuleViolationError, "family.checklist_incomplete", match="incomplete"):
        app.approve_family(STAFF, family_id)
    with raises(RuleViolationError, "family.not_approved", match="not approved"):
        app.start_placement(STAFF, family_id=family_id, municipality="0184", kind="familjehem",
                            start_date="2026-10-01", planned_end_date="2027-01-01", child_birth_month="2016-01")
    assert head(app) == before


def test_roles_are_enforced_by_the_application(app):
    add_members(app)
    with pytest.raises(PermissionDeniedError):
        app.apply_family(SOLNA, **family_data())
    with pytest.raises(PermissionDeniedError):
        app.put_member(STAFF, "0180", name="Stockholm", joined_on="2026-01-01")
    with pytest.raises(PermissionDeniedError):
        app.add_user(STEERING, "eve", role="admin", password="x" * 12)
    assert app.set_budget(STEERING, 2027, amount_sek="7300000.00").version == 1


def test_a_municipality_never_reaches_another_municipalitys_referral_or_interest(app):
    add_members(app)
    family_id = published_family(app)
    referral_id = app.register_referral(SOLNA, **referral_data()).id
    with pytest.raises(NotFoundError):
        app.withdraw_referral(SIGTUNA, referral_id)
    with pytest.raises(NotFoundError):
        app.referral_text(SIGTUNA, referral_id, via="test")
    with pytest.raises(NotFoundError):
        app.express_interest(SIGTUNA, family_id, referral_id=referral_id)
    interest_id = app.express_interest(SOLNA, family_id).id
    with pytest.raises(NotFoundError):
        app.withdraw_interest(SIGTUNA, interest_id)
    with pytest.raises(InvalidInputError):
        app.register_referral(SOLNA, municipality="0191", **referral_data())
    assert app.referral_text(SOLNA, referral_id, via="test")["wishes"] == "Gärna nära Solna."


def test_interest_only_in_published_families(app):
    add_members(app)
    family_id = approved_family(app)
    with pytest.raises(NotFoundError):
        app.express_interest(SOLNA, family_id)
    with pytest.raises(NotFoundError):
        app.express_interest(SOLNA, uuid4())


def test_expected_version_guards_against_stale_clients(app):
    add_members(app)
    family_id = app.apply_family(STAFF, **family_data()).id
    app.record_investigation_step(STAFF, family_id, step="interview", outcome="clear", note="", expected_version=1)
    with pytest.raises(VersionMismatchError) as err:
        app.record_investigation_step(STAFF, family_id, step="police_register", outcome="clear", expected_version=1)
    assert (err.value.expected, err.value.actual) == (1, 2)


def test_users_authenticate_and_disabled_users_do_not(app):
    add_members(app)
    app.add_user(ADMIN, "Sara.Solna", role="municipality", municipality="0184", password="correct horse battery")
    actor = app.authenticate("sara.solna", "correct horse battery")
    assert actor and actor.municipality == "0184" and actor.role == "municipality"
    assert app.authenticate("sara.solna", "wrong password!") is None
    assert app.authenticate("nobody", "correct horse battery") is None
    with raises(RuleViolationError, "user.exists", match="already exists"):
        app.add_user(ADMIN, "sara.solna", role="steering", password="another long one")
    with raises(InvalidInputError, match="municipality"):
        app.add_user(ADMIN, "kim", role="municipality", password="long enough pw")
    app.disable_user(ADMIN, "sara.solna")
    assert app.authenticate("sara.solna", "correct horse battery") is None
    raw = app.recorder.select_notifications(start=1, limit=1000)
    assert not any(b"correct horse" in n.state for n in raw)  # only the argon2 hash is stored


def test_members_budgets_and_population_figures(app):
    add_members(app, joined_on="2019-01-01")
    assert app.put_member(SYSTEM, "0184", name="Solna", joined_on="2019-01-01") is None  # unchanged: no event
    app.record_child_population(SYSTEM, "0184", 2025, children=16_234, source="SCB 2025-12-31")
    assert app.member("0184").child_population[2025]["children"] == 16_234
    app.set_budget(SYSTEM, 2026, amount_sek="7300000.5")
    assert str(app.budget(2026).amount_sek) == "7300000.50"
    with raises(InvalidInputError, "value.amount_not_whole_ore", match="öre"):
        app.set_budget(SYSTEM, 2026, amount_sek="1.001")
    app.member_leaves(SYSTEM, "0191", left_on="2025-12-31")
    with raises(InvalidInputError, match="not a member"):
        app.register_referral(SIGTUNA, **referral_data())


def test_referral_registered_v1_events_are_upcast(app):
    """Version 1 of Referral.Registered had no `wishes`; stored v1 events still load."""
    add_members(app)
    referral_id = app.register_referral(SOLNA, **referral_data()).id
    stored_v2 = app.recorder.select_events(referral_id)[0]
    state = app.mapper.transcoder.decode(stored_v2.state)
    assert state.pop("class_version") == 2
    del state["wishes"]
    old_id = uuid4()
    app.recorder.insert_events([StoredEvent(originator_id=old_id, originator_version=1, topic=stored_v2.topic,
                                            state=app.mapper.transcoder.encode(state))])
    upcast = app.load(Referral, old_id)
    assert upcast.wishes == "" and upcast.status is ReferralStatus.OPEN and upcast.decision_date == date(2026, 9, 1)


def test_erased_family_loses_its_personal_data_but_keeps_its_history(app):
    add_members(app)
    family_id = published_family(app)
    assert app.family_personal_data(STAFF, family_id, via="test")["adults"][0]["name"] == "Kalle Testsson"
    app.erase_family(STAFF, family_id)
    family = app.load(Family, family_id)
    assert family.status is FamilyStatus.ERASED and family.kinds  # history survives
    assert not app.sealer.can_unseal(family_id)
    with pytest.raises(RuleViolationError):
        app.family_personal_data(STAFF, family_id, via="test")
