#!/usr/bin/env bash
# Refresh the vendored Bootstrap 5, jsQR and Workbox from the npm registry (never a CDN): `make vendor`.
#   static/vendor/bootstrap/{bootstrap.min.css,bootstrap.bundle.min.js,LICENSE}
#   static/vendor/jsqr/{jsQR.js,LICENSE,VERSION}
#   static/vendor/workbox/{workbox-sw.js,workbox-{core,routing,strategies,precaching}.prod.js,LICENSE,VERSION}
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

# Workbox: the outlet counter's service worker (static/vendor/workbox/), loaded from our own origin
# with importScripts and workbox.setConfig({modulePathPrefix}), never from Google's CDN. Only the
# production builds of the modules the worker uses (templates/counter/sw.js).
WORKBOX_VERSION="${WORKBOX_VERSION:-7.4.1}"
WORKBOX_DEST=static/vendor/workbox
WORKBOX_MODULES="core routing strategies precaching"
mkdir -p "$WORKBOX_DEST" "$WORK/workbox"
(cd "$WORK/workbox" && npm pack --silent "workbox-sw@${WORKBOX_VERSION}" >/dev/null)
tar -xzf "$WORK"/workbox/workbox-sw-*.tgz -C "$WORK/workbox"
strip_maps "$WORK/workbox/package/build/workbox-sw.js" "$WORKBOX_DEST/workbox-sw.js"
cp "$WORK/workbox/package/LICENSE" "$WORKBOX_DEST/LICENSE"
for module in $WORKBOX_MODULES; do
  rm -rf "$WORK/workbox/package"
  (cd "$WORK/workbox" && npm pack --silent "workbox-${module}@${WORKBOX_VERSION}" >/dev/null)
  tar -xzf "$WORK"/workbox/workbox-${module}-*.tgz -C "$WORK/workbox"
  strip_maps "$WORK/workbox/package/build/workbox-${module}.prod.js" "$WORKBOX_DEST/workbox-${module}.prod.js"
done
echo "Workbox ${WORKBOX_VERSION} (npm: workbox-sw, workbox-{${WORKBOX_MODULES// /,}}), build/*.prod.js. MIT, https://github.com/GoogleChrome/workbox" > "$WORKBOX_DEST/VERSION"
if grep -q "sourceMappingURL" "$WORKBOX_DEST"/*.js; then
  echo "vendor-assets: a sourceMappingURL survived in $WORKBOX_DEST" >&2
  exit 1
fi
echo "Workbox ${WORKBOX_VERSION} vendored in $WORKBOX_DEST"
