"""Every read model by name: its projection class and its view class per storage backend."""

from __future__ import annotations

from projections.catalogue.projection import CatalogueProjection
from projections.catalogue.view import PostgresCatalogueView, SQLiteCatalogueView
from projections.projectors import CORE_PROJECTIONS, BatchingProjection
from projections.steering import PostgresSteeringView, SQLiteSteeringView, SteeringProjection
from projections.views import CORE_VIEWS, View

PROJECTION_CLASSES: dict[str, type[BatchingProjection]] = {CatalogueProjection.name: CatalogueProjection, **CORE_PROJECTIONS, SteeringProjection.name: SteeringProjection}
VIEW_CLASSES: dict[str, dict[str, type[View]]] = {
    "catalogue": {"sqlite": SQLiteCatalogueView, "postgres": PostgresCatalogueView}, **CORE_VIEWS, "steering": {"sqlite": SQLiteSteeringView, "postgres": PostgresSteeringView},
}
NAMES = tuple(PROJECTION_CLASSES)
