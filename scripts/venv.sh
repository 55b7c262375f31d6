#!/usr/bin/env bash
# Create .venv and install the project (with test tools when given "test"); quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
extra=${1:-}
[ -x .venv/bin/python ] || python3.11 -m venv .venv
stamp=.venv/.installed${extra:+-$extra}
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install --quiet --upgrade pip
  if [ -n "$extra" ]; then .venv/bin/pip install --quiet -e ".[$extra]"; else .venv/bin/pip install --quiet -e .; fi
  touch "$stamp"
fi
