#!/usr/bin/env bash
# make test: install what the tests need, build assets, run the whole suite (pytest args pass through).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh test
scripts/build_assets.sh
scripts/browser_deps.sh
export DJANGO_ALLOW_ASYNC_UNSAFE=true
exec .venv/bin/pytest "$@"
