#!/usr/bin/env bash
# Start (or stop) a private PostgreSQL cluster and Redis server on loopback for the test suite.
# Usage: scripts/services.sh start|stop   — prints nothing on success; state lives in var/services/.
set -euo pipefail
cd "$(dirname "$0")/.."

STATE="$PWD/var/services"
PG_PORT="${LK_PG_PORT:-54329}"
REDIS_PORT="${LK_REDIS_PORT:-63799}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  mkdir -p "$STATE"
  # A server that already answers on the port (another checkout's, or the machine's) is used as it is,
  # and left running by stop: only what this script started is stopped.
  if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
    if [[ ! -f "$STATE/pg/PG_VERSION" ]]; then
      mkdir -p "$STATE/pg"
      [[ $(id -u) -eq 0 ]] && chown postgres "$STATE/pg"
      as_postgres "$PG_BIN/initdb" -D "$STATE/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_postgres "$PG_BIN/pg_ctl" -D "$STATE/pg" -l "$STATE/pg/server.log" -w \
      -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
    touch "$STATE/started-pg"
  fi
  if ! psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -Atc "select 1 from pg_database where datname='lanskompott'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database lanskompott" >/dev/null
  fi
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log"
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    touch "$STATE/started-redis"
  fi
}

stop() {
  if [[ -f "$STATE/started-pg" ]]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$STATE/pg" -m fast stop >/dev/null 2>&1 || true
    rm -f "$STATE/started-pg"
  fi
  if [[ -f "$STATE/started-redis" ]]; then
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    rm -f "$STATE/started-redis"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
