"""Pages "as they were": the "Visa som den var den …" choice, read from ?as_of= (api/as_of.py decides what it means)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from fastapi import Request

from api.as_of import LOCAL, parse_as_of
from api.deps import get_read_models
from pool.actors import Role
from pool.errors import PoolError
from projections.contract import ReadModels

# Who is offered the choice on the pages (the API takes as_of from every role that may read the list).
OFFERED_TO = {Role.POOL_STAFF, Role.STEERING}


@dataclass(frozen=True)
class PastChoice:
    moment: datetime | None  # UTC; None: now
    value: str = ""  # what the date-time field shows (Swedish local time, minutes)
    shown: str = ""  # the banner's "den 3 december 2026 kl. 14.05"
    error: str | None = None
    now_url: str = ""  # the same page and filters, now
    kept: list[tuple[str, str]] = field(default_factory=list)  # the other query parameters, kept by the form


def past_choice(request: Request) -> PastChoice:
    raw = (request.query_params.get("as_of") or "").strip()
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("as_of", "sida")]
    now_url = request.url.path + (f"?{urlencode(kept)}" if kept else "")
    try:
        moment = parse_as_of(raw)
    except PoolError as e:
        message = ("Tidpunkten ligger i framtiden – välj en tidpunkt fram till nu." if e.code == "as_of.future"
                   else "Ange en tidpunkt som ÅÅÅÅ-MM-DD TT:MM.")
        return PastChoice(None, raw, error=message, now_url=now_url, kept=kept)
    if moment is None:
        return PastChoice(None, now_url=now_url, kept=kept)
    local = moment.astimezone(LOCAL)
    return PastChoice(moment, local.strftime("%Y-%m-%dT%H:%M:%S"), f"{local:%Y-%m-%d} kl. {local:%H.%M}",
                      now_url=now_url, kept=kept)


def read_models_at(request: Request, choice: PastChoice) -> ReadModels:
    return get_read_models(request).at(choice.moment)
