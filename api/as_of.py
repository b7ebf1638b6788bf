"""The `as_of` query parameter: a past moment to answer as the system knew it then (docs/api.md)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Query

from pool.errors import InvalidInputError

# A moment without an offset is Swedish local time: what the pages' date-time field sends.
LOCAL = ZoneInfo("Europe/Stockholm")


def parse_as_of(text: str | None, now: datetime | None = None) -> datetime | None:
    """An ISO date-time (with or without offset) or a date (the END of that day, Swedish time; today: now).

    A moment after now is refused (422): the system cannot know it yet.
    """
    if text is None or not text.strip():
        return None
    now = now or datetime.now(timezone.utc)
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            end = datetime.combine(day + timedelta(days=1), time(), LOCAL) - timedelta(microseconds=1)
            moment = min(end, now.astimezone(LOCAL)) if day == now.astimezone(LOCAL).date() else end
        else:
            moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=LOCAL)
        utc = moment.astimezone(timezone.utc)
    except (ValueError, OverflowError):  # not a moment, or one at the calendar's very ends
        raise InvalidInputError("as_of.invalid", field="as_of") from None
    if utc > now:
        raise InvalidInputError("as_of.future", field="as_of")
    return utc


async def get_as_of(as_of: Annotated[str | None, Query(
        description="answer as the system knew it at this moment (recording time): an ISO date-time, with an "
                    "offset or in Swedish local time, or a date (the end of that day); not in the future",
        examples=["2026-11-30T12:00:00+01:00", "2026-11-30"], max_length=40)] = None) -> datetime | None:
    return parse_as_of(as_of)  # async: no I/O, so no thread-pool hand-over per request


AsOf = Annotated[datetime | None, Depends(get_as_of)]


def as_of_day(as_of: datetime | None) -> date | None:
    """The day a past moment falls on in Sweden (for what depends on the day, like overdue); None: today."""
    return as_of.astimezone(LOCAL).date() if as_of is not None else None


def stated(as_of: datetime | None) -> str | None:
    """The moment a response says it answers for (UTC, ISO), or None for now."""
    return as_of.isoformat() if as_of is not None else None
