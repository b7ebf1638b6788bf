"""`familjepool serve`: one embedded process, or N API processes and one projection worker process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

import typer
import uvicorn

from api.cli_errors import check_database
from pool.logging_config import logging_config
from pool.settings import database_url


def _metrics_dir() -> str:
    """A fresh PROMETHEUS_MULTIPROC_DIR: counters of an earlier run must not be added to this one."""
    configured = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if configured:
        os.makedirs(configured, exist_ok=True)
        for name in os.listdir(configured):
            if name.endswith(".db"):
                os.unlink(os.path.join(configured, name))
        return configured
    path = tempfile.mkdtemp(prefix="familjepool-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path
    return path


def start_projection_worker() -> subprocess.Popen[bytes]:
    """`familjepool projections run --wait`: waits for the locks if another runner has them."""
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    return subprocess.Popen([sys.executable, "-m", "projections", "run", "--wait"], env=env)


def start_notifier() -> subprocess.Popen[bytes]:
    """`familjepool notifications run --wait`: the notices and e-mail, in a process of their own."""
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    return subprocess.Popen([sys.executable, "-m", "api.cli_notifications", "run", "--wait"], env=env)


def proxy_settings() -> dict[str, object]:
    """Which proxies may set X-Forwarded-For/-Proto: FAMILJEPOOL_TRUSTED_PROXIES (comma-separated
    addresses or networks); none by default, so no client can claim another address or https."""
    trusted = os.environ.get("FAMILJEPOOL_TRUSTED_PROXIES", "").strip()
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}


def serve(host: str, port: int, workers: int | None, no_projections: bool) -> None:
    check_database(database_url())  # one clear line (api.cli_errors) instead of N workers' tracebacks
    log_config = logging_config()
    if workers is None and not no_projections:
        from api.app import create_app  # embedded: API and projections in this one process

        uvicorn.run(create_app(), host=host, port=port, log_config=log_config, access_log=False,
                    **proxy_settings())
        return
    os.environ["FAMILJEPOOL_RUN_PROJECTIONS"] = "0"
    os.environ["FAMILJEPOOL_RUN_NOTIFIER"] = "0"  # (only embedded processes start one of their own)
    workers = workers or 1
    own_dir = "PROMETHEUS_MULTIPROC_DIR" not in os.environ
    metrics_dir = _metrics_dir() if workers > 1 else None
    worker = None if no_projections else start_projection_worker()
    notifier = None if no_projections else start_notifier()
    try:
        uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers,
                    log_config=log_config, access_log=False, **proxy_settings())
    finally:
        for process in (worker, notifier):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        if metrics_dir and own_dir:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    if worker is not None and worker.returncode not in (0, -15, None):
        typer.echo(f"error: the projection worker ended with status {worker.returncode}", err=True)
        raise typer.Exit(1)
