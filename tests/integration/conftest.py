"""Fixtures of the integration layer: read models running their projections in this process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pool.application import PoolApplication
from projections.bootstrap import ReadModelsImpl, start_embedded


@pytest.fixture
def read_models(app: PoolApplication) -> Iterator[ReadModelsImpl]:
    rm = start_embedded(app)
    try:
        yield rm
    finally:
        rm.close()
