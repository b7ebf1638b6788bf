"""The Budget aggregate: the pool's budget for one year, set by the steering group."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class Budget(Aggregate):
    @staticmethod
    def create_id(year: int) -> UUID:
        return uuid5(NAMESPACE_URL, f"/familjepool/budgets/{year}")

    @event("Set")
    def __init__(self, actor: dict[str, Any], year: int, amount_sek: Decimal):
        self.year = year
        self.amount_sek = amount_sek

    def change(self, actor: dict, amount_sek: Decimal) -> bool:
        if amount_sek == self.amount_sek:
            return False
        self._change(actor=actor, amount_sek=amount_sek)
        return True

    @event("Changed")
    def _change(self, actor: dict, amount_sek: Decimal) -> None:
        self.amount_sek = amount_sek
