#!/usr/bin/env bash
# Installs from Debian's packages whatever the tests need and this machine lacks:
# Chromium and its WebDriver (browser tests), a CJK font (readable screenshots) and, only if
# the PostgreSQL 15 binaries are nowhere to be found, PostgreSQL 15 itself.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
if [ ! -x /usr/local/bin/initdb ] && [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  need+=(postgresql-15)
fi
command -v python3 >/dev/null || need+=(python3)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "installing test dependencies: ${need[*]}"
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "missing ${need[*]}; install them as root (apt-get install ${need[*]})" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
