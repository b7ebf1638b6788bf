#!/usr/bin/env bash
# Makes sure the PostgreSQL server the tests use is up and has the test database; fails loudly otherwise.
set -euo pipefail
url="${FAMILJEPOOL_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/familjepool_test}"

if [ -n "${FAMILJEPOOL_TEST_DATABASE_URL:-}" ]; then
  # A server named by the user is theirs to run; we only check we can reach it (below).
  :
elif ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "ensure-postgres: installing PostgreSQL with apt" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
      echo "ensure-postgres: no PostgreSQL server. Install it (Debian: apt-get install postgresql) or set FAMILJEPOOL_TEST_DATABASE_URL." >&2
      exit 1
    fi
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "ensure-postgres: starting PostgreSQL $version" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

# Trust auth for user postgres on our machines; create the test database once.
admin_url="${url%/*}/postgres"
dbname="${url##*/}"; dbname="${dbname%%\?*}"
if ! psql "$admin_url" -tAc "SELECT 1" >/dev/null 2>&1; then
  echo "ensure-postgres: cannot connect to $admin_url; the PostgreSQL tests need it (they never skip)." >&2
  exit 1
fi
if [ "$(psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname='$dbname'")" != "1" ]; then
  psql "$admin_url" -qc "CREATE DATABASE \"$dbname\"" >/dev/null
fi
echo "ensure-postgres: $url is ready" >&2
