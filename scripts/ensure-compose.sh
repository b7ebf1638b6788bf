#!/usr/bin/env bash
# Installs Debian's docker-compose (only to validate docker-compose.yml; no engine is needed) when we are root.
set -euo pipefail
if command -v docker-compose >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-compose: installing docker-compose with apt (to check docker-compose.yml)" >&2
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
  fi
else
  echo "ensure-compose: docker-compose is missing; tests/integration/test_compose.py will skip" >&2
fi
