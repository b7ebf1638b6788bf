"""Running the real `familjepool` command in subprocesses: the CLI, and a server on a free port."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from pool.sealing import MasterKey

FAMILJEPOOL = str(Path(sys.executable).with_name("familjepool"))


def ops_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FAMILJEPOOL_", "PG", "PROMETHEUS_"))}
    env.update({"FAMILJEPOOL_DATABASE_URL": database_url, "FAMILJEPOOL_MASTER_KEY": MasterKey.generate_base64()})
    env.update(extra)
    return env


def familjepool(env: dict[str, str], *args: str, input: str | None = None,
                timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([FAMILJEPOOL, *args], env=env, input=input, capture_output=True, text=True,
                          timeout=timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


@contextmanager
def served(env: dict[str, str], log: Path, *args: str, timeout: float = 90) -> Iterator[Served]:
    """`familjepool serve ARGS` until the block ends; its stderr (the log) goes to `log`."""
    port = free_port()
    with open(log, "wb") as sink:
        process = subprocess.Popen([FAMILJEPOOL, "serve", "--port", str(port), *args], env=env,
                                   stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"serve did not start: {log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield Served(url, process, log)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def child_commands(pid: int) -> list[str]:
    """The command lines of a process's children (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, IndexError, ValueError):
            continue
    return found


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in a Prometheus exposition (0 if absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" ([0-9.e+-]+)$"
    match = re.search(pattern, text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0
