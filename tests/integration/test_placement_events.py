"""Placement events kept in the store: version-1 `Started` (no age override) still loads and reads."""

from __future__ import annotations

from uuid import uuid4

from eventsourcing.persistence import StoredEvent

from pool.application import PoolApplication
from pool.domain.placement import Placement
from tests.conftest import STAFF
from tests.factories import add_members, approved_family


def test_placement_started_v1_events_are_upcast_without_an_override(app: PoolApplication) -> None:
    add_members(app)
    family_id = approved_family(app)
    placement_id = app.start_placement(STAFF, family_id=family_id, municipality="0184", kind="familjehem",
                                       start_date="2026-10-01", planned_end_date="2027-10-01",
                                       child_birth_month="2016-05").id
    stored_v2 = app.recorder.select_events(placement_id)[0]
    state = app.mapper.transcoder.decode(stored_v2.state)
    assert state.pop("class_version") == 2 and state["age_override"] is False
    del state["age_override"], state["age_override_reason"]
    old_id = uuid4()
    app.recorder.insert_events([StoredEvent(originator_id=old_id, originator_version=1, topic=stored_v2.topic,
                                            state=app.mapper.transcoder.encode(state))])
    old = app.load(Placement, old_id)
    assert old.age_override is False and old.age_override_reason == "" and old.extensions == []
    assert app.placement_text(STAFF, old_id, via="test") == {"age_override": False, "age_override_reason": "",
                                                             "extensions": []}
