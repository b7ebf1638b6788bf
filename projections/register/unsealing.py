"""Opening the pool register's sealed names for pool staff, with ONE audited access per read."""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from pool.sealing import is_sealed

REGISTER_LIST_SUBJECT = uuid5(NAMESPACE_URL, "/familjepool/register")


def open_register_rows(app: Any, actor: Any, rows: list[dict[str, Any]] | dict[str, Any] | None,
                       via: str, purpose: str | None = None) -> Any:
    """Return copies of register rows with ``names`` unsealed; record the read first.

    One DataAccess event per call: for one row it names that family; for a list it names the
    register with every family id listed in ``fields`` (so the audit finds it per family too).
    Erased families (key destroyed) show no names and ``erased: True``; nothing raises.
    """
    if rows is None:
        return None
    single = isinstance(rows, dict)
    items: list[dict[str, Any]] = [rows] if single else list(rows)  # type: ignore[list-item]
    with_names = [r for r in items if any(is_sealed(n) for n in r.get("names") or [])]
    if with_names:
        if single:
            app.record_access(actor, "family", UUID(str(items[0]["family_id"])), via, ["names"], purpose)
        else:
            app.record_access(actor, "register", REGISTER_LIST_SUBJECT, via,
                              ["names", *[f"family:{r['family_id']}" for r in with_names]], purpose)
    # One key-table read for the whole page, not one per sealed name (issue 14).
    names = app.sealer.unseal_each({UUID(str(r["family_id"])): [n for n in r.get("names") or [] if is_sealed(n)]
                                    for r in with_names})
    opened = []
    for row in items:
        copy = dict(row)
        family_id = UUID(str(row["family_id"]))
        found = names.get(family_id, [])
        if found is None:  # the key was destroyed: erased
            copy["names"], copy["erased"] = [], True
        else:
            copy["names"], copy["erased"] = found, row.get("status") == "erased"
        opened.append(copy)
    return opened[0] if single else opened
