"""The cost allocation of a year's budget over the members, and each member's invoice basis."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from api.csv_dialects import DIALECTS, DialectName
from api.deps import ReadModelsDep, roles
from api.errors import PROBLEMS
from api.reports import allocation_csv, allocation_document, invoice_csv, invoice_pdf, population_sources
from api.routes.downloads import (
    CSV_CONTENT, DialectQuery, InvoiceFormat, TableFormat, csv_download, negotiated, wants_csv,
)
from api.schemas.common import Year
from api.schemas.reference import AllocationPublic
from pool.actors import Actor, Role
from pool.errors import NotFoundError

router = APIRouter(tags=["allocations"], responses=PROBLEMS)
# The whole table is open to every role: members agreed to see each other's figures and amounts.
AllocationReader = Annotated[Actor, Depends(roles(Role.ADMIN, Role.STEERING, Role.POOL_STAFF, Role.MUNICIPALITY))]
KommunkodPath = Annotated[str, Path(pattern=r"^[0-9]{4}$", examples=["0184"], description="the member's kommunkod")]
PDF = "application/pdf"


def attachment(body: bytes, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                                          "Vary": "Accept"})


@router.get("/allocations/{year}", response_model=AllocationPublic, responses={
    200: {"description": "The allocation; `?format=csv` (or `Accept: text/csv`) gives the member rows as CSV",
          "content": CSV_CONTENT},
    404: {"description": "No budget is set for the year"},
    409: {"description": "A member has no population figure (named), or no member covers the year"}})
def get_allocation(year: Year, actor: AllocationReader, read_models: ReadModelsDep, request: Request,
                   response: Response,
                   format: Annotated[TableFormat | None, Query(description="json (default) or csv")] = None,
                   dialect: DialectQuery = DialectName.plain) -> Any:
    """Each member's share of the year's budget (half by children 0-17, half by placed children, on 1 Nov Y-1)."""
    allocation = read_models.allocation(year)
    sources = population_sources(read_models.members(), year)
    if wants_csv(request, format, "application/json"):
        return csv_download(allocation_csv(allocation, sources, DIALECTS[dialect]), dialect, f"allocation-{year}.csv")
    negotiated(response)
    return allocation_document(allocation, sources)


@router.get("/allocations/{year}/invoices/{kommunkod}", response_class=Response, responses={
    200: {"description": "The member's invoice basis: formula, inputs, totals, shares, amount",
          "content": {PDF: {"schema": {"type": "string", "format": "binary"}}, **CSV_CONTENT}},
    404: {"description": "No budget for the year, not a member that year, or another municipality's invoice"},
    409: {"description": "The allocation cannot be computed (a member lacks its population figure, …)"}})
def get_invoice(year: Year, kommunkod: KommunkodPath, actor: AllocationReader, read_models: ReadModelsDep,
                request: Request,
                format: Annotated[InvoiceFormat | None, Query(description="pdf (default) or csv")] = None,
                dialect: DialectQuery = DialectName.plain) -> Response:
    """A member's invoice basis for the year (PDF or CSV); a municipality user gets only its own."""
    if not actor.sees_municipality(kommunkod):
        raise NotFoundError("invoice.not_found", kommunkod=kommunkod, year=year)
    allocation = read_models.allocation(year)
    source = population_sources(read_models.members(), year).get(kommunkod)
    if wants_csv(request, format, PDF):
        return csv_download(invoice_csv(allocation, kommunkod, source, DIALECTS[dialect]), dialect,
                            f"invoice-basis-{year}-{kommunkod}.csv")
    return attachment(invoice_pdf(allocation, kommunkod, source), PDF, f"invoice-basis-{year}-{kommunkod}.pdf")
