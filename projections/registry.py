"""Every read model by name: its projection class and its view class per storage backend."""

from __future__ import annotations

from projections.projectors import CORE_PROJECTIONS, BatchingProjection
from projections.steering import PostgresSteeringView, SQLiteSteeringView, SteeringProjection
from projections.views import CORE_VIEWS, View

PROJECTION_CLASSES: dict[str, type[BatchingProjection]] = {**CORE_PROJECTIONS, SteeringProjection.name: SteeringProjection}
VIEW_CLASSES: dict[str, dict[str, type[View]]] = {
    **CORE_VIEWS, "steering": {"sqlite": SQLiteSteeringView, "postgres": PostgresSteeringView},
}
NAMES = tuple(PROJECTION_CLASSES)
