"""What the rooms' queries share: the views by name, paging, and the municipality scope."""

from __future__ import annotations

from typing import Any

from projections.core.view import View


class ViewQueries:
    """The base of every room's query mixin; ReadModelsImpl fills ``views`` (name -> open view)."""

    views: dict[str, View]

    @staticmethod
    def _scope(municipality: str | None, column: str, where: list[str], params: list[Any]) -> None:
        if municipality is not None:
            where.append(f"{column} = ?")
            params.append(municipality)

    def _page(self, view: str, select: str, where: list[str], params: list[Any], order: str,
              limit: int, offset: int, count_from: str) -> tuple[list[dict[str, Any]], int]:
        clause = " AND ".join(where) or "1 = 1"
        v = self.views[view]
        total = v.count(f"SELECT COUNT(*) AS n FROM {count_from} WHERE {clause}", params)
        rows = v.query(f"{select} WHERE {clause} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset])
        return rows, total
