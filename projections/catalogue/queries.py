"""The catalogue's queries: filtered pages of anonymous family cards, one card by id or code."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pool.errors import ErasedError
from pool.sealing import is_sealed
from pool.matching import (
    NARROW_RANGE_YEARS, WAITING_DAYS_PER_POINT, WAITING_SHOWN_FROM_DAYS, WEIGHTS, Candidate, Need, Suggestion, age_band,
    county, rank,
)
from projections.catalogue.view import CatalogueView
from projections.contract import CatalogueFilter, Page
from projections.core.encoding import code_of, loads, unbars
from projections.core.history import AsOfView
from projections.core.view import View


# The catalogue view's tracking position, read in the page's statement (the count cache's key).
_POSITION = "(SELECT t.notification_id FROM {s}catalogue_tracking t WHERE t.application_name = 'familjepool') AS view_position"
_PAGE_SELECT = CatalogueView.SELECT.replace(" FROM ", f", {_POSITION} FROM ", 1)


class CatalogueQueries:
    """Mixed into ReadModelsImpl; every query reads the catalogue view only."""

    views: dict[str, View]
    sealer: Any

    def _catalogue_item(self, row: dict[str, Any], training: dict[str, list[str]],
                        descriptions: dict[str, str | None] | None = None) -> dict[str, Any]:
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
            "description": (descriptions[row["family_id"]] if descriptions is not None
                            else self._description(row["family_id"], row["description"])),
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
                f"SELECT t.family_id, t.course FROM {{s}}catalogue_training t WHERE t.family_id IN ({marks}) "
                "ORDER BY t.family_id, t.course", family_ids):
            result.setdefault(r["family_id"], []).append(r["course"])
        return result

    def catalogue(self, f: CatalogueFilter, limit: int = 50, offset: int = 0) -> Page:
        where, params = ["1 = 1"], []
        # Kind and language through their indexed tables (primary keys lead with the value), not LIKE on a column.
        if f.kind:
            where.append("EXISTS (SELECT 1 FROM {s}catalogue_kinds o WHERE o.kind = ? AND o.family_id = c.family_id)")
            params.append(f.kind)
        if f.child_age is not None:
            where.append("c.child_age_min <= ? AND c.child_age_max >= ?")
            params += [f.child_age, f.child_age]
        if f.siblings is not None:
            where.append("c.siblings_ok = ?")
            params.append(bool(f.siblings))
        if f.language:
            where.append("EXISTS (SELECT 1 FROM {s}catalogue_languages g WHERE g.language = ? "
                         "AND g.family_id = c.family_id)")
            params.append(f.language.strip().lower())
        if f.area:
            where.append("c.area_code = ?")
            params.append(f.area)
        if f.available is not None:
            where.append("c.max_children > c.active_placements" if f.available
                         else "c.max_children <= c.active_placements")
        clause = " AND ".join(where)
        view = self.views["catalogue"]
        rows = view.query(f"{_PAGE_SELECT} WHERE {clause} ORDER BY k.seq LIMIT ? OFFSET ?",
                          [*params, limit, offset])
        total = self._catalogue_total(clause, params, rows, limit, offset)
        descriptions = self._descriptions(rows)
        return Page(items=[{**card, "description": descriptions[card["family_id"]]}
                           for card in self._cards(clause, params, rows, limit, offset)], total=total)

    def _cards(self, clause: str, params: list[Any], rows: list[dict[str, Any]], limit: int,
               offset: int) -> list[dict[str, Any]]:
        """The page's cards without their descriptions, built (and the training read) once per view position.

        Kept like the count (_catalogue_total): the view's rows only change when its position moves, and
        the position is part of the key. The descriptions are not kept: each request opens them with
        the keys read then, so an erased family's text is gone at once, before this view has caught up.
        """
        position = rows[0]["view_position"] if rows else None
        cache: dict[tuple[Any, ...], tuple[Any, list[dict[str, Any]], list[str]]] = self._kept("_catalogue_cards")
        key = (getattr(self, "as_of", None), clause, *params, limit, offset)
        hit = cache.get(key)
        ids = [r["family_id"] for r in rows]
        if hit is not None and position is not None and hit[0] == position and hit[2] == ids:
            return hit[1]  # the same families too: a cheap check that the page is the one kept
        training = self._training(ids)
        cards = [self._catalogue_item(r, training, {r["family_id"]: None}) for r in rows]
        if len(cache) > 256:  # as the count cache: filters and pages read often are few
            cache.clear()
        cache[key] = (position, cards, ids)
        return cards

    def _descriptions(self, rows: list[dict[str, Any]]) -> dict[str, str | None]:
        """A page's descriptions opened with ONE key-table read (not one per family; issue 14), on every
        request: opened texts are never kept, so an erasure takes effect at once."""
        ids = {r["family_id"]: UUID(r["family_id"]) for r in rows if is_sealed(r["description"])}
        sealed = {ids[r["family_id"]]: [r["description"]] for r in rows if r["family_id"] in ids}
        opened = self.sealer.unseal_each(sealed) if sealed and self.sealer is not None else {}
        result: dict[str, str | None] = {}
        for r in rows:
            if r["family_id"] not in ids:
                result[r["family_id"]] = r["description"]  # a version-1 event's plain text
            else:
                texts = opened.get(ids[r["family_id"]])
                result[r["family_id"]] = texts[0] if texts else None  # None: erased (or no sealer)
        return result

    def _kept(self, name: str) -> dict[Any, Any]:
        """A cache kept on the catalogue view object, not on these read models: at() and a rebuild's
        read models copy their __dict__, and a rebuild's view (its own tables, the live tracking
        position) must not share the live view's entries. A past view reads the live view's (as_of keys)."""
        view = self.views["catalogue"]
        view = view.view if isinstance(view, AsOfView) else view
        return view.__dict__.setdefault(name, {})

    def _catalogue_total(self, clause: str, params: list[Any], rows: list[dict[str, Any]], limit: int,
                         offset: int) -> int:
        """The number of matching rows without counting them on every request (docs/performance.md).

        A page that is not full ends the list, so it gives the total itself. Otherwise the count is
        kept per filter with the view's tracking position it was counted at (read in the page's own
        statement): the view only changes when its position moves, so a count at the same position is exact.
        """
        if len(rows) < limit and (rows or offset == 0):
            return offset + len(rows)
        position = rows[0]["view_position"] if rows else None
        cache: dict[tuple[Any, ...], tuple[Any, int]] = self._kept("_catalogue_counts")
        # A past answer (``at(as_of)``) shares this cache: its moment is part of the key.
        key = (getattr(self, "as_of", None), clause, *params)
        hit = cache.get(key)
        if hit is not None and position is not None and hit[0] == position:
            return hit[1]
        total = self.views["catalogue"].count(f"SELECT COUNT(*) AS n FROM {{s}}catalogue c WHERE {clause}", params)
        if len(cache) > 256:  # filters are few in practice; never let odd ones grow the process
            cache.clear()
        cache[key] = (position, total)
        return total

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

    # Matching --------------------------------------------------------------------------------------

    def _available_today(self, today: date, family_ids: list[str] | None = None) -> dict[str, date]:
        """Jourhem whose stated period holds today, with its last day (for the given families, or all)."""
        sql = "SELECT family_id, to_day FROM {s}catalogue_availability WHERE from_day <= ? AND to_day >= ?"
        params: list[Any] = [today.isoformat(), today.isoformat()]
        if family_ids is not None:
            if not family_ids:
                return {}
            sql += f" AND family_id IN ({', '.join('?' * len(family_ids))})"
            params += family_ids
        return {r["family_id"]: date.fromisoformat(r["to_day"]) for r in self.views["catalogue"].query(sql, params)}

    @staticmethod
    def _candidate(row: dict[str, Any], available: dict[str, date] | None = None) -> Candidate:
        last = row["last_ended"]
        bands = [band for band, column in CatalogueView.EXPERIENCE.items() if row[column]]
        return Candidate(
            family_id=row["family_id"], seq=int(row["seq"]), kinds=tuple(unbars(row["kinds"])),
            area_code=row["area_code"], child_age_min=int(row["child_age_min"]),
            child_age_max=int(row["child_age_max"]), max_children=int(row["max_children"]),
            active_placements=int(row["active_placements"]), promised=int(row["promised"]),
            siblings_ok=bool(row["siblings_ok"]), languages=tuple(unbars(row["languages"])),
            published_on=date.fromisoformat(row["published_on"][:10]),
            last_ended=date.fromisoformat(last[:10]) if last else None,
            experience=frozenset(bands), available_until=(available or {}).get(row["family_id"]))

    def _score_sql(self, need: Need, today: date) -> tuple[str, list[Any]]:
        """pool.matching.score as one SQL expression over the prefilter's rows `m`, from the same WEIGHTS.

        Only to order the rows and keep the best: the reasons (and the final order) come from the pure
        module over those rows. tests/integration/test_suggestions_prefilter.py checks it ranks like a full scan.
        """
        view: Any = self.views["catalogue"]
        terms: list[str] = []
        params: list[Any] = []
        if need.languages:
            likes = " OR ".join("m.languages LIKE ?" for _ in need.languages)
            terms.append(f"CASE WHEN {likes} THEN {WEIGHTS['language']} ELSE 0 END")
            params += [f"%|{code}|%" for code in need.languages]
        terms.append(f"CASE WHEN m.area_code = ? THEN {WEIGHTS['same_municipality']} "
                     f"WHEN substr(m.area_code, 1, 2) = ? THEN {WEIGHTS['same_county']} ELSE 0 END")
        params += [need.municipality, county(need.municipality)]
        band = age_band(need.child_age)
        if band is not None:
            terms.append(f"CASE WHEN m.{CatalogueView.EXPERIENCE[band]} = 1 THEN {WEIGHTS['experience']} ELSE 0 END")
        terms.append(f"CASE WHEN m.child_age_max - m.child_age_min <= {NARROW_RANGE_YEARS} "
                     f"THEN {WEIGHTS['preference']} ELSE 0 END")
        days = view.DAYS_SINCE.format(day=f"{view.GREATEST}(m.published_on, COALESCE(m.last_ended, m.published_on))")
        terms.append(f"CASE WHEN m.active_placements = 0 AND m.promised = 0 AND {days} >= {WAITING_SHOWN_FROM_DAYS} "
                     f"THEN {view.LEAST}({days} / {WAITING_DAYS_PER_POINT}, {WEIGHTS['waiting_max']}) ELSE 0 END")
        params += [today.isoformat(), today.isoformat()]
        return " + ".join(terms), params

    def suggestions(self, need: Need, limit: int | None = 20, today: date | None = None) -> list[Suggestion]:
        """Published families for a need, ranked: an indexed prefilter by the hard rules, the best kept by
        the score's SQL mirror, then scored and explained by pool.matching."""
        today = today or date.today()
        sql, params = self.suggestions_sql(need, limit, today)
        rows = self.views["catalogue"].query(sql, params)
        available = self._available_today(today, [r["family_id"] for r in rows]) if need.needs_available_now else {}
        return rank(need, (self._candidate(r, available) for r in rows), today, limit)

    def suggestions_sql(self, need: Need, limit: int | None, today: date) -> tuple[str, list[Any]]:
        """The statement behind suggestions() (benchmarks/suggestions.py shows its plan)."""
        age = need.child_age
        where = ["o.kind = ?", "o.child_age_max >= ?", "o.child_age_min <= ?",
                 "c.max_children - c.active_placements >= ?"]
        params: list[Any] = [need.kind, age, age, need.children]
        if need.children > 1:
            where.append("c.siblings_ok = ?")
            params.append(True)
        if need.needs_available_now:  # an urgent jourhem need: only homes whose stated period holds today
            where.append("EXISTS (SELECT 1 FROM {s}catalogue_availability a WHERE a.family_id = o.family_id "
                         "AND a.from_day <= ? AND a.to_day >= ?)")
            params += [today.isoformat(), today.isoformat()]
        score, score_params = self._score_sql(need, today)
        tail = " LIMIT ?" if limit is not None else ""
        return (f"SELECT * FROM ({CatalogueView.MATCH_SELECT}FROM {{s}}catalogue_kinds o "
                f"JOIN {{s}}catalogue c ON c.family_id = o.family_id {CatalogueView.MATCH_JOINS}"
                f"WHERE {' AND '.join(where)}) m WHERE m.max_children - m.active_placements - m.promised >= ? "
                f"ORDER BY {score} DESC, m.seq{tail}",
                [*params, need.children, *score_params, *([limit] if limit is not None else [])])

    def suggestions_full_scan(self, need: Need, limit: int | None = 20, today: date | None = None) -> list[Suggestion]:
        """The same ranking over every published family: the baseline benchmarks/suggestions.py measures."""
        today = today or date.today()
        rows = self.views["catalogue"].query(
            f"{CatalogueView.MATCH_SELECT}FROM {{s}}catalogue c {CatalogueView.MATCH_JOINS}")
        available = self._available_today(today) if need.needs_available_now else {}
        return rank(need, (self._candidate(r, available) for r in rows), today, limit)
