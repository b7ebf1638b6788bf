"""The cost allocation of a year's budget over the members, and each member's invoice basis."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from api.allocation_reports import input_sources, shown_allocation
from api.csv_dialects import DIALECTS, DialectName
from api.deps import PoolDep, ReadModelsDep, roles, settle_if_available
from api.errors import PROBLEMS
from api.reports import allocation_csv, allocation_document, invoice_csv, invoice_pdf
from api.routes.downloads import (
    CSV_CONTENT, DialectQuery, InvoiceFormat, TableFormat, csv_download, negotiated, wants_csv,
)
from api.schemas.common import Year
from api.schemas.reference import AllocationAdopt, AllocationPublic
from pool.actors import Actor, Role
from pool.errors import NotFoundError

router = APIRouter(tags=["allocations"], responses=PROBLEMS)
# The whole table is open to every role: members agreed to see each other's figures and amounts.
AllocationReader = Annotated[Actor, Depends(roles(Role.ADMIN, Role.STEERING, Role.POOL_STAFF, Role.MUNICIPALITY))]
KommunkodPath = Annotated[str, Path(pattern=r"^[0-9]{4}$", examples=["0184"], description="the member's kommunkod")]
SteeringUser = Annotated[Actor, Depends(roles(Role.STEERING))]
VersionQuery = Annotated[int | None, Query(ge=1, le=10_000, description="an adopted version (default: the latest)")]
PDF = "application/pdf"


def attachment(body: bytes, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                                          "Vary": "Accept"})


@router.get("/allocations/{year}", response_model=AllocationPublic, responses={
    200: {"description": "The adopted allocation (or the preliminary one before adoption); `?format=csv` "
                         "(or `Accept: text/csv`) gives the member rows as CSV", "content": CSV_CONTENT},
    404: {"description": "No budget is set for the year, or no such adopted version"},
    409: {"description": "Not adopted and a member lacks its population or placed-children figure (named), "
                         "or no member covers the year"}})
def get_allocation(year: Year, actor: AllocationReader, pool: PoolDep, read_models: ReadModelsDep, request: Request,
                   response: Response,
                   format: Annotated[TableFormat | None, Query(description="json (default) or csv")] = None,
                   dialect: DialectQuery = DialectName.plain, version: VersionQuery = None) -> Any:
    """Each member's share of the year's budget: adopted (with changes since adoption) or preliminary."""
    shown = shown_allocation(pool, read_models, year, version)
    if wants_csv(request, format, "application/json"):
        return csv_download(allocation_csv(shown, dialect=DIALECTS[dialect]), dialect, f"allocation-{year}.csv")
    negotiated(response)
    return allocation_document(shown)


@router.post("/allocations/{year}/adopt", response_model=AllocationPublic, status_code=status.HTTP_201_CREATED,
             responses={201: {"description": "Adopted: a new version holding today's inputs and amounts"},
                        404: {"description": "No budget is set for the year"},
                        409: {"description": "The allocation cannot be computed (a member lacks a figure, …)"},
                        422: {"description": "A re-adoption without a reason"}})
def adopt_allocation(year: Year, body: AllocationAdopt, actor: SteeringUser, pool: PoolDep,
                     read_models: ReadModelsDep, request: Request) -> Any:
    """The steering group adopts (fastställer) the allocation computed from today's inputs; again = new version."""
    # Adopt what the event store holds now, not a view a moment behind it.
    read_models.wait_for(pool.recorder.max_notification_id(), timeout=5.0)
    allocation = read_models.allocation(year)
    saved = pool.adopt_allocation(actor, year, allocation=allocation,
                                  sources=input_sources(read_models.members(), year), reason=body.reason)
    settle_if_available(request, saved)
    return allocation_document(shown_allocation(pool, read_models, year))


@router.get("/allocations/{year}/invoices/{kommunkod}", response_class=Response, responses={
    200: {"description": "The member's invoice basis: status, formula, inputs, totals, shares, amount",
          "content": {PDF: {"schema": {"type": "string", "format": "binary"}}, **CSV_CONTENT}},
    404: {"description": "No budget for the year, not a member that year, or another municipality's invoice"},
    409: {"description": "Not adopted and the allocation cannot be computed (a member lacks a figure, …)"}})
def get_invoice(year: Year, kommunkod: KommunkodPath, actor: AllocationReader, pool: PoolDep,
                read_models: ReadModelsDep, request: Request,
                format: Annotated[InvoiceFormat | None, Query(description="pdf (default) or csv")] = None,
                dialect: DialectQuery = DialectName.plain, version: VersionQuery = None) -> Response:
    """A member's invoice basis for the year (PDF or CSV), from the adopted allocation if there is one."""
    if not actor.sees_municipality(kommunkod):
        raise NotFoundError("invoice.not_found", kommunkod=kommunkod, year=year)
    shown = shown_allocation(pool, read_models, year, version)
    if wants_csv(request, format, PDF):
        return csv_download(invoice_csv(shown, kommunkod, DIALECTS[dialect]), dialect,
                            f"invoice-basis-{year}-{kommunkod}.csv")
    return attachment(invoice_pdf(shown, kommunkod), PDF, f"invoice-basis-{year}-{kommunkod}.pdf")
