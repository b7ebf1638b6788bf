"""Optimistic concurrency with real concurrent writers: losers get a typed error, nothing is lost."""

import threading
from collections import Counter
from datetime import date, timedelta

import pytest

from pool.bootstrap import bootstrap, close
from pool.domain.family import Family
from pool.errors import ConcurrentUpdateError, RuleViolationError
from tests.conftest import STAFF
from tests.factories import add_members, approved_family, family_data
from tests.coded import raises

WRITERS = 6


@pytest.fixture
def apps(database_url, master_key):
    """Several application objects, as several API processes would have: separate connections."""
    instances = [bootstrap(database_url, master_key) for _ in range(WRITERS)]
    yield instances
    for instance in instances:
        close(instance)


def run_together(apps, command):
    barrier = threading.Barrier(len(apps))
    outcomes: list[object] = [None] * len(apps)

    def work(i, app):
        barrier.wait()
        try:
            outcomes[i] = command(app, i)
        except (ConcurrentUpdateError, RuleViolationError) as e:
            outcomes[i] = e

    threads = [threading.Thread(target=work, args=(i, a)) for i, a in enumerate(apps)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_two_stale_writers_one_wins_the_other_gets_a_conflict(apps):
    first, second = apps[0], apps[1]
    add_members(first)
    family_id = first.apply_family(STAFF, **family_data()).id
    a, b = first.load(Family, family_id), second.load(Family, family_id)
    a.record_training(STAFF.as_event_data(), "Grundkurs", date(2026, 1, 1))
    b.record_training(STAFF.as_event_data(), "Fördjupning", date(2026, 1, 2))
    first.commit(a)
    with raises(ConcurrentUpdateError, "record.concurrent_update", match="reload"):
        second.commit(b)
    assert [t["course"] for t in first.load(Family, family_id).training] == ["Grundkurs"]


def test_racing_placements_never_overrun_capacity(apps):
    add_members(apps[0])
    family_id = approved_family(apps[0], preferences={"max_children": 1})
    outcomes = run_together(apps, lambda app, i: app.start_placement(
        STAFF, family_id=family_id, municipality="0184", kind="familjehem", start_date="2026-10-01",
        planned_end_date="2027-10-01", child_birth_month="2015-01"))
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1
    assert all(isinstance(o, (ConcurrentUpdateError, RuleViolationError)) for o in outcomes if o not in winners)
    assert apps[0].load(Family, family_id).active_placements == [winners[0].id]


def test_every_acknowledged_write_is_kept_under_contention(apps):
    add_members(apps[0])
    family_id = apps[0].apply_family(STAFF, **family_data()).id
    acknowledged = Counter()

    def train(app, i):
        for n in range(10):
            while True:  # a client retrying after a conflict, as the error message tells it to
                try:
                    app.record_training(STAFF, family_id, course="handledning",
                                        completed_on=date(2026, 1, 1) + timedelta(10 * i + n))
                    acknowledged[i] += 1
                    break
                except ConcurrentUpdateError:
                    continue

    run_together(apps, train)
    family = apps[0].load(Family, family_id)
    assert sum(acknowledged.values()) == WRITERS * 10
    assert sorted(t["completed_on"] for t in family.training) == sorted(
        date(2026, 1, 1) + timedelta(10 * i + n) for i in range(WRITERS) for n in range(10))
    assert family.version == 1 + WRITERS * 10
