"""Content negotiation of the downloadable tables: `?format=` or `Accept`, and the CSV dialect."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import Query, Request, Response

from api.csv_dialects import DIALECTS, DialectName

CSV = "text/csv; charset=utf-8"
TEXT = {"schema": {"type": "string"}}
CSV_CONTENT = {"text/csv": TEXT}


class TableFormat(StrEnum):
    json = "json"
    csv = "csv"


class InvoiceFormat(StrEnum):
    pdf = "pdf"
    csv = "csv"


DialectQuery = Annotated[DialectName, Query(
    description="CSV only: `plain` (comma, decimal point, English headers) or `excel-sv` (semicolon, "
                "decimal comma, Swedish headers, UTF-8 with BOM: what Excel with Swedish settings opens)")]


def _accepted(accept: str) -> dict[str, float]:
    """Media ranges of an Accept header with their q (a malformed q counts as 0)."""
    out: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            if p.lower().startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media:
            out[media.lower()] = max(q, out.get(media.lower(), 0.0))
    return out


def wants_csv(request: Request, explicit: StrEnum | None, default_media: str) -> bool:
    """`?format=` decides when given; otherwise CSV when Accept names text/csv above the default media type."""
    if explicit is not None:
        return explicit.value == "csv"
    accepted = _accepted(request.headers.get("accept", ""))
    csv_q = accepted.get("text/csv", 0.0)
    return csv_q > 0 and csv_q >= accepted.get(default_media, 0.0)


def csv_download(text: str, dialect: DialectName, filename: str) -> Response:
    d = DIALECTS[dialect]
    if d.bom:
        filename = filename.removesuffix(".csv") + f"-{d.name}.csv"
    return Response(d.bom + text, media_type=CSV, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Vary": "Accept"})


def negotiated(response: Response) -> None:
    """The answer depends on Accept when `format` is left out: caches must keep the variants apart."""
    response.headers["Vary"] = "Accept"
