"""The admin assigns a pool consultant's work list: their kontaktkommuner and the families they follow."""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import get_pool, get_read_models
from api.web.common import CheckedForm, done, render, require_roles
from api.web.messages import swedish
from pool.actors import Actor, Role
from pool.application import PoolApplication
from pool.errors import NotFoundError, PoolError
from projections.contract import ReadModels

router = APIRouter(include_in_schema=False)
Admin = Annotated[Actor, Depends(require_roles(Role.ADMIN))]
Pool = Annotated[PoolApplication, Depends(get_pool)]
Reads = Annotated[ReadModels, Depends(get_read_models)]
# Families by catalogue code (FP-0007) or by id (an applicant has no code yet), any separators.
_REF = re.compile(r"FP-\d{1,6}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def _staff_or_404(pool: PoolApplication, username: str) -> Any:
    try:
        user = pool.user(username)
    except NotFoundError:
        raise NotFoundError("user.not_found") from None
    if user.role != Role.POOL_STAFF.value:  # only pool consultants have a work list
        raise NotFoundError("user.not_found")
    return user


def _family_refs(read_models: ReadModels, family_ids: list[str]) -> str:
    """The followed families as the admin typed them: catalogue codes where there is one, else ids."""
    refs = []
    for fid in family_ids:
        item = read_models.catalogue_item(UUID(fid))
        refs.append(item["code"] if item and item.get("code") else fid)
    return "\n".join(refs)


def _page(request: Request, read_models: ReadModels, user: Any, status: int = 200, **ctx: Any) -> HTMLResponse:
    members = [(m["municipality"], f"{m['name']} ({m['municipality']})") for m in read_models.members()
               if not m.get("left_on")]
    return render(request, "admin/user_worklist.html", status, page_title=f"Arbetslista för {user.username}",
                  username=user.username, members=members, **ctx)


@router.get("/admin/anvandare/{username}/arbetslista", response_class=HTMLResponse)
def assignments_page(username: str, request: Request, actor: Admin, pool: Pool, read_models: Reads) -> Response:
    user = _staff_or_404(pool, username)
    return _page(request, read_models, user, checked=list(user.contact_municipalities),
                 values={"families": _family_refs(read_models, list(user.followed_families))})


@router.post("/admin/anvandare/{username}/arbetslista", response_class=HTMLResponse)
def assign(username: str, request: Request, form: CheckedForm, actor: Admin, pool: Pool,
           read_models: Reads) -> Response:
    user = _staff_or_404(pool, username)
    municipalities = [str(m) for m in form.getlist("municipalities")]
    text = str(form.get("families") or "")[:20000]
    again = {"checked": municipalities, "values": {"families": text}}
    family_ids, unknown = [], []
    for ref in _REF.findall(text):
        item = read_models.catalogue_by_code(ref) if ref.upper().startswith("FP-") else {"family_id": ref}
        (family_ids.append(item["family_id"]) if item else unknown.append(ref.upper()))
    leftover = _REF.sub(" ", text).replace(",", " ").split()
    if unknown or leftover:
        return _page(request, read_models, user, 422, errors={
            "families": f"Känns inte igen: {', '.join((unknown + leftover)[:5])}. Skriv katalogkoder (FP-0007) "
                        "eller familjers id, en per rad."}, **again)
    try:  # the families first: a refusal there leaves both as they were
        pool.set_followed_families(actor, user.username, family_ids=family_ids)
        saved = pool.set_contact_municipalities(actor, user.username, municipalities=municipalities)
    except PoolError as e:
        field = "municipalities" if getattr(e, "field", None) == "municipalities" else "families"
        return _page(request, read_models, user, 422, errors={field: swedish(e)}, **again)
    return done(request, saved, "/admin/anvandare", f"Arbetslistan för {user.username} är sparad.")
