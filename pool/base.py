"""The application base: loading, saving and auditing with the pool's own error types."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
import logging
from typing import Any, NoReturn, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder, RecordConflictError, Transcoding
from eventsourcing.utils import EnvType

from pool.actors import Actor, Role
from pool.domain.access import AccessDenial, DataAccess
from pool.domain.budget import Budget
from pool.domain.family import Family
from pool.domain.interest import Interest
from pool.domain.member import Member
from pool.domain.placement import Placement
from pool.domain.referral import Referral
from pool.domain.user import User
from pool.errors import ConcurrentUpdateError, InvalidInputError, NotFoundError, VersionMismatchError
from pool.sealing import Sealer
from pool.sessionstore import SessionStore
from pool.settings import purpose_required
from pool.values import check_case_reference, check_recent

A = TypeVar("A", bound=Aggregate)
log = logging.getLogger("familjepool.audit")


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


@dataclass(frozen=True)
class Saved:
    """What a command changed: the aggregate, its new version, and the position in the log."""

    id: UUID
    version: int
    position: int | None  # notification id of the last event written; projections wait for it


def as_date(value: object, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInputError("value.not_a_date", field=field) from None


def business_date(value: date | str | None, field: str) -> date:
    """The day something happened in the world (issue 11): given or today; not in the future nor too old.
    The aggregate checks it against what it follows."""
    return check_recent(as_date(value if value not in (None, "") else date.today(), field), field)


def as_money(value: object, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInputError("value.not_an_amount", field=field) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInputError("value.amount_not_whole_ore", field=field)
    return amount.quantize(Decimal("0.01"))


class BaseApplication(Application[UUID]):
    """Loading and saving with the pool's error types; the commands live in the mixins below."""

    name = "familjepool"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # eventsourcing names every subclass after its class unless it sets `name` itself; the
        # pool's events (table familjepool_events, tracking records) belong to "familjepool".
        own_name = "name" in cls.__dict__
        super().__init_subclass__(**kwargs)
        if not own_name:
            cls.name = "familjepool"

    def __init__(self, env: EnvType | None = None, *, sealer: Sealer, sessions: SessionStore | None = None):
        super().__init__(env)
        self.sealer = sealer
        self.sessions = sessions  # sign-in sessions; ended here when a user's access changes

    def end_sessions(self, user_id: UUID) -> None:
        if self.sessions is not None:
            self.sessions.revoke_user(user_id)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def load(self, cls: type[A], aggregate_id: UUID, expected_version: int | None = None) -> A:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError("record.not_found", kind=cls.__name__.lower(), id=str(aggregate_id)) from None
        if not isinstance(aggregate, cls):
            raise NotFoundError("record.not_found", kind=cls.__name__.lower(), id=str(aggregate_id))
        if expected_version is not None and aggregate.version != expected_version:
            raise VersionMismatchError("record.version_mismatch", expected=expected_version, actual=aggregate.version)
        return aggregate

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.repository

    def version_of(self, aggregate_id: UUID) -> int | None:
        """The aggregate's current version (what If-Match compares with) from its last event; None if none."""
        last = self.recorder.select_events(aggregate_id, desc=True, limit=1)
        return last[0].originator_version if last else None

    def commit(self, *aggregates: Aggregate) -> Saved:
        """Save atomically; a lost optimistic-concurrency race becomes ConcurrentUpdateError."""
        try:
            recordings = self.save(*aggregates)
        except RecordConflictError:
            raise ConcurrentUpdateError("record.concurrent_update") from None
        positions = [r.notification.id for r in recordings if r.notification.id is not None]
        return Saved(id=aggregates[0].id, version=aggregates[0].version, position=max(positions, default=None))

    def record_access(self, actor: Actor, subject_type: str, subject_id: UUID, via: str, fields: Iterable[str],
                      purpose: str | None = None) -> None:
        """Every read of personal data leaves an event, written before the data is returned."""
        purpose = check_case_reference(purpose, "purpose")
        if purpose is None and actor.role is Role.POOL_STAFF and purpose_required(self.env):
            raise InvalidInputError("access.purpose_required", field="purpose")
        self.commit(DataAccess(actor=actor.as_event_data(), subject_type=subject_type, subject_id=subject_id,
                               via=via, fields=list(fields), purpose=purpose))

    def record_denial(self, actor: Actor, subject_type: str, subject_id: UUID | None, via: str, reason: str) -> None:
        """A refused read leaves an event too; recording it never changes the refusal itself."""
        try:
            self.commit(AccessDenial(actor=actor.as_event_data(), subject_type=subject_type, subject_id=subject_id,
                                     via=via, reason=reason))
        except Exception:  # the caller answers 403/404 whatever happens here
            log.exception("could not record a denied read of %s %s via %s", subject_type, subject_id, via)

    def refuse_read(self, actor: Actor, cls: type[Aggregate], aggregate_id: UUID, via: str) -> NoReturn:
        """Answer 404 for a record the actor may not see; if it exists (another member's), audit the attempt."""
        try:
            aggregate = self.load(cls, aggregate_id)
        except NotFoundError:
            raise NotFoundError("record.not_found", kind=cls.__name__.lower(), id=str(aggregate_id)) from None
        municipality = getattr(aggregate, "municipality", None)
        if isinstance(municipality, str) and not actor.sees_municipality(municipality):
            self.record_denial(actor, cls.__name__.lower(), aggregate_id, via, "other_municipality")
        raise NotFoundError("record.not_found", kind=cls.__name__.lower(), id=str(aggregate_id))

    def member(self, kommunkod: str) -> Member:
        return self.load(Member, Member.create_id(kommunkod))

    def check_active_member(self, kommunkod: str, on: date | None = None) -> Member:
        try:
            member = self.member(kommunkod)
        except NotFoundError:
            raise InvalidInputError("member.unknown", field="municipality", kommunkod=kommunkod) from None
        on = on or date.today()
        if not member.is_member_during(on, on):
            raise InvalidInputError("member.not_member_on", field="municipality", kommunkod=kommunkod, name=member.name, on=on)
        return member

    @staticmethod
    def new_id() -> UUID:
        return uuid4()



