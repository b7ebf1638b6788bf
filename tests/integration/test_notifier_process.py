"""`familjepool notifications run` as a process of its own: it sends to the SMTP server, then the CLI lists failures."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pool.bootstrap import bootstrap, close
from pool.sealing import MasterKey
from tests.factories import add_members, published_family
from tests.integration.notify_support import add_user, smtp_server  # noqa: F401
from tests.integration.ops_support import FAMILJEPOOL, familjepool, ops_env


def test_the_notifier_process_sends_and_the_cli_lists_failures(tmp_path: Path, smtp_server) -> None:
    inbox, port = smtp_server
    url = f"sqlite:///{tmp_path}/familjepool.db"
    env = ops_env(url, FAMILJEPOOL_SMTP_HOST="127.0.0.1", FAMILJEPOOL_SMTP_PORT=str(port),
                  FAMILJEPOOL_SMTP_STARTTLS="0", FAMILJEPOOL_SMTP_SENDER="notiser@pool.example",
                  FAMILJEPOOL_BASE_URL="https://pool.example")
    app = bootstrap(url, MasterKey.from_base64(env["FAMILJEPOOL_MASTER_KEY"]))
    try:
        add_members(app)
        sara = add_user(app, "sara.solna", "municipality", "0184", email="sara@solna.example")
        app.save_search(sara, criteria={"kind": "familjehem"})
        published_family(app)
    finally:
        close(app)

    process = subprocess.Popen([FAMILJEPOOL, "notifications", "run"], env=env, stderr=subprocess.PIPE)
    try:
        assert inbox.wait_for(1, timeout=60), process.stderr.read1().decode() if process.poll() is not None else ""
        busy = familjepool(env, "notifications", "run")  # one notifier per database
        assert busy.returncode == 2 and "already running" in busy.stderr
        for _ in range(20):  # the row is marked sent just after the server's "250"
            shown = familjepool(env, "notifications", "status")
            if "outbox: sent 1" in shown.stdout:
                break
        assert shown.returncode == 0 and "notifications  position" in shown.stdout and " running " in shown.stdout
        assert "outbox: sent 1" in shown.stdout, shown.stdout
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert inbox.recipients == [["sara@solna.example"]]
    assert "https://pool.example/katalog/" in inbox.messages[0].get_payload()
    listed = familjepool(env, "notifications", "failed")
    assert listed.returncode == 0 and "0 e-mail(s)" in listed.stderr
    not_halted = familjepool(env, "notifications", "resume")
    assert not_halted.returncode == 1 and "not halted" in not_halted.stdout


def test_the_operator_sets_addresses_and_kontaktkommuner(tmp_path: Path) -> None:
    env = ops_env(f"sqlite:///{tmp_path}/familjepool.db")
    app = bootstrap(env["FAMILJEPOOL_DATABASE_URL"], MasterKey.from_base64(env["FAMILJEPOOL_MASTER_KEY"]))
    try:
        add_members(app)
        add_user(app, "sara.solna", "municipality", "0184")
        add_user(app, "pia.staff", "pool_staff")
    finally:
        close(app)
    done = familjepool(env, "users", "set-email", "sara.solna", "sara@solna.example")
    assert done.returncode == 0 and "set the e-mail address of sara.solna" in done.stdout, done.stderr
    assert familjepool(env, "users", "set-email", "sara.solna").stdout.startswith("removed")
    refused = familjepool(env, "users", "set-email", "sara.solna", "inte-en-adress")
    assert refused.returncode == 1 and refused.stderr.startswith("error: ")
    done = familjepool(env, "users", "set-contacts", "pia.staff", "0184", "0191")
    assert done.returncode == 0 and "pia.staff follows 0184, 0191" in done.stdout, done.stderr
    refused = familjepool(env, "users", "set-contacts", "sara.solna", "0184")
    assert refused.returncode == 1 and "pool staff" in refused.stderr
