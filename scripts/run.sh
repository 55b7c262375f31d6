#!/usr/bin/env bash
# make run: install, build assets, migrate, load the Hunan tree and the demo data (first run only),
# then serve on http://127.0.0.1:8000 with a task worker beside the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh
scripts/build_assets.sh
export DEBUG=${DEBUG:-true}
py=.venv/bin/python
$py manage.py migrate --noinput -v 0
$py manage.py collectstatic --noinput -v 0
$py manage.py load_divisions --province "${FPA_PROVINCE:-43}" --if-empty
$py manage.py load_demo
$py manage.py db_worker &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT
$py manage.py runserver 127.0.0.1:8000 --noreload
