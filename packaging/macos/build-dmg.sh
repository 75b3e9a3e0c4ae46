#!/usr/bin/env bash
# Build "dist/Outage-Radar-<version>.dmg" on macOS from packaging/outage-radar.spec (a recipe:
# run by the macOS CI job, never on the Linux machine). The .app is a menu-bar app: LSUIElement.
# Env: PYTHON (3.11+), CODESIGN_IDENTITY (a Developer ID; default: ad-hoc signature only).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(uname -s)" = Darwin ] || { echo "build-dmg.sh runs on macOS only" >&2; exit 1; }
BUILD=build/macos
VENV=$BUILD/venv
APP_NAME="Outage Radar"

[ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q "pyinstaller>=6.10" .
VERSION=$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("outage-radar"))')

rm -rf "$BUILD/dist"
"$VENV/bin/pyinstaller" --noconfirm --distpath "$BUILD/dist" --workpath "$BUILD/work" \
  packaging/outage-radar.spec
APP="$BUILD/dist/$APP_NAME.app"
plutil -lint "$APP/Contents/Info.plist"
[ "$(/usr/libexec/PlistBuddy -c 'Print :LSUIElement' "$APP/Contents/Info.plist")" = true ] \
  || { echo "LSUIElement is not set" >&2; exit 1; }
"$APP/Contents/MacOS/outage-radar" --version

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$APP"
fi
codesign --verify --deep --strict "$APP"

stage=$BUILD/dmg
rm -rf "$stage" && mkdir -p "$stage" dist
cp -R "$APP" "$stage/"
ln -s /Applications "$stage/Applications"
dmg="dist/Outage-Radar-$VERSION.dmg"
rm -f "$dmg"
hdiutil create -volname "$APP_NAME" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
hdiutil verify "$dmg"
echo "built $dmg ($(du -h "$dmg" | cut -f1))"
