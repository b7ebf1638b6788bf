"""Pool staff's start page: the work list, their own items (kontaktkommuner, followed families) or everyone's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_read_models
from api.web.common import render, require_roles
from pool.actors import Actor, Role

router = APIRouter(include_in_schema=False)
Staff = Annotated[Actor, Depends(require_roles(Role.POOL_STAFF))]

# What each kind of item asks of the consultant, in Swedish (docs/user-guide.md, "Arbetslistan").
KIND_TEXT = {
    "applicant_untouched": "Ansökan orörd i 30 dagar",
    "referral_three_months": "Beslut utan verkställighet, tre månader",
    "interest_new": "Ny intresseanmälan att besvara",
    "proposal_unanswered": "Förslag utan svar från kommunen",
    "link_no_outcome": "Förmedling utan utfall efter 14 dagar",
    "placement_due": "Placering som löper ut",
    "family_no_course": "Ingen utbildning senaste året",
}


@router.get("/arbetslista", response_class=HTMLResponse)
def worklist(request: Request, actor: Staff) -> Response:
    scope = "all" if request.query_params.get("visa") == "alla" else "mine"
    data = get_read_models(request).worklist(str(actor.user_id), scope)
    members = {m["municipality"]: m["name"] for m in get_read_models(request).members()}
    return render(request, "staff/worklist.html", page_title="Arbetslista", data=data, kind_text=KIND_TEXT,
                  members=members)
