"""Who does something: every event records its actor, every check starts from one."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

from pool.errors import PermissionDeniedError


class Role(StrEnum):
    POOL_STAFF = "pool_staff"
    MUNICIPALITY = "municipality"
    STEERING = "steering"
    ADMIN = "admin"
    SYSTEM = "system"  # the CLI and demo loader acting on an operator's behalf


@dataclass(frozen=True)
class Actor:
    user_id: UUID | None
    username: str
    role: Role
    municipality: str | None = None

    @classmethod
    def system(cls, username: str = "system") -> Actor:
        return cls(user_id=None, username=username, role=Role.SYSTEM)

    def as_event_data(self) -> dict[str, Any]:
        # Stored in every event; usernames are staff accounts, not data subjects.
        return {
            "user_id": str(self.user_id) if self.user_id else None,
            "username": self.username,
            "role": self.role.value,
            "municipality": self.municipality,
        }

    def require(self, *roles: Role) -> None:
        """Raise unless the actor has one of the roles (the system actor may do anything)."""
        if self.role is Role.SYSTEM or self.role in roles:
            return
        raise PermissionDeniedError("role.forbidden", role=self.role.value, allowed=[r.value for r in roles])

    def sees_municipality(self, municipality: str) -> bool:
        """Municipality users see only their own municipality's records."""
        if self.role is Role.MUNICIPALITY:
            return self.municipality == municipality
        return True
