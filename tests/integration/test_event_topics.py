"""Stored events name their class by topic: every topic the product stores today still resolves and loads."""

from __future__ import annotations

from pathlib import Path

from datetime import date, timedelta

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic, resolve_topic

from pool.application import PoolApplication
from tests.conftest import SOLNA
from tests.factories import STAFF, add_members, published_family, referral_data

# Generated once from the code (every event class of every aggregate in pool/domain/); a topic
# removed from this list means stored events that would no longer load: use `register_topic`.
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "event_topics.txt"


def golden_topics() -> list[str]:
    return [t for t in GOLDEN.read_text().split() if t]


def test_every_golden_topic_resolves_to_the_class_that_stores_it() -> None:
    topics = golden_topics()
    assert len(topics) >= 50
    for topic in topics:
        assert get_topic(resolve_topic(topic)) == topic


def test_events_stored_today_use_golden_topics_and_load(app: PoolApplication) -> None:
    add_members(app)
    family_id = published_family(app)
    referral_id = app.register_referral(STAFF, municipality="0184", **referral_data()).id
    golden = set(golden_topics())
    stored = app.recorder.select_notifications(start=1, limit=1000)
    assert {n.topic for n in stored} <= golden
    for n in stored:  # each stored event decodes into its class again
        event = app.mapper.to_domain_event(n)
        assert get_topic(type(event)) == n.topic
    assert app.repository.get(family_id).version > 1
    assert app.repository.get(referral_id).version == 1


def test_a_version_1_published_event_keeps_its_plain_description_readable(app: PoolApplication) -> None:
    """Published before descriptions were sealed: the stored event is never rewritten; the upcaster
    moves its text to `plain_description`, which the aggregate and the catalogue still read."""
    add_members(app)
    family_id = published_family(app)
    app.unpublish_family(STAFF, family_id)
    stored = next(n for n in app.recorder.select_notifications(start=1, limit=1000)
                  if n.topic == "pool.domain.family:Family.Published")
    state = app.mapper.transcoder.decode(stored.state)
    assert state["class_version"] == 3 and state["description"].startswith("sealed:v1:")
    del state["class_version"], state["plain_description"], state["published_on"]
    state["description"] = "Familj med katt, från före förseglingen."  # as version 1 stored it
    v1 = StoredEvent(originator_id=stored.originator_id, originator_version=stored.originator_version,
                      topic=stored.topic, state=app.mapper.transcoder.encode(state))
    event = app.mapper.to_domain_event(v1)
    assert (event.description, event.plain_description) == (None, "Familj med katt, från före förseglingen.")
    family = app.repository.get(family_id, version=stored.originator_version - 1)
    event.mutate(family)
    assert app.description_text(family) == "Familj med katt, från före förseglingen."


# Events that gained a business date (issue 11): the field and the class version that added it.
DATED = {"pool.domain.family:Family.InvestigationStepRecorded": ("step_done_on", 2),
         "pool.domain.family:Family.Published": ("published_on", 3),
         "pool.domain.family:Family.Unpublished": ("unpublished_on", 2),
         "pool.domain.family:Family.ContactReleased": ("brokered_on", 2),
         "pool.domain.family:Family.LinkClosed": ("ended_on", 2),
         "pool.domain.family:Family.Withdrawn": ("withdrawn_on", 2),
         "pool.domain.interest:Interest.Expressed": ("interest_on", 2),
         "pool.domain.interest:Interest.Brokered": ("brokered_on", 3),
         "pool.domain.interest:Interest.LinkEnded": ("ended_on", 2),
         "pool.domain.referral:Referral.FamiliesProposed": ("proposed_on", 2),
         "pool.domain.referral:Referral.Matched": ("matched_on", 2),
         "pool.domain.referral:Referral.Withdrawn": ("withdrawn_on", 2)}


def test_events_from_before_business_dates_are_upcast_to_their_recording_date(app: PoolApplication) -> None:
    """An event stored without its business date happened the day it was recorded (`timestamp`)."""
    add_members(app)
    earlier = date.today() - timedelta(days=3)
    family_id = published_family(app)
    referral_id = app.register_referral(STAFF, municipality="0184", **referral_data(decision_date=earlier)).id
    app.propose_families(STAFF, referral_id, family_ids=[family_id])
    interest_id = app.express_interest(SOLNA, family_id, referral_id=referral_id).id
    app.broker_interest(STAFF, interest_id)
    app.end_link_not_started(STAFF, interest_id, outcome="family_declined")
    app.unpublish_family(STAFF, family_id)
    app.withdraw_family(STAFF, family_id, reason="Flyttar.")
    app.withdraw_referral(STAFF, referral_id)
    seen = set()
    for stored in app.recorder.select_notifications(start=1, limit=1000):
        if stored.topic not in DATED:
            continue
        field, version = DATED[stored.topic]
        state = app.mapper.transcoder.decode(stored.state)
        assert state["class_version"] == version and field in state
        del state[field]
        state["class_version"] = version - 1  # the shape stored before the date existed
        old = StoredEvent(originator_id=stored.originator_id, originator_version=stored.originator_version,
                          topic=stored.topic, state=app.mapper.transcoder.encode(state))
        event = app.mapper.to_domain_event(old)
        assert getattr(event, field) == event.timestamp.date(), stored.topic
        seen.add(stored.topic)
    assert seen == set(DATED)
