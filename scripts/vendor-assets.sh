#!/usr/bin/env bash
# Refresh the vendored Bootstrap 5 and jsQR from the npm registry (never a CDN): `make vendor`.
#   static/vendor/bootstrap/{bootstrap.min.css,bootstrap.bundle.min.js,LICENSE}
#   static/vendor/jsqr/{jsQR.js,LICENSE,VERSION}
# Source-map comments are stripped: the maps are not vendored, and browsers would ask for them.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${BOOTSTRAP_VERSION:-5}"
DEST=static/vendor/bootstrap
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

command -v npm >/dev/null || { echo "vendor-assets: npm is needed" >&2; exit 1; }
(cd "$WORK" && npm pack --silent "bootstrap@${VERSION}" >/dev/null)
tar -xzf "$WORK"/bootstrap-*.tgz -C "$WORK"
PKG="$WORK/package"

mkdir -p "$DEST"
strip_maps() { sed -E '/^\/[\/*]# sourceMappingURL=.*$/d' "$1" > "$2"; }
strip_maps "$PKG/dist/css/bootstrap.min.css" "$DEST/bootstrap.min.css"
strip_maps "$PKG/dist/js/bootstrap.bundle.min.js" "$DEST/bootstrap.bundle.min.js"
cp "$PKG/LICENSE" "$DEST/LICENSE"

if grep -q "sourceMappingURL" "$DEST"/bootstrap.min.css "$DEST"/bootstrap.bundle.min.js; then
  echo "vendor-assets: a sourceMappingURL survived" >&2
  exit 1
fi
echo "Bootstrap $(node -p "require('$PKG/package.json').version" 2>/dev/null || echo "$VERSION") vendored in $DEST"

# jsQR: the outlet counter's QR decoder (static/vendor/jsqr/), fetched only when a scan starts.
JSQR_VERSION="${JSQR_VERSION:-1.4.0}"
JSQR_DEST=static/vendor/jsqr
(cd "$WORK" && npm pack --silent "jsqr@${JSQR_VERSION}" >/dev/null)
mkdir -p "$WORK/jsqr" "$JSQR_DEST"
tar -xzf "$WORK"/jsqr-*.tgz -C "$WORK/jsqr"
strip_maps "$WORK/jsqr/package/dist/jsQR.js" "$JSQR_DEST/jsQR.js"
cp "$WORK/jsqr/package/LICENSE" "$JSQR_DEST/LICENSE"
echo "jsQR ${JSQR_VERSION} (npm: jsqr), dist/jsQR.js. Apache-2.0, https://github.com/cozmo/jsQR" > "$JSQR_DEST/VERSION"
echo "jsQR ${JSQR_VERSION} vendored in $JSQR_DEST"
