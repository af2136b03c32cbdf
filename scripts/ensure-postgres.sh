#!/usr/bin/env bash
# Prints (on stdout, and nothing else) an admin URL of a PostgreSQL server for
# the tests. The tests create (and drop) throwaway databases on it, so the role
# needs CREATEDB.
#
#   1. $DATABASE_URL, if set (printed as is);
#   2. else a local throw-away test cluster, shared by every checkout on this
#      machine: 127.0.0.1:$LAPOR_TEST_PG_PORT (default 54329), trust auth,
#      durability switched off (fsync, synchronous_commit, full_page_writes)
#      for speed. Data lives in /tmp (postgres must be able to read it, and it
#      is disposable). It is started if not running, reused if running, and
#      left running afterwards. If the PostgreSQL server binaries are missing
#      and we are root, they are installed with apt-get.
#
# Safe to run concurrently (flock). All progress goes to stderr.
set -euo pipefail

log() { printf '[ensure-postgres] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ -n "${DATABASE_URL:-}" ]]; then
  printf '%s\n' "$DATABASE_URL"
  exit 0
fi

port="${LAPOR_TEST_PG_PORT:-54329}"
# Machine-wide (not per checkout): one shared test server per port.
root_dir="${LAPOR_TEST_PG_DIR:-/tmp/lapor-kand4-pg-$port}"
data_dir="$root_dir/data"
url="postgres://postgres@127.0.0.1:$port/postgres"

is_root() { [[ "$(id -u)" -eq 0 ]]; }

find_bindir() {
  local candidates
  candidates="$(compgen -G '/usr/lib/postgresql/*/bin/postgres' | sort -V | tail -n1 || true)"
  [[ -n "$candidates" ]] && dirname "$candidates"
}

# Runs a command as the OS user that owns the cluster (postgres refuses root).
as_pg() {
  if is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

server_answers() {
  # A real query (not just pg_isready): also proves trust auth works for us.
  "$bindir/psql" "$url" -XAtq -c 'select 1' >/dev/null 2>&1
}

bindir="$(find_bindir || true)"
if [[ -z "$bindir" ]]; then
  if ! is_root; then
    die "no PostgreSQL server found (/usr/lib/postgresql/*/bin/postgres) and not root, so it cannot be installed. Set DATABASE_URL to a PostgreSQL admin URL (role with CREATEDB), e.g. DATABASE_URL=postgres://postgres@localhost:5432/postgres npm test"
  fi
  command -v apt-get >/dev/null 2>&1 \
    || die "no PostgreSQL server found and no apt-get to install one. Set DATABASE_URL to a PostgreSQL admin URL (role with CREATEDB)."
  log "installing PostgreSQL with apt-get (the Debian 'main' cluster it creates is not used)..."
  start=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
  log "installed PostgreSQL in $((SECONDS - start))s"
  bindir="$(find_bindir || true)"
  [[ -n "$bindir" ]] || die "apt-get install postgresql did not provide /usr/lib/postgresql/*/bin/postgres"
fi

# Fast path: already up (ours, started by an earlier run or another checkout).
if server_answers; then
  printf '%s\n' "$url"
  exit 0
fi

if is_root; then
  id postgres >/dev/null 2>&1 || die "OS user 'postgres' does not exist (it is created by the Debian postgresql package)"
fi

# Lock outside the repo: the cluster is shared by all checkouts on the machine.
lock_file="${root_dir}.lock"
exec 9>>"$lock_file"
flock 9

if server_answers; then
  printf '%s\n' "$url"
  exit 0
fi

start=$SECONDS
mkdir -p "$root_dir"
if is_root; then
  chown postgres:postgres "$root_dir"
elif [[ ! -O "$root_dir" ]]; then
  die "$root_dir belongs to another user; set LAPOR_TEST_PG_DIR/LAPOR_TEST_PG_PORT, or DATABASE_URL"
fi
chmod 700 "$root_dir"

major="$(basename "$(dirname "$bindir")")"
if [[ -f "$data_dir/PG_VERSION" && "$(cat "$data_dir/PG_VERSION")" != "$major" ]]; then
  log "existing test cluster is PostgreSQL $(cat "$data_dir/PG_VERSION"), server is $major: recreating it (test data only)"
  as_pg "$bindir/pg_ctl" -D "$data_dir" -m immediate stop >&2 || true
  rm -rf "$data_dir"
fi

if [[ ! -f "$data_dir/PG_VERSION" ]]; then
  log "initialising test cluster in $data_dir (PostgreSQL $major)..."
  rm -rf "$data_dir"
  as_pg "$bindir/initdb" -D "$data_dir" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync --no-instructions \
    >"$root_dir/initdb.log" 2>&1 \
    || { cat "$root_dir/initdb.log" >&2; die "initdb failed"; }
  cat >>"$data_dir/postgresql.conf" <<EOF

# --- lapor-kand4 test cluster (scripts/ensure-postgres.sh) ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$root_dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF
fi

log "starting test PostgreSQL on 127.0.0.1:$port..."
# -w: wait until it accepts connections. A stale postmaster.pid (e.g. after a
# crash) is detected and ignored by pg_ctl/postgres themselves.
if ! as_pg "$bindir/pg_ctl" -D "$data_dir" -l "$root_dir/server.log" -w -t 60 start >&2; then
  tail -n 30 "$root_dir/server.log" >&2 || true
  die "could not start PostgreSQL (log: $root_dir/server.log). Is port $port taken by something else? Set LAPOR_TEST_PG_PORT, or DATABASE_URL."
fi
server_answers || die "PostgreSQL started but $url does not answer a query"
log "test PostgreSQL ready in $((SECONDS - start))s"

printf '%s\n' "$url"
