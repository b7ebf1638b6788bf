"""`rebuild --all` on PostgreSQL: each projection rebuilt in a process of its own, with its own lock and swap."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from projections.core.lock import ProjectionBusyError
from projections.core.storage import as_storage
from projections.rebuild import RebuildFailed, rebuild

# Largest first, so the longest rebuild never starts last and leaves the other cores idle at the end
# (per projection at 771 690 events: register 108 s, steering 96 s, audit 95 s, municipality 79 s,
# catalogue 39 s; audit is the one whose cost grows with every event, reads included).
REBUILD_ORDER = ("audit", "register", "steering", "municipality", "catalogue")


@dataclass(frozen=True)
class Outcome:
    """What one rebuild did: events applied and seconds, or its error in one line and the exit code it asks for."""

    name: str
    applied: int = 0
    seconds: float = 0.0
    error: str | None = None
    exit_code: int = 0  # 2: another runner holds the projection; 1: it failed

    def line(self) -> str:
        if self.error is not None:
            return f"error: {self.error}"
        rate = self.applied / self.seconds if self.seconds > 0 else 0.0
        return f"{self.name}: {self.applied} events in {self.seconds:.2f} s ({rate:,.0f} events/s)"


def ordered(names: Sequence[str]) -> list[str]:
    return sorted(names, key=lambda n: REBUILD_ORDER.index(n) if n in REBUILD_ORDER else len(REBUILD_ORDER))


def rebuild_one(url: str, name: str, batch_size: int,
                progress: Callable[[int, int], None] | None = None) -> Outcome:
    """One rebuild; never raises (a child's exception need not pickle): its error is in the Outcome."""
    started = time.monotonic()
    try:
        applied = rebuild(url, name, batch_size=batch_size, progress=progress)
    except ProjectionBusyError as e:
        return Outcome(name, seconds=time.monotonic() - started, error=str(e), exit_code=2)
    except RebuildFailed as e:
        return Outcome(name, seconds=time.monotonic() - started, error=str(e), exit_code=1)
    except Exception as e:  # noqa: BLE001 - a lost connection, a disk full: reported, the others go on
        return Outcome(name, seconds=time.monotonic() - started,
                       error=f"projection '{name}': {type(e).__name__}: {' '.join(str(e).split())}", exit_code=1)
    return Outcome(name, applied, time.monotonic() - started)


def concurrent(url: str, names: Sequence[str], jobs: int) -> bool:
    """Whether to rebuild in processes: PostgreSQL only (SQLite has one writer per file, see below)."""
    return jobs > 1 and len(names) > 1 and as_storage(url).backend == "postgres"


def rebuild_concurrently(url: str, names: Sequence[str], jobs: int, batch_size: int) -> Iterator[Outcome]:
    """Each outcome as its rebuild finishes; `jobs` processes, the largest projections started first.

    Fresh interpreters (spawn), not forks: a fork would copy the parent's threads' state and any
    connection pool it opened. SQLite stays one rebuild at a time in this process (`concurrent`):
    every batch of every view is a write transaction on the one database file, so parallel rebuilds
    would queue at its lock, and one that waited past the 30 s lock timeout would fail.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(names)), mp_context=context) as pool:
        futures: dict[Future[Outcome], str] = {
            pool.submit(rebuild_one, url, name, batch_size): name for name in ordered(names)}
        for future in as_completed(futures):
            name = futures[future]
            try:
                yield future.result()
            except Exception as e:  # noqa: BLE001 - the child died (killed, out of memory): its own line
                yield Outcome(name, error=f"projection '{name}': the rebuild process ended: {type(e).__name__}: {e}",
                              exit_code=1)
