"""The catalogue's queries: filtered pages of anonymous family cards, one card by id or code."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pool.errors import ErasedError
from pool.sealing import is_sealed
from projections.catalogue.view import CatalogueView
from projections.contract import CatalogueFilter, Page
from projections.core.encoding import code_of, loads, unbars
from projections.core.view import View


class CatalogueQueries:
    """Mixed into ReadModelsImpl; every query reads the catalogue view only."""

    views: dict[str, View]
    sealer: Any

    def _catalogue_item(self, row: dict[str, Any], training: dict[str, list[str]]) -> dict[str, Any]:
        free = max(int(row["max_children"]) - int(row["active_placements"]), 0)
        return {
            "family_id": row["family_id"],
            "code": code_of(row["seq"]),
            "kinds": unbars(row["kinds"]),
            "area": {"code": row["area_code"], "name": row["area_name"] or "annan kommun"},
            "household": {"adults": loads(row["adult_bands"], []), "children_at_home": loads(row["child_bands"], [])},
            "preferences": {"child_age_min": row["child_age_min"], "child_age_max": row["child_age_max"],
                            "max_children": row["max_children"], "siblings_ok": bool(row["siblings_ok"]),
                            "languages": unbars(row["languages"])},
            "training": training.get(row["family_id"], []),
            "capacity": row["max_children"],
            "free_capacity": free,
            "available": free > 0,
            "description": self._description(row["family_id"], row["description"]),
            "published_on": row["published_on"],
        }

    def _description(self, family_id: str, stored: str | None) -> str | None:
        """The published description, opened with the family's key at read time: the view keeps it sealed,
        so it is unreadable the moment an erasure destroys the key, also before this view has caught up."""
        if not is_sealed(stored):
            return stored  # a version-1 event's plain text
        if self.sealer is None:
            return None
        try:
            return self.sealer.unseal(UUID(family_id), stored)
        except ErasedError:
            return None

    def _training(self, family_ids: list[str]) -> dict[str, list[str]]:
        if not family_ids:
            return {}
        marks = ",".join("?" * len(family_ids))
        result: dict[str, list[str]] = {}
        for r in self.views["catalogue"].query(
                f"SELECT family_id, course FROM {{s}}catalogue_training WHERE family_id IN ({marks}) "
                "ORDER BY family_id, course", family_ids):
            result.setdefault(r["family_id"], []).append(r["course"])
        return result

    def catalogue(self, f: CatalogueFilter, limit: int = 50, offset: int = 0) -> Page:
        where, params = ["1 = 1"], []
        if f.kind:
            where.append("c.kinds LIKE ?")
            params.append(f"%|{f.kind}|%")
        if f.child_age is not None:
            where.append("c.child_age_min <= ? AND c.child_age_max >= ?")
            params += [f.child_age, f.child_age]
        if f.siblings is not None:
            where.append("c.siblings_ok = ?")
            params.append(bool(f.siblings))
        if f.language:
            where.append("c.languages LIKE ?")
            params.append(f"%|{f.language.strip().lower()}|%")
        if f.area:
            where.append("c.area_code = ?")
            params.append(f.area)
        if f.available is not None:
            where.append("c.max_children > c.active_placements" if f.available
                         else "c.max_children <= c.active_placements")
        clause = " AND ".join(where)
        view = self.views["catalogue"]
        total = view.count(f"SELECT COUNT(*) AS n FROM {{s}}catalogue c WHERE {clause}", params)
        rows = view.query(f"{CatalogueView.SELECT} WHERE {clause} ORDER BY k.seq LIMIT ? OFFSET ?",
                          [*params, limit, offset])
        training = self._training([r["family_id"] for r in rows])
        return Page(items=[self._catalogue_item(r, training) for r in rows], total=total)

    def catalogue_item(self, family_id: UUID) -> dict[str, Any] | None:
        rows = self.views["catalogue"].query(f"{CatalogueView.SELECT} WHERE c.family_id = ?", [str(family_id)])
        return self._catalogue_item(rows[0], self._training([rows[0]["family_id"]])) if rows else None

    def catalogue_by_code(self, code: str) -> dict[str, Any] | None:
        try:
            seq = int(code.upper().removeprefix("FP-"))
        except ValueError:
            return None
        rows = self.views["catalogue"].query(f"{CatalogueView.SELECT} WHERE k.seq = ?", [seq])
        return self._catalogue_item(rows[0], self._training([rows[0]["family_id"]])) if rows else None
