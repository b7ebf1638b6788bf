"""How values are written into view tables and read back, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timezone
from typing import Any


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def loads(value: str | None, default: Any = None) -> Any:
    return json.loads(value) if value else default


def bars(values: Sequence[str]) -> str:
    """A list stored as '|a|b|' so that one LIKE '%|a|%' finds a member (both backends)."""
    return "|" + "|".join(values) + "|" if values else ""


def unbars(value: str | None) -> list[str]:
    return [v for v in (value or "").split("|") if v]


def iso(ts: datetime) -> str:
    """Timestamps in one text form (UTC, microseconds) so both backends compare them as text."""
    return ts.astimezone(timezone.utc).isoformat(timespec="microseconds")


def day(value: date | datetime | str) -> str:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)


def code_of(seq: int | None) -> str | None:
    return f"FP-{int(seq):04d}" if seq is not None else None


def days_since(iso_day_or_ts: str | None, today: date | None = None) -> int | None:
    if not iso_day_or_ts:
        return None
    then = date.fromisoformat(iso_day_or_ts[:10])
    return ((today or date.today()) - then).days
