"""Cost of checking a request's session (one row read) against replaying the User aggregate (what
every authenticated request did before sessions were kept server-side).

    .venv/bin/python benchmarks/session_check.py [--calls 500] [--backend both|sqlite|postgres]

One user with one password change and one disable/enable (5 events, a typical account); the
baseline is `app.user(username)`, the load the old token check made on every request. Reports
the time per call and the ratio session/baseline (below 1: the session check is cheaper).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.auth import SessionService  # noqa: E402
from benchmarks.backends import CHOICES, on_each_backend  # noqa: E402
from pool.actors import Actor  # noqa: E402
from pool.bootstrap import bootstrap, close  # noqa: E402
from pool.sealing import MasterKey  # noqa: E402

PASSWORD = "correct horse battery"


def per_call(fn, calls: int) -> float:
    fn()  # warm up
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def bench(label: str, url: str, calls: int) -> None:
    app = bootstrap(url, MasterKey.from_base64(MasterKey.generate_base64()))
    try:
        system = Actor.system("bench")
        app.add_user(system, "pia.staff", role="pool_staff", password=PASSWORD)
        app.set_password(system, "pia.staff", password="another long password")
        app.disable_user(system, "pia.staff")
        app.enable_user(system, "pia.staff")
        sessions = SessionService(app)
        token = sessions.issue(app.authenticate("pia.staff", "another long password"))
        baseline = per_call(lambda: app.user("pia.staff"), calls)
        session = per_call(lambda: sessions.verify(token), calls)
        print(f"{label:11} replay User {baseline * 1e6:8.0f} µs   session row {session * 1e6:8.0f} µs   "
              f"ratio {session / baseline:.2f}")
    finally:
        close(app)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--backend", choices=CHOICES, default="both")
    args = parser.parse_args()
    on_each_backend(args.backend, lambda label, url: bench(label, url, args.calls))


if __name__ == "__main__":
    main()
