"""Member municipalities, their population figures (admin) and placed children (admin, steering group)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status

from api.deps import (
    AdminUser, BudgetUser, CurrentUser, ExpectedVersion, PoolDep, ReadModelsDep, require_current, settle_if_available, with_etag,
)
from api.errors import PROBLEMS
from api.schemas.common import Kommunkod, Year
from api.schemas.read import MemberPagePublic
from api.schemas.reference import (
    ChildPopulationPublic, ChildPopulationPut, MemberPublic, MemberPut, PlacedChildrenPublic, PlacedChildrenPut,
)
from pool.domain.member import Member

router = APIRouter(tags=["members"], responses=PROBLEMS)


def member_public(member: Member) -> dict[str, Any]:
    return {"municipality": member.kommunkod, "name": member.name, "joined_on": member.joined_on,
            "left_on": member.left_on, "version": member.version}


@router.put("/members/{kommunkod}", response_model=MemberPublic,
            responses={201: {"model": MemberPublic, "description": "The member was registered"}})
def put_member(kommunkod: Kommunkod, body: MemberPut, actor: AdminUser, pool: PoolDep, request: Request,
               response: Response, expected_version: ExpectedVersion) -> dict[str, Any]:
    """Register a member municipality, or change its name or joining date (201 when new)."""
    exists = pool.exists(Member.create_id(kommunkod))
    require_current(request, exists)
    if expected_version is not None and exists:
        pool.load(Member, Member.create_id(kommunkod), expected_version)
    saved = pool.put_member(actor, kommunkod, name=body.name, joined_on=body.joined_on)
    settle_if_available(request, saved)
    if not exists:
        response.status_code = status.HTTP_201_CREATED
    member = pool.member(kommunkod)
    with_etag(response, member.version)
    return member_public(member)


@router.get("/members/{kommunkod}", response_model=MemberPublic)
def get_member(kommunkod: Kommunkod, actor: CurrentUser, pool: PoolDep, response: Response) -> dict[str, Any]:
    """One member municipality; its version also as the ETag (for a conditional PUT)."""
    member = pool.member(kommunkod)
    with_etag(response, member.version)
    return member_public(member)


@router.get("/members", response_model=MemberPagePublic)
def list_members(actor: CurrentUser, read_models: ReadModelsDep) -> dict[str, Any]:
    """Every member municipality, with the dates it joined (and left)."""
    rows = read_models.members()
    return {"items": rows, "total": len(rows)}


@router.put("/members/{kommunkod}/child-population/{year}", response_model=ChildPopulationPublic)
def put_child_population(kommunkod: Kommunkod, year: Year, body: ChildPopulationPut, actor: AdminUser,
                         pool: PoolDep, request: Request, response: Response,
                         expected_version: ExpectedVersion) -> dict[str, Any]:
    """Children aged 0-17 living at home in the member on 1 November of `year` (with its source)."""
    if expected_version is not None:
        pool.load(Member, Member.create_id(kommunkod), expected_version)
    saved = pool.record_child_population(actor, kommunkod, year, children=body.children, source=body.source)
    settle_if_available(request, saved)
    return {"municipality": kommunkod, "year": year, "children": body.children,
            "version": with_etag(response, saved.version)}


@router.put("/members/{kommunkod}/placed-children/{year}", response_model=PlacedChildrenPublic)
def put_placed_children(kommunkod: Kommunkod, year: Year, body: PlacedChildrenPut, actor: BudgetUser,
                        pool: PoolDep, request: Request, response: Response,
                        expected_version: ExpectedVersion) -> dict[str, Any]:
    """All the member's children 0-17 placed outside the home on 1 November of `year`, as it reports them."""
    if expected_version is not None:
        pool.load(Member, Member.create_id(kommunkod), expected_version)
    saved = pool.record_placed_children(actor, kommunkod, year, children=body.children, source=body.source)
    settle_if_available(request, saved)
    return {"municipality": kommunkod, "year": year, "children": body.children, "source": body.source.strip(),
            "version": with_etag(response, saved.version)}
