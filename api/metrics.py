"""Prometheus metrics: requests by route template, sign-in failures, the notification outbox, projections.

Labels never hold personal data or ids: a route is its template (``/api/families/{family_id}``),
a projection its name. With several API processes (``serve --workers``) the counters live in
``PROMETHEUS_MULTIPROC_DIR`` and a scrape of any process adds up all of them; the projection
and outbox figures are read from the database at scrape time, so every process reports the same.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUESTS = Counter("familjepool_http_requests_total", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram("familjepool_http_request_duration_seconds", "Time to answer an HTTP request",
                    ["method", "route"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
SIGN_IN_FAILURES = Counter("familjepool_sign_in_failures_total", "Refused sign-ins (wrong password or locked out)",
                           ["channel", "reason"])
# Notifications are counted from the outbox table at scrape time (projections/notifications/queries.py):
# the notifier may run in another process (projections worker), where no counter of this one could see them.
OUTBOX_STATES = ("pending", "retry", "sent", "failed", "skipped")


class ProjectionCollector(Collector):
    """Each projection's position, the head, the lag, whether it failed: read when scraped."""

    def __init__(self, read_models: Any, failed: set[str]):
        self.read_models = read_models
        self.failed = failed

    def collect(self) -> Iterator[GaugeMetricFamily]:
        position = GaugeMetricFamily("familjepool_projection_position", "Last event applied", labels=["projection"])
        lag = GaugeMetricFamily("familjepool_projection_lag_events", "Events not yet applied", labels=["projection"])
        failed = GaugeMetricFamily("familjepool_projection_failed", "1 if the projection is failing",
                                   labels=["projection"])
        head = GaugeMetricFamily("familjepool_event_store_head", "Highest event position in the store")
        statuses = self.read_models.status() if self.read_models is not None else []
        for s in statuses:
            position.add_metric([s.name], s.position)
            lag.add_metric([s.name], s.lag)
            failed.add_metric([s.name], 1 if s.name in self.failed else 0)
        if statuses:
            head.add_metric([], statuses[0].head)
        yield from (position, lag, failed, head)
        yield from self._notifications()

    def _notifications(self) -> Iterator[GaugeMetricFamily]:
        counts = getattr(self.read_models, "outbox_counts", None)
        if counts is None:
            return
        outbox = GaugeMetricFamily("familjepool_notifications_outbox", "Notification e-mails in the outbox by state "
                                   "(queued: pending and retry)", labels=["state"])
        found = counts()
        for state in sorted({*OUTBOX_STATES, *found}):
            outbox.add_metric([state], found.get(state, 0))
        yield outbox


def exposition(read_models: Any, failed: set[str]) -> tuple[bytes, str]:
    """The text a scrape gets: this process's (or all processes') counters plus the projections."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        for collector in (REQUESTS, LATENCY, SIGN_IN_FAILURES):
            registry.register(collector)
    registry.register(ProjectionCollector(read_models, failed))
    return generate_latest(registry), CONTENT_TYPE_LATEST


__all__ = ["exposition"]
