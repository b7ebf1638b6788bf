"""National scale: 290 members, N families with ~20 events each, then a timed full rebuild on PostgreSQL.

    .venv/bin/python benchmarks/national.py [--sizes 5000,20000] [--backend postgres|sqlite|both]

Members come from SCB's municipality list (../shared/data/kommuner.csv beside the repository).
Each family gets its whole history through the application's commands (benchmarks/history.py,
batched saves): application, investigation, approval, training, publication, referral, proposal,
interest, brokering, placement and its end. After each size the whole read side is rebuilt by
`familjepool projections rebuild --all` in a child process, timed, with the peak of the resident
memory summed over it and its worker processes (and the largest single process's peak).
The cost per event between the two sizes is extrapolated to 100 000 families; the last line
prints that estimate as a share of the goal (10 minutes, 1 GiB).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.backends import CHOICES, on_each_backend  # noqa: E402
from benchmarks.history import BatchingApp, generate  # noqa: E402
from pool.actors import Actor  # noqa: E402
from pool.sealing import MasterKey, Sealer  # noqa: E402
from pool.settings import parse_database_url  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KOMMUNER = ROOT.parent / "shared" / "data" / "kommuner.csv"
GOAL_SECONDS, GOAL_BYTES, TARGET_FAMILIES = 600, 1 << 30, 100_000


def members() -> dict[str, str]:
    with KOMMUNER.open(encoding="utf-8") as f:
        return {row["kommunkod"]: row["kommun"] for row in csv.DictReader(f)}


def tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants now (Linux /proc): the parallel rebuild's sum."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue
    return total


def rebuild_all(url: str) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, the largest process's peak resident bytes and the peak sum over the process
    tree (sampled every 0.2 s) of `familjepool projections rebuild --all` (a child)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    child = subprocess.Popen([str(Path(sys.executable).with_name("familjepool")), "projections", "rebuild", "--all",
                              "--database-url", url], cwd=ROOT, stdout=subprocess.DEVNULL,
                             env={**os.environ, "FAMILJEPOOL_MASTER_KEY": MasterKey.generate_base64()})
    tree_peak = 0
    while child.poll() is None:
        tree_peak = max(tree_peak, tree_rss(child.pid))
        time.sleep(0.2)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, child.args)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kib = usage.ru_maxrss  # max over the children so far (one process: a worker or the parent)
    return seconds, usage.ru_utime + usage.ru_stime - cpu_before, max(peak_kib, before) * 1024, tree_peak


def bench(label: str, url: str, sizes: list[int], result: list[str]) -> None:
    storage = parse_database_url(url)
    app = BatchingApp(env=storage.env, sealer=Sealer(storage.keystore(), MasterKey.from_base64(MasterKey.generate_base64())))
    codes = members()
    system = Actor.system("bench")
    for code, name in codes.items():
        app.put_member(system, code, name=name, joined_on="2020-01-01")
    print(f"\n{label}: {len(codes)} members", flush=True)
    points: list[tuple[int, float]] = []
    done = 0
    try:
        for size in sizes:
            started = time.perf_counter()
            generate(app, size - done, list(codes), with_history=True, seed=size)
            done = size
            events = app.recorder.max_notification_id() or 0
            made = time.perf_counter() - started
            print(f"  {size:>7} families, {events:>9,} events (generated through the commands in {made:.0f} s)",
                  flush=True)
            seconds, cpu, one, peak = rebuild_all(url)
            points.append((events, seconds))
            print(f"    full rebuild: {seconds:7.1f} s  {events / seconds:8,.0f} events/s  peak RSS {peak / 2**20:6.0f} MiB"
                  f" summed over its processes (the largest one {one / 2**20:.0f} MiB)"
                  f"  (CPU {cpu:.1f} s summed over its processes; the server's is not counted)",
                  flush=True)
    finally:
        app.sealer.keystore.close()
        app.close()
    (e1, t1), (e2, t2) = points[0], points[-1]
    per_event = (t2 - t1) / (e2 - e1) if e2 > e1 else 0.0
    if per_event <= 0:  # sizes too small to rise above the fixed cost and the noise: use the average instead
        per_event = t2 / e2
    target_events = TARGET_FAMILIES * e2 / sizes[-1]
    estimate = t2 + per_event * (target_events - e2)
    measured = "measured" if e2 >= target_events else "linear extrapolation"
    print(f"  marginal cost {per_event * 1e6:.0f} µs/event; {TARGET_FAMILIES:,} families ≈ {target_events:,.0f} events"
          f" ≈ {estimate / 60:.1f} min ({measured}; peak RSS measured {peak / 2**20:.0f} MiB)")
    result.append(f"{label} {'measured' if measured == 'measured' else 'estimated'} rebuild of {TARGET_FAMILIES:,} families {estimate / 60:.1f} min = "
                  f"{estimate / GOAL_SECONDS:.0%} of the 10 min goal; peak {peak / GOAL_BYTES:.0%} of 1 GiB at {sizes[-1]:,}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="5000,20000")
    parser.add_argument("--backend", choices=CHOICES, default="postgres")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    result: list[str] = []
    on_each_backend(args.backend, lambda label, url: bench(label, url, sizes, result))
    print(f"\nratio: {'; '.join(result)}")


if __name__ == "__main__":
    main()
