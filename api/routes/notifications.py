"""Saved searches (municipality users), one's own notices and e-mail choice, the admin's outbox view."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response

from api.deps import (
    AdminUser, CurrentUser, Limit, MunicipalityUser, Offset, PoolDep, ReadModelsDep, settle_if_available,
)
from api.errors import PROBLEMS
from api.schemas.common import CreatedPublic, VersionPublic
from api.schemas.notifications import (
    ContactMunicipalitiesUpdate, EmailUpdate, FollowedFamiliesUpdate, NoticePagePublic, NotificationSettingsPublic, NotificationSettingsUpdate, OutboxRowPublic,
    SavedSearchCreate, SavedSearchListPublic)
from pool.domain.user import User
from pool.errors import NotFoundError
from projections.notifications.outbox import Outbox
from projections.notifications.queries import wait_until

router = APIRouter(tags=["notifications"], responses=PROBLEMS)


def settled(read_models: Any, saved: Any) -> None:
    """The notifier applies saved searches (maybe in another process): wait a moment for it, not more."""
    view = getattr(read_models, "notifications_view", None)
    if view is not None and saved is not None:
        wait_until(view, saved.position, timeout=2.0)


@router.post("/saved-searches", status_code=201, response_model=CreatedPublic)
def create_saved_search(body: SavedSearchCreate, actor: MunicipalityUser, pool: PoolDep,
                        read_models: ReadModelsDep) -> dict[str, Any]:
    """Watch the catalogue: a notice when a family matching these criteria is published or gets a free place."""
    criteria = body.criteria.model_dump(exclude_none=True)
    saved = pool.save_search(actor, criteria=criteria, referral_id=body.referral_id)
    settled(read_models, saved)
    return {"id": saved.id, "version": saved.version}


@router.get("/saved-searches", response_model=SavedSearchListPublic)
def list_saved_searches(actor: MunicipalityUser, read_models: ReadModelsDep) -> dict[str, Any]:
    """Your own saved searches, oldest first."""
    return {"items": read_models.saved_searches(str(actor.user_id))}  # type: ignore[attr-defined]


@router.delete("/saved-searches/{saved_search_id}", response_model=VersionPublic)
def delete_saved_search(saved_search_id: UUID, actor: MunicipalityUser, pool: PoolDep,
                        read_models: ReadModelsDep) -> dict[str, Any]:
    """Stop watching: no more notices from this search (those already given stay)."""
    saved = pool.delete_saved_search(actor, saved_search_id)
    settled(read_models, saved)
    return {"id": saved.id, "version": saved.version}


@router.get("/notifications", response_model=NoticePagePublic)
def list_notifications(actor: CurrentUser, read_models: ReadModelsDep, limit: Limit = 50, offset: Offset = 0,
                       unread: bool = False) -> dict[str, Any]:
    """Your notices, newest first, with the number unread."""
    rm: Any = read_models
    page = rm.notices(str(actor.user_id), actor.role.value, unread_only=unread, limit=limit, offset=offset)
    return {"items": page.items, "total": page.total, "unread": rm.unread_count(str(actor.user_id))}


@router.post("/notifications/{notice_id}/read", status_code=204)
def mark_notification_read(notice_id: str, actor: CurrentUser, read_models: ReadModelsDep) -> Response:
    """Mark one of your notices read (again: no change)."""
    outbox = Outbox(read_models.notifications_view)  # type: ignore[attr-defined]
    if not outbox.owns(str(actor.user_id), notice_id):
        raise NotFoundError("notification.not_found", id=notice_id)
    outbox.mark_read(str(actor.user_id), notice_id)
    return Response(status_code=204)


@router.post("/notifications/read", status_code=204)
def mark_all_notifications_read(actor: CurrentUser, read_models: ReadModelsDep) -> Response:
    """Mark all your notices read."""
    Outbox(read_models.notifications_view).mark_read(str(actor.user_id))  # type: ignore[attr-defined]
    return Response(status_code=204)


@router.get("/auth/me/notifications", response_model=NotificationSettingsPublic)
def get_notification_settings(actor: CurrentUser, pool: PoolDep) -> dict[str, Any]:
    """How you get notices by e-mail, and whether the admin has given you an address."""
    user = pool.load(User, actor.user_id)
    return {"mode": user.notification_mode, "has_email": bool(user.email)}


@router.put("/auth/me/notifications", response_model=NotificationSettingsPublic)
def put_notification_settings(body: NotificationSettingsUpdate, actor: CurrentUser, pool: PoolDep) -> dict[str, Any]:
    """Choose immediate e-mail, a daily digest, or none (notices stay in the product either way)."""
    pool.choose_notifications(actor, mode=body.mode)
    user = pool.load(User, actor.user_id)
    return {"mode": user.notification_mode, "has_email": bool(user.email)}


@router.put("/users/{username}/email", status_code=204)
def put_user_email(username: str, body: EmailUpdate, actor: AdminUser, pool: PoolDep) -> Response:
    """The admin sets a user's e-mail address for notices (sealed: it is personal data); "" removes it."""
    pool.set_user_email(actor, username, email=body.email)
    return Response(status_code=204)


@router.put("/users/{username}/contact-municipalities", status_code=204)
def put_contact_municipalities(username: str, body: ContactMunicipalitiesUpdate, actor: AdminUser,
                               pool: PoolDep, request: Request) -> Response:
    """The admin assigns a pool staff user their members (kontaktkommuner); [] follows all members."""
    settle_if_available(request, pool.set_contact_municipalities(actor, username,
                                                                 municipalities=list(body.municipalities)))
    return Response(status_code=204)


@router.put("/users/{username}/followed-families", status_code=204)
def put_followed_families(username: str, body: FollowedFamiliesUpdate, actor: AdminUser,
                          pool: PoolDep, request: Request) -> Response:
    """The admin assigns a pool staff user the families they follow (their work list); [] follows none."""
    # The work list reads the assignment: answer once the read side has it.
    settle_if_available(request, pool.set_followed_families(actor, username, family_ids=list(body.family_ids)))
    return Response(status_code=204)


@router.get("/notifications/outbox", response_model=list[OutboxRowPublic])
def list_notification_outbox(actor: AdminUser, read_models: ReadModelsDep,
                             state: str = "failed") -> list[dict[str, Any]]:
    """E-mails not (yet) sent: `retry` (waiting for the next try) or `failed` (gave up; see the CLI's retry)."""
    states = tuple(s for s in state.split(",") if s in ("pending", "retry", "failed", "skipped", "sent")) or ("failed",)
    return read_models.outbox(states)  # type: ignore[attr-defined]
