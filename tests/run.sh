#!/usr/bin/env bash
# Install everything the test suite needs (system packages too, as root on Debian/Ubuntu),
# then run ruff, mypy and the whole pytest suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  xvfb dbus dbus-x11 dunst trayer xdotool imagemagick gnome-keyring
  libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-xinerama0 libxcb-shape0 libegl1 libgl1
  libfontconfig1 libdbus-1-3 desktop-file-utils appstream
  # StatusNotifierItem trays (tests/e2e/sni.py): headless sway with waybar/swaybar and mako,
  # grim for Wayland screenshots, Qt's own Wayland plugin's libraries (PySide6 ships the plugin),
  # xfce4-panel on Xvfb, tesseract to read menus and tooltips off the screen, setpriv/useradd
  # to run sway as an unprivileged user
  sway waybar grim mako-notifier fonts-dejavu-core
  libwayland-client0 libwayland-cursor0 libwayland-egl1 libxkbcommon0
  xfce4-panel xfconf tesseract-ocr tesseract-ocr-eng util-linux passwd
  dpkg-dev binutils python3-venv git  # packaging/build-deb.sh and the package tests
)

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true needs root on Debian/Ubuntu to install: ${APT_PACKAGES[*]}" >&2
  exit 1
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PYTHON" -m venv .venv
fi
echo "== installing the project and its test tools"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"

echo "== ruff"
.venv/bin/ruff check desktop tests packaging
.venv/bin/ruff format --check desktop tests packaging
echo "== mypy (strict)"
.venv/bin/mypy
run_pytest() {  # pytest's exit code, except that "collected nothing" (5) is a failure
  local code=0
  .venv/bin/python -m pytest "$@" || code=$?
  if [ "$code" = 5 ]; then
    echo "pytest collected no tests ($*)" >&2
    code=1
  fi
  return "$code"
}
if [ $# -gt 0 ]; then
  echo "== pytest $*"
  run_pytest "$@"
  exit $?
fi
# The slow package tests (wheel, sdist, .deb build + install) run once, after everything else.
echo "== pytest"
code=0
run_pytest -m "not package" || code=$?
echo "== pytest -m package (builds and installs the packages)"
run_pytest -m package || { c=$?; [ "$code" != 0 ] || code=$c; }
exit "$code"
