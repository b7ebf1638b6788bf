"""docker-compose.yml as Debian's docker-compose reads it (no engine needed); skips only without the tool."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = shutil.which("docker-compose")
pytestmark = pytest.mark.skipif(COMPOSE is None, reason="docker-compose missing (make test installs it as root)")


def config(env_file: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([COMPOSE or "docker-compose", "--project-directory", str(ROOT), "--env-file", str(env_file),
                           "-f", str(ROOT / "docker-compose.yml"), "config"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_the_compose_file_is_valid_and_complete(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("POSTGRES_PASSWORD=p@ss w:rd/%\nFAMILJEPOOL_MASTER_KEY=a2V5\n")
    result = config(env_file)
    assert result.returncode == 0, result.stderr
    doc = yaml.safe_load(result.stdout)
    services = doc["services"]
    assert set(services) == {"db", "api1", "api2", "projections", "notifier", "proxy"}
    for name in ("api1", "api2"):
        env = services[name]["environment"]
        assert "--no-projections" in services[name]["command"]
        assert env["PGPASSWORD"] == "p@ss w:rd/%" and env["FAMILJEPOOL_DATABASE_URL"] == "postgresql://"
        proxy_address = services["proxy"]["networks"]["internal"]["ipv4_address"]
        assert env["FAMILJEPOOL_TRUSTED_PROXIES"] == proxy_address == env["FORWARDED_ALLOW_IPS"]
        assert "ports" not in services[name]  # reachable through the proxy only
    assert services["projections"]["command"][:3] == ["familjepool", "projections", "run"]
    assert services["notifier"]["command"][:3] == ["familjepool", "notifications", "run"]
    notifier_env = services["notifier"]["environment"]
    assert notifier_env["FAMILJEPOOL_SMTP_HOST"] == "" and notifier_env["PGPASSWORD"] == "p@ss w:rd/%"
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "tls internal" in caddyfile and "reverse_proxy api1:8000 api2:8000" in caddyfile
    assert "respond @monitoring 404" in caddyfile
    text = (ROOT / "docker-compose.yml").read_text() + (ROOT / ".env.example").read_text()
    for placeholder in ("changeme", "change-me", "CHANGE_ME", "secret123", "xxx", "TODO"):
        assert placeholder not in text


def test_an_unfilled_env_file_is_refused_by_name(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text((ROOT / ".env.example").read_text())
    result = config(env_file)
    assert result.returncode != 0 and "POSTGRES_PASSWORD" in result.stderr + result.stdout


def test_the_image_leaves_out_the_local_state() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {"var", ".venv", ".env", ".git"} <= set(ignored)
