#!/usr/bin/env bash
# Build dist/outage-radar_<version>_<arch>.deb from this checkout (a clean clone is enough):
# a PyInstaller one-folder bundle in /opt/outage-radar, /usr/bin/outage-radar, the desktop entry,
# hicolor icons and AppStream metainfo; Depends computed by dpkg-shlibdeps plus Qt's xcb needs.
# Needs: python3 (>= 3.11, with venv), dpkg-dev, binutils, and PyPI (or a warm pip cache).
# Env: PYTHON (interpreter for the build venv), OUTAGE_RADAR_BUILD_VENV (reuse a venv).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
APP=outage-radar
APP_ID=io.github.outage_radar.OutageRadar
BUILD=$ROOT/build/deb
VENV=${OUTAGE_RADAR_BUILD_VENV:-$BUILD/venv}
STAGE=$BUILD/root
LOG=$BUILD/build.log
# What Qt's xcb platform needs, some of it only at run time; dpkg-shlibdeps adds the rest.
QT_XCB_DEPENDS=(
  libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-xinerama0 libxcb-shape0 libegl1 libgl1 libfontconfig1 libdbus-1-3
)
started=$(date +%s)

die() { echo "build-deb: $*" >&2; exit 1; }
step() { echo "== $*"; }
run_logged() {  # run quietly; show the log's tail when it fails
  "$@" >>"$LOG" 2>&1 || { tail -n 40 "$LOG" >&2; die "failed: $* (full log: $LOG)"; }
}

for tool in dpkg-deb dpkg-shlibdeps objdump; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install dpkg-dev binutils)"
done
mkdir -p "$BUILD" dist
: >"$LOG"

step "build venv: $VENV"
[ -x "$VENV/bin/python" ] || run_logged "${PYTHON:-python3}" -m venv "$VENV"
# setuptools reuses build/lib between builds: a module deleted since would still be packaged.
rm -rf "$ROOT/build/lib" "$ROOT"/build/bdist.*
run_logged "$VENV/bin/python" -m pip install -q "pyinstaller>=6.10" "$ROOT"
VERSION=$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("outage-radar"))')
VERSION=$(sed -E 's/(a|b|rc|\.dev)([0-9]+)$/~\1\2/' <<<"$VERSION")  # 1.0rc1 sorts before 1.0: 1.0~rc1
ARCH=$(dpkg --print-architecture)

step "PyInstaller bundle (packaging/$APP.spec)"
rm -rf "$BUILD/bundle"
PYINSTALLER_CONFIG_DIR=$BUILD/pyinstaller-config run_logged "$VENV/bin/pyinstaller" \
  --noconfirm --log-level WARN --distpath "$BUILD/bundle" --workpath "$BUILD/work" \
  "packaging/$APP.spec"
"$BUILD/bundle/$APP/$APP" --version >/dev/null || die "the bundle does not start"

step "staging the package tree"
rm -rf "$STAGE"
mkdir -p "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/DEBIAN"
cp -a "$BUILD/bundle/$APP" "$STAGE/opt/$APP"
ln -s "/opt/$APP/$APP" "$STAGE/usr/bin/$APP"
install -Dm644 "resources/$APP_ID.desktop" "$STAGE/usr/share/applications/$APP_ID.desktop"
install -Dm644 "resources/$APP_ID.metainfo.xml" "$STAGE/usr/share/metainfo/$APP_ID.metainfo.xml"
for dir in resources/icons/hicolor/*/apps; do
  size=$(basename "$(dirname "$dir")")
  install -Dm644 -t "$STAGE/usr/share/icons/hicolor/$size/apps" "$dir/$APP_ID".*
done
install -Dm644 packaging/linux/copyright "$STAGE/usr/share/doc/$APP/copyright"
install -m755 packaging/linux/postinst packaging/linux/postrm "$STAGE/DEBIAN/"
chmod -R u+rwX,go+rX,go-w "$STAGE"

step "dependencies (dpkg-shlibdeps)"
mapfile -t elves < <("$VENV/bin/python" - "$STAGE/opt/$APP" <<'PY'
import sys
from pathlib import Path

for path in sorted(Path(sys.argv[1]).rglob("*")):
    if path.is_file() and not path.is_symlink():
        with path.open("rb") as fh:
            if fh.read(4) == b"\x7fELF":
                print(path)
PY
)
libdirs=()
while IFS= read -r dir; do libdirs+=("-l$dir"); done < <(printf '%s\n' "${elves[@]}" | xargs -n1 dirname | sort -u)
shl=$BUILD/shlibdeps
rm -rf "$shl" && mkdir -p "$shl/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$APP" "$APP" >"$shl/debian/control"
depends=$(cd "$shl" && dpkg-shlibdeps -O --ignore-missing-info "${libdirs[@]}" "${elves[@]}" 2>>"$LOG" \
  | sed -n 's/^shlibs:Depends=//p') || die "dpkg-shlibdeps failed (log: $LOG)"
[ -n "$depends" ] || die "dpkg-shlibdeps found no dependencies (log: $LOG)"
for pkg in "${QT_XCB_DEPENDS[@]}"; do
  [[ ", $depends," =~ ,\ $pkg[\ ,] ]] || depends="$depends, $pkg"
done

installed_kib=$(find "$STAGE" -path "$STAGE/DEBIAN" -prune -o \( -type f -o -type l \) -printf '%s\n' \
  | awk '{ kib += int(($1 + 1023) / 1024) } END { print kib }')
cat >"$STAGE/DEBIAN/control" <<EOF
Package: $APP
Version: $VERSION
Architecture: $ARCH
Maintainer: Outage Radar team <outage-radar@users.noreply.github.com>
Installed-Size: $installed_kib
Depends: $depends
Suggests: gnome-keyring
Section: net
Priority: optional
Homepage: https://github.com/outage-radar/outage-radar
Description: tray notifier for the status of AI services
 Outage Radar watches the public status pages of ChatGPT, the OpenAI API, Claude,
 Gemini, GitHub Copilot and other AI services from the system tray. The icon shows
 the worst current state, the menu lists each service with its incident text, and
 native notifications announce confirmed changes and recoveries.
 .
 The outage-radar command also checks and watches status pages from a terminal.
EOF

step "dpkg-deb"
deb=dist/${APP}_${VERSION}_${ARCH}.deb
rm -f "$deb"
run_logged dpkg-deb --root-owner-group --build "$STAGE" "$deb"
elapsed=$(( $(date +%s) - started ))
deb_bytes=$(stat -c %s "$deb")
echo "built $deb"
awk -v b="$deb_bytes" -v k="$installed_kib" -v t="$elapsed" 'BEGIN {
  printf "deb size: %.1f MiB; installed size: %.1f MiB; build time: %d s\n", b / 1048576, k / 1024, t }'
