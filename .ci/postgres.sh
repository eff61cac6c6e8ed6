#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback, for the storage tests.
#
#   eval "$(bash .ci/postgres.sh start)"   install if needed, start, export TEST_DATABASE_URL
#   bash .ci/postgres.sh url               print the URL of the running server
#   bash .ci/postgres.sh stop              stop it and delete its files
#
# Made for CI on a fresh Debian or Ubuntu machine as root: installs Debian's
# postgresql package when no server binaries are found, runs the server as the
# `postgres` user (root may not), trusts loopback connections (the cluster is
# thrown away afterwards), and keeps everything in one temporary folder.
# Only the export line goes to stdout; progress goes to stderr.
#
# Settings (environment): PGCI_PORT (default 54329), PGCI_DIR (default
# ${TMPDIR:-/tmp}/iro-cp-postgres), PGCI_DB (default iro_cp_test).
set -euo pipefail

PORT=${PGCI_PORT:-54329}
DIR=${PGCI_DIR:-${TMPDIR:-/tmp}/iro-cp-postgres}
DB=${PGCI_DB:-iro_cp_test}
RUN_AS=postgres

say() { echo "postgres.sh: $*" >&2; }

find_bin() {
  # The newest installed major version (e.g. 16 over 9.6).
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5V | tail -n 1 || true)
  [ -n "$newest" ] && [ -x "$newest/initdb" ] && [ -x "$newest/pg_ctl" ] && echo "$newest"
}

as_owner() {
  # Run a command as the cluster's owner (root cannot run the server).
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$RUN_AS" -- "$@"
  else
    "$@"
  fi
}

url() {
  echo "postgresql+psycopg://${RUN_AS}@127.0.0.1:${PORT}/${DB}"
}

start() {
  local bin
  bin=$(find_bin || true)
  if [ -z "$bin" ]; then
    say "installing PostgreSQL from the distribution's packages"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bin=$(find_bin)
  fi
  if [ "$(id -u)" != 0 ]; then
    RUN_AS=$(id -un)
  elif ! id "$RUN_AS" >/dev/null 2>&1; then
    say "creating the $RUN_AS user"
    useradd --system --home-dir "$DIR" --shell /bin/sh "$RUN_AS"
  fi
  if [ -f "$DIR/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    say "already running on port $PORT"
    echo "export TEST_DATABASE_URL=$(url)"
    return 0
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  chown "$RUN_AS" "$DIR" 2>/dev/null || true
  chmod 700 "$DIR"
  say "creating a cluster in $DIR with $bin"
  as_owner "$bin/initdb" -D "$DIR/data" -U "$RUN_AS" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
  say "starting on 127.0.0.1:$PORT"
  as_owner "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR -c max_connections=100 -c fsync=off" \
    start >&2 || { cat "$DIR/server.log" >&2; exit 1; }
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$PORT" -U "$RUN_AS" "$DB" >&2
  echo "$bin" >"$DIR/bin"
  say "ready: $(url)"
  echo "export TEST_DATABASE_URL=$(url)"
}

stop() {
  if [ ! -d "$DIR" ]; then
    say "nothing to stop ($DIR does not exist)"
    return 0
  fi
  local bin
  bin=$(cat "$DIR/bin" 2>/dev/null || find_bin || true)
  if [ -n "$bin" ] && [ -f "$DIR/data/postmaster.pid" ]; then
    if [ "$(id -u)" != 0 ]; then RUN_AS=$(id -un); fi
    as_owner "$bin/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$DIR"
  say "stopped and removed $DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
