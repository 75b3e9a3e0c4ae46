#!/usr/bin/env bash
# Install Outage Radar from this checkout into .venv (with Qt's system libraries, as root on
# Debian/Ubuntu) and start it. Arguments go to `outage-radar` (e.g. `status`, `--catalog F`).
set -euo pipefail
cd "$(dirname "$0")/.."

QT_LIBS=(
  libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-xinerama0 libxcb-shape0 libegl1 libgl1 libfontconfig1 libdbus-1-3
)
if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for pkg in "${QT_LIBS[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi
[ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q .
exec .venv/bin/outage-radar "$@"
