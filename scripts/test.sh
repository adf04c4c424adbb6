#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs everything, starts PostgreSQL and Redis on loopback,
# then lint, migration and deployment checks, and pytest against PostgreSQL (browser tests included).
# Extra arguments go to pytest, e.g. scripts/test.sh tests/municipalities -x
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --with-test-services
scripts/services.sh start
trap 'scripts/services.sh stop' EXIT

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:${LK_PG_PORT:-54329}/lanskompott}"
export LK_TEST_REDIS_URL="${LK_TEST_REDIS_URL:-redis://127.0.0.1:${LK_REDIS_PORT:-63799}/0}"
export LK_BROWSER_EXECUTABLE="${LK_BROWSER_EXECUTABLE:-/usr/bin/chromium}"
PY=.venv/bin/python

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { .venv/bin/ruff format --diff . | head -50; exit 1; }

echo "== migrations and translations"
DJANGO_DEBUG=true $PY manage.py makemigrations --check --dry-run >/dev/null
DJANGO_DEBUG=true $PY manage.py compilemessages --ignore=.venv >/dev/null

echo "== check --deploy with production settings"
DJANGO_SECRET_KEY="check-deploy-$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')" \
DJANGO_ALLOWED_HOSTS=example.org LANSKOMPOTT_SITE_URL=https://example.org \
  $PY manage.py check --deploy --fail-level WARNING

echo "== collectstatic"
DJANGO_SECRET_KEY=collectstatic LANSKOMPOTT_SITE_URL=https://example.org \
  $PY manage.py collectstatic --noinput >/dev/null

echo "== pytest"
$PY -m pytest --create-db "$@"
