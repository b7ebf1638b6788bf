"""Follow-up of decisions: the municipality states why a decision is not executed yet."""

from __future__ import annotations

from uuid import UUID

from pool.actors import Actor, Role
from pool.base import BaseApplication, Saved
from pool.domain.referral import Referral
from pool.values import NonExecutionReason, parse_enum


class FollowUpCommands(BaseApplication):
    def state_non_execution_reason(self, actor: Actor, referral_id: UUID, *, reason: str,
                                   expected_version: int | None = None) -> Saved:
        """Its municipality (or pool staff for it) sets the reason the report shows; coded, never free text."""
        actor.require(Role.MUNICIPALITY, Role.POOL_STAFF)
        coded = parse_enum(NonExecutionReason, reason, "reason")
        referral = self.load_owned(Referral, referral_id, actor, expected_version)  # type: ignore[attr-defined]
        referral.state_non_execution_reason(actor.as_event_data(), coded.value)
        return self.commit(referral)
