"""Generated pool history for the large benchmarks: the application's own commands, saved in batches.

``BatchingApp`` is the PoolApplication with ``commit`` deferred: every command still validates,
seals and checks its rules in the aggregate, but the changed aggregates are kept in memory and
written by one ``save`` per batch (one transaction) instead of one per command.
"""

from __future__ import annotations

import random
import uuid
from datetime import date
from typing import Any
from uuid import UUID

from pool.actors import Actor, Role
from pool.application import PoolApplication
from pool.base import Saved
from pool.errors import NotFoundError, VersionMismatchError

KINDS = ["familjehem", "jourhem", "kontaktfamilj", "kontaktperson", "korttidsfamilj"]
LANGUAGES = ["sv", "ar", "so", "fi", "fa", "en", "ti", "pl"]  # ISO 639 codes (pool/codes.py)
STEPS = ["police_register", "social_register", "reference_1", "reference_2", "interview", "home_visit"]
STAFF = Actor(uuid.uuid4(), "bench.staff", Role.POOL_STAFF)
REVIEWER = Actor(uuid.uuid4(), "bench.reviewer", Role.POOL_STAFF)


class BatchingApp(PoolApplication):
    """Commands as usual; their saves are collected and written by flush()."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.pending: dict[UUID, Any] = {}

    def load(self, cls: type, aggregate_id: UUID, expected_version: int | None = None) -> Any:
        aggregate = self.pending.get(aggregate_id)
        if aggregate is None:
            return super().load(cls, aggregate_id, expected_version)
        if not isinstance(aggregate, cls):
            raise NotFoundError(f"no {cls.__name__.lower()} with id {aggregate_id}")
        if expected_version is not None and aggregate.version != expected_version:
            raise VersionMismatchError(expected_version, aggregate.version)
        return aggregate

    def commit(self, *aggregates: Any) -> Saved:
        for a in aggregates:
            self.pending[a.id] = a
        return Saved(id=aggregates[0].id, version=aggregates[0].version, position=None)

    def flush(self) -> None:
        if self.pending:
            self.save(*self.pending.values())
            self.pending.clear()


def municipality_actor(code: str) -> Actor:
    return Actor(uuid.uuid5(uuid.NAMESPACE_OID, code), f"bench.{code}", Role.MUNICIPALITY, code)


def family_data(rng: random.Random, members: list[str]) -> dict[str, Any]:
    low = rng.randrange(0, 12)
    return {
        "kinds": sorted(rng.sample(KINDS[:3], rng.randrange(1, 3))),
        "home_municipality": rng.choice(members),
        "adults": [{"name": "Kalle Testsson", "personal_number": "19721212-1219"}],
        "children_at_home_birth_years": [2014],
        "contact": {"address": "Provgränd 7", "postal_code": "19130", "city": "Sollentuna", "phone": "070-555 12 34",
                    "email": "testsson@example.se"},
        "preferences": {"child_age_min": low, "child_age_max": rng.randrange(low, 18),
                        "max_children": rng.randrange(1, 4), "siblings_ok": rng.random() < 0.5,
                        "languages": sorted(rng.sample(LANGUAGES, rng.randrange(1, 3)))},
    }


def published(app: BatchingApp, rng: random.Random, members: list[str]) -> tuple[UUID, str]:
    """Application, six investigation steps, approval, training, description, review, publication: 12 events."""
    data = family_data(rng, members)
    # Business dates in order (issue 11): applied, investigated, approved, published before the placements.
    family = app.apply_family(STAFF, **data, applied_on=date(2025, 1, 15)).id
    for step in STEPS:
        app.record_investigation_step(STAFF, family, step=step, outcome="clear", note="ok",
                                      step_done_on=date(2025, 2, 1))
    app.approve_family(STAFF, family, approved_on=date(2025, 3, 1))
    app.record_training(STAFF, family, course="ett-hem-att-vaxa-i", completed_on=date(2025, 4, 1))
    app.set_description(STAFF, family, description="Aktiv familj med hund, nära skog och sjö.")
    app.review_description(REVIEWER, family)  # a second consultant ("granskad av")
    app.publish_family(STAFF, family, published_on=date(2025, 3, 10))
    return family, data["kinds"][0]


def placed(app: BatchingApp, rng: random.Random, members: list[str], family: UUID, kind: str) -> None:
    """Referral, proposal, interest, brokering, placement and its end: about 10 more events."""
    code = rng.choice(members)
    who = municipality_actor(code)
    referral = app.register_referral(who, kind=kind, legal_basis="SoL", decision_date="2025-05-01",
                                     child_birth_month="2016-05", needs="Lugn miljö.", wishes="").id
    app.propose_families(STAFF, referral, family_ids=[family], proposed_on="2025-05-02")
    interest = app.express_interest(who, family, referral_id=referral, message="Vi är intresserade.",
                                    interest_on="2025-05-05").id
    app.broker_interest(STAFF, interest, brokered_on="2025-05-20")
    placement = app.start_placement(STAFF, family_id=family, municipality=code, kind=kind, start_date="2025-06-01",
                                    planned_end_date="2026-06-01", child_birth_month="2016-05",
                                    referral_id=referral, age_override=True,  # used only outside the family's ages
                                    age_override_reason="Placeras med sitt syskon.").id
    app.end_placement(STAFF, placement, end_date="2025-12-01", reason="planned")


def generate(app: BatchingApp, families: int, members: list[str], with_history: bool, batch: int = 50,
             seed: int = 7) -> None:
    """`families` published families; with_history adds a referral, interest and placement to each."""
    rng = random.Random(seed)
    for i in range(families):
        family, kind = published(app, rng, members)
        if with_history:
            placed(app, rng, members, family, kind)
        if (i + 1) % batch == 0:
            app.flush()
    app.flush()
