#!/usr/bin/env bash
# Makes sure Debian's Chromium is there for the browser tests (Playwright's own download does not work here).
set -euo pipefail
browser="${FAMILJEPOOL_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing Debian's chromium with apt" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "ensure-chromium: $browser is missing. Install Debian's chromium (apt-get install chromium)." >&2
  exit 1
fi
