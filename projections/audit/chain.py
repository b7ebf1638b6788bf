"""The audit chain: what one entry holds, its hash over the previous one, and its HMAC."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any, ClassVar

from eventsourcing.utils import get_topic

from pool.domain.access import AccessDenial, DataAccess
from projections.core.encoding import dumps, iso

GENESIS = "0" * 64  # the prev_hash of the first entry

# The chained columns of audit_log, in this order. `municipality` is not among them: it is derived
# (the event's own, else its aggregate's, else the actor's) and checked by `verify` against the events.
CONTENT_COLUMNS = (
    "position", "event_id", "topic", "event_name", "entry_type", "aggregate_type", "aggregate_id",
    "aggregate_version", "actor_user_id", "actor_username", "actor_role", "actor_municipality", "occurred_at",
    "subject_type", "subject_id", "via", "fields", "purpose", "reason",
)


class Entry:
    """Derives an entry's content from an event: the projection and `verify` use this one function."""

    _topics: ClassVar[dict[type, str]] = {}

    @classmethod
    def derive(cls, e: Any, position: int) -> tuple[list[Any], str | None]:
        """The content (CONTENT_COLUMNS order) and the event's own municipality, if it names one."""
        topic = cls._topics.get(type(e)) or cls._topics.setdefault(type(e), get_topic(type(e)))
        aggregate_type, _, event_name = topic.split(":", 1)[1].rpartition(".")
        actor = getattr(e, "actor", None) or {}
        own = getattr(e, "municipality", None)
        is_access, is_denial = isinstance(e, DataAccess.Recorded), isinstance(e, AccessDenial.Denied)
        subject = is_access or is_denial
        content = [
            position, f"{e.originator_id}:{e.originator_version}", topic, event_name,
            "access" if is_access else "denied" if is_denial else "event",
            aggregate_type.rpartition(".")[2], str(e.originator_id), e.originator_version,
            actor.get("user_id"), actor.get("username"), actor.get("role"), actor.get("municipality"),
            iso(e.timestamp),
            e.subject_type if subject else None,
            str(e.subject_id) if subject and e.subject_id is not None else None,
            e.via if subject else None,
            dumps(list(e.fields)) if is_access else None,
            e.purpose if is_access else None,
            e.reason if is_denial else None,
        ]
        return content, own if isinstance(own, str) else None


def entry_hash(prev_hash: str, content: Sequence[Any]) -> str:
    """SHA-256 over the previous hash and the content as canonical JSON."""
    data = json.dumps([prev_hash, list(content)], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()


def entry_hmac(key: bytes, hash_: str) -> str:
    """HMAC-SHA256 with a key that is not in the database: recomputing hashes alone forges nothing."""
    return hmac.new(key, hash_.encode(), hashlib.sha256).hexdigest()


def seal(key: bytes, prev_hash: str, content: Sequence[Any]) -> tuple[str, str]:
    h = entry_hash(prev_hash, content)
    return h, entry_hmac(key, h)


def intact(key: bytes, prev_hash: str, content: Sequence[Any], hash_: str, mac: str) -> bool:
    expected = entry_hash(prev_hash, content)
    return hmac.compare_digest(expected, hash_ or "") and hmac.compare_digest(entry_hmac(key, expected), mac or "")
