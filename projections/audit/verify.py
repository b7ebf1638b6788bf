"""`familjepool audit verify`: walk the chain against the event store; name the first broken entry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from pool.settings import Storage, load_audit_key
from projections.audit.chain import CONTENT_COLUMNS, GENESIS, Entry, intact
from projections.core.encoding import dumps
from projections.audit.view import PostgresAuditView, SQLiteAuditView
from projections.core.failures import FailureLog
from projections.core.storage import as_storage, open_datastore, open_reader
from projections.core.view import View

PAGE = 1000


@dataclass(frozen=True)
class Problem:
    position: int  # the entry (or, for a removed one, the event) where the chain first breaks
    kind: str  # changed | removed | inserted | event_changed | event_removed
    message: str


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int  # entries verified before the first problem
    position: int  # the last verified position (everything up to it is intact)
    problem: Problem | None
    parked: tuple[int, ...] = ()  # events the audit projection parked (FAMILJEPOOL_PARK_BAD_EVENTS): no entry

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rows(view: View) -> Iterator[dict[str, Any]]:
    after = 0
    while True:
        rows = view.query("SELECT * FROM {s}audit_log WHERE position > ? ORDER BY position LIMIT ?", [after, PAGE])
        yield from rows
        if len(rows) < PAGE:
            return
        after = int(rows[-1]["position"])


def _notifications(reader: Any, stop: int) -> Iterator[Any]:
    after = 0
    while after < stop:
        page = reader.recorder.select_notifications(after, PAGE, stop=stop, inclusive_of_start=False)
        yield from page
        if len(page) < PAGE:
            return
        after = page[-1].id


def walk(view: View, reader: Any, key: bytes, parked: frozenset[int] = frozenset()) -> Verification:
    """Each entry: an event exists at its position, its hash and HMAC hold, it links to the one
    before, it is what its event derives to, and its municipality follows from the events."""
    tracked = view.position()
    notes = _notifications(reader, tracked)
    note = next(notes, None)
    prev_hash, last, entries = GENESIS, 0, 0
    aggregates: dict[str, str] = {}

    skipped: list[int] = []

    def fail(position: int, kind: str, message: str) -> Verification:
        return Verification(False, entries, last, Problem(position, kind, message), tuple(skipped))

    for row in _rows(view):
        pos = int(row["position"])
        while note is not None and note.id < pos and note.id in parked:  # listed in projection_failures
            skipped.append(note.id)
            note = next(notes, None)
        if note is not None and note.id < pos:
            return fail(note.id, "removed", f"the entry at position {note.id} was removed (its event is still "
                                            f"in the event store)")
        content = [row[c] for c in CONTENT_COLUMNS]
        sound = intact(key, row["prev_hash"], content, row["hash"], row["hmac"])
        if note is None or note.id != pos:
            if sound and row["prev_hash"] == prev_hash:
                return fail(pos, "event_removed", f"the event at position {pos} ({row['event_id']}) was removed "
                                                  "from the event store; its entry is intact")
            return fail(pos, "inserted", f"the entry at position {pos} ({row['event_id']}) was inserted: "
                                         "no event in the event store and no valid HMAC")
        if not sound:
            return fail(pos, "changed", f"the entry at position {pos} ({row['event_id']}) was changed: its hash or "
                                        "HMAC does not match its content")
        if row["prev_hash"] != prev_hash:
            return fail(pos, "removed", f"an entry between positions {last} and {pos} was removed: the chain breaks")
        try:
            event = reader.mapper.to_domain_event(note)
            derived, own = Entry.derive(event, pos)
        except Exception:  # an edited stored event may not even decode
            derived, own = None, None
        if derived != content:
            return fail(pos, "event_changed", f"the stored event at position {pos} ({row['event_id']}) was changed: "
                                              "it no longer derives to its chained entry")
        aggregate_id = str(row["aggregate_id"])
        if own and row["aggregate_version"] == 1:
            aggregates.setdefault(aggregate_id, own)
        expected = own or aggregates.get(aggregate_id) or row["actor_municipality"]
        if row["municipality"] != expected:
            return fail(pos, "changed", f"the entry at position {pos} ({row['event_id']}) was changed: its "
                                        f"municipality is not the one its events give")
        prev_hash, last, entries = row["hash"], pos, entries + 1
        note = next(notes, None)
    while note is not None and note.id in parked:
        skipped.append(note.id)
        note = next(notes, None)
    if note is not None:
        return fail(note.id, "removed", f"the entry at position {note.id} was removed (its event is still in the "
                                        "event store)")
    return Verification(True, entries, last, None, tuple(skipped))


def verify(storage: Storage | str, key: bytes | None = None, record: bool = True) -> Verification:
    """Verify the whole trail; with `record`, store the outcome for /api/health."""
    storage = as_storage(storage)
    reader = open_reader(storage)
    view = (SQLiteAuditView if storage.backend == "sqlite" else PostgresAuditView)(datastore=open_datastore(storage))
    with storage.schema_setup():
        view.create_table()
    try:
        failures = FailureLog(storage, view.datastore).rows("audit")
        parked = frozenset(int(r["notification_id"]) for r in failures if r["state"] == "parked")
        result = walk(view, reader, key if key is not None else load_audit_key(), parked)
        if record:
            problem = dumps(asdict(result.problem)) if result.problem else None
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            view.execute_now([("verified", [result.position, result.entries, int(result.ok), problem, now])])
        return result
    finally:
        view.datastore.close()
        reader.close()
