#!/usr/bin/env bash
# The demo on this machine: installs everything, migrates an SQLite file, loads the Västmanland network,
# creates demo users, starts a Celery worker (with beat) on a file-system broker and the app at
# http://127.0.0.1:8000. No PostgreSQL or Redis needed. Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

export DJANGO_DEBUG=true
export LANSKOMPOTT_DEMO=true
# The demo always uses its own SQLite file and broker, whatever the shell has set.
unset DATABASE_URL CELERY_BROKER_URL
VAR_DIR="${LANSKOMPOTT_VAR_DIR:-$PWD/var}"
PY=.venv/bin/python

mkdir -p "$VAR_DIR/celery/queue" "$VAR_DIR/celery/processed" "$VAR_DIR/celery/control"
$PY manage.py migrate --noinput -v 0
$PY manage.py compilemessages --ignore=.venv -v 0
$PY manage.py load_network vastmanland
$PY manage.py seed_demo | tee "$VAR_DIR/demo-users.txt"

.venv/bin/celery -A lanskompott worker -B --pool=solo --loglevel=info \
  --schedule "$VAR_DIR/celery/beat-schedule" >"$VAR_DIR/celery/worker.log" 2>&1 &
WORKER_PID=$!
trap 'kill "$WORKER_PID" 2>/dev/null || true; wait "$WORKER_PID" 2>/dev/null || true' EXIT

cat <<TEXT

The app starts at http://127.0.0.1:8000 (Celery worker log: $VAR_DIR/celery/worker.log).
Sign in with a demo user above (e.g. koping.kontakt) and the password printed, then give the six-digit
code: add the user's secret to an authenticator app, or in another terminal run
    DJANGO_DEBUG=true LANSKOMPOTT_DEMO=true .venv/bin/python manage.py demo_code koping.kontakt
The users and secrets are also in $VAR_DIR/demo-users.txt. Administration: user admin, at /admin/.

TEXT
$PY manage.py runserver 127.0.0.1:8000
