#!/usr/bin/env bash
# Refresh the vendored Bootstrap 5 from the npm registry (never a CDN): `make vendor`.
#   static/vendor/bootstrap/{bootstrap.min.css,bootstrap.bundle.min.js,LICENSE}
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
