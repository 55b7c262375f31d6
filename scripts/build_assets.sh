#!/usr/bin/env bash
# Install the pinned front-end packages from the npm registry and copy what the pages use
# into the static folder: government intranets have no CDN, everything is served locally.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/fpa/core/static/vendor
if [ ! -d node_modules/@tabler/core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p "$out"
cp node_modules/@tabler/core/dist/css/tabler.min.css "$out/"
cp node_modules/@tabler/core/dist/js/tabler.min.js "$out/"
cp node_modules/htmx.org/dist/htmx.min.js "$out/"
cp node_modules/echarts/dist/echarts.min.js "$out/"
