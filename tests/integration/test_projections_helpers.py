"""Shared helpers of the projection tests: a varied history and raw snapshots of every view."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from pool.application import PoolApplication
from projections.registry import VIEW_CLASSES
from projections.core.view import View
from tests.conftest import SIGTUNA, SOLNA, STAFF, SYSTEM
from tests.factories import add_members, approved_family, published_family, referral_data


def history(app: PoolApplication) -> dict[str, Any]:
    """Families in every state, referrals and interests of two members, placements, reads, an erasure."""
    add_members(app)
    ids: dict[str, Any] = {}
    ids["published"] = published_family(app)
    ids["full"] = published_family(app, preferences={"child_age_min": 0, "child_age_max": 6, "max_children": 1,
                                                     "siblings_ok": False, "languages": ["fi"]},
                                   home_municipality="0184", kinds=["familjehem"], applied_on="2025-03-01")
    ids["unpublished"] = published_family(app, kinds=["kontaktperson"], home_municipality="1280")
    app.unpublish_family(STAFF, ids["unpublished"])
    ids["erased"] = published_family(app)
    app.record_training(STAFF, ids["published"], course="ett-hem-att-vaxa-i", completed_on="2025-05-01")
    ids["applicant"] = app.apply_family(STAFF, **_applicant()).id
    ids["approved"] = approved_family(app)
    ids["r_solna"] = app.register_referral(SOLNA, **referral_data()).id
    ids["r_sigtuna"] = app.register_referral(SIGTUNA, **referral_data(kind="jourhem", legal_basis="LVU",
                                                                       decision_date="2024-12-01")).id
    app.propose_families(STAFF, ids["r_solna"], family_ids=[ids["published"], ids["full"]])
    ids["i_solna"] = app.express_interest(SOLNA, ids["published"], referral_id=ids["r_solna"]).id
    ids["i_sigtuna"] = app.express_interest(SIGTUNA, ids["published"], referral_id=ids["r_sigtuna"]).id
    # Dated before the placement that ends its link (business dates, issue 11).
    ids["i_solna2"] = app.express_interest(SOLNA, ids["full"], interest_on="2025-04-01").id
    app.broker_interest(STAFF, ids["i_solna2"], brokered_on="2025-05-01")
    ids["p_solna"] = app.start_placement(STAFF, family_id=ids["full"], municipality="0184", kind="familjehem",
                                         start_date="2025-06-01", planned_end_date="2026-06-01",
                                         child_birth_month="2022-03").id
    ids["p_sigtuna"] = app.start_placement(STAFF, family_id=ids["published"], municipality="0191",
                                           kind="jourhem", start_date="2025-01-01", planned_end_date="2025-03-01",
                                           child_birth_month="2015-03", referral_id=ids["r_sigtuna"]).id
    app.end_placement(STAFF, ids["p_sigtuna"], end_date="2025-02-15", reason="breakdown")
    app.family_personal_data(STAFF, ids["erased"], via="GET /api/families/x/personal")
    app.erase_family(SYSTEM, ids["erased"])
    # Reference data for the steering view: figures, placed children set and corrected, budgets, users, leaving.
    app.record_child_population(SYSTEM, "0184", 2025, children=17012, source="SCB")
    app.record_placed_children(SYSTEM, "0191", 2025, children=4)
    app.record_placed_children(SYSTEM, "0184", 2025, children=2, source="IFO")
    app.record_placed_children(SYSTEM, "0184", 2025, children=3, source="IFO, rättad")
    app.set_budget(SYSTEM, 2026, amount_sek="7300000.00")
    app.set_budget(SYSTEM, 2026, amount_sek="7310000.00")
    username = f"kim.{uuid4().hex[:8]}"  # history() may run twice on one store
    app.add_user(SYSTEM, username, role="municipality", municipality="0184", password="ett långt lösenord")
    app.disable_user(SYSTEM, username)
    if app.member("0139").left_on is None:
        app.member_leaves(SYSTEM, "0139", left_on="2026-12-31")
    saved = app.referral_text(SOLNA, ids["r_solna"], via="GET /api/referrals/x/text")
    ids["last"] = app.recorder.max_notification_id()
    del saved
    return ids


def _applicant() -> dict[str, Any]:
    from tests.factories import family_data

    return family_data(adults=[{"name": "Greta Väntarsson", "personal_number": "19900101-0017"}])


def snapshot(view: View) -> dict[str, list[tuple]]:
    """Every row of every table of a view, in a canonical order (bools/ints normalised)."""
    result = {}
    for table in view.TABLES:
        rows = view.query(f"SELECT * FROM {{s}}{table}")
        norm = [tuple((k, int(v) if isinstance(v, bool) else v) for k, v in sorted(r.items())) for r in rows]
        result[table] = sorted(norm, key=repr)
    return result


def views_of(read_models: Any) -> dict[str, View]:
    return read_models.views


def view_classes(backend: str) -> dict[str, type[View]]:
    return {name: classes[backend] for name, classes in VIEW_CLASSES.items()}
