"""Every read model by name: its projection class and its view class per storage backend."""

from __future__ import annotations

from typing import Any

from pool.settings import Storage
from projections.audit.projection import AuditProjection
from projections.audit.view import PostgresAuditView, SQLiteAuditView
from projections.catalogue.projection import CatalogueProjection
from projections.catalogue.view import PostgresCatalogueView, SQLiteCatalogueView
from projections.core.projection import BatchingProjection
from projections.core.schemas import ViewSchemas, fingerprint
from projections.core.storage import open_datastore
from projections.core.view import View
from projections.municipality.projection import MunicipalityProjection
from projections.notifications.projection import NotificationsProjection
from projections.notifications.view import PostgresNotificationsView, SQLiteNotificationsView
from projections.municipality.view import PostgresMunicipalityView, SQLiteMunicipalityView
from projections.register.projection import RegisterProjection
from projections.register.view import PostgresRegisterView, SQLiteRegisterView
from projections.steering.projection import SteeringProjection
from projections.steering.view import PostgresSteeringView, SQLiteSteeringView

# In this order the runners start and `status` lists them.
PROJECTION_CLASSES: dict[str, type[BatchingProjection]] = {
    p.name: p for p in (CatalogueProjection, MunicipalityProjection, RegisterProjection, AuditProjection,
                        SteeringProjection)
}
VIEW_CLASSES: dict[str, dict[str, type[View]]] = {
    "catalogue": {"sqlite": SQLiteCatalogueView, "postgres": PostgresCatalogueView},
    "municipality": {"sqlite": SQLiteMunicipalityView, "postgres": PostgresMunicipalityView},
    "register": {"sqlite": SQLiteRegisterView, "postgres": PostgresRegisterView},
    "audit": {"sqlite": SQLiteAuditView, "postgres": PostgresAuditView},
    "steering": {"sqlite": SQLiteSteeringView, "postgres": PostgresSteeringView},
    "notifications": {"sqlite": SQLiteNotificationsView, "postgres": PostgresNotificationsView},
}
NAMES = tuple(PROJECTION_CLASSES)
# Not among NAMES: the notifier runs it in a process of its own (`familjepool notifications run`),
# so e-mail never shares a process (or a failure) with the read models the API waits for.
NOTIFICATIONS = "notifications"
PROJECTION_CLASSES[NOTIFICATIONS] = NotificationsProjection


def view_fingerprint(view: View) -> str:
    return fingerprint(view, PROJECTION_CLASSES[view.name].VERSION)


def open_view(storage: Storage, name: str, datastore: Any | None = None, suffix: str = "") -> View:
    """The view, its tables created; a served view built by other code is marked ``stale`` instead."""
    cls = VIEW_CLASSES[name][storage.backend]
    view = cls(datastore=datastore or open_datastore(storage), suffix=suffix)  # type: ignore[call-arg]
    with storage.schema_setup():
        if not suffix:
            schemas = ViewSchemas(view)
            current = view_fingerprint(view)
            stored = schemas.stored(name)
            if stored is None and not schemas.served_tables_exist():
                view.create_table()  # a new database: built by this code from the start
                schemas.record(name, current)
            elif stored != current:
                view.stale = True  # its runner rebuilds it (projections/runtime.py); until then it serves as is
            # Else this code built the tables already: no DDL, whose table locks could deadlock with a running
            # projection's writes in another process (CREATE INDEX IF NOT EXISTS still locks the table).
            return view
        view.create_table()
    return view
