# Sourced by .ci/run: starts a throwaway PostgreSQL server on 127.0.0.1 for the tests, exports
# PROMPTLOGGER_TEST_POSTGRES_URL, and registers stop_postgres for the caller's EXIT trap.
# Needs initdb and pg_ctl (PostgreSQL 15 here); installs the Debian package when they are missing.

pg_bin=""
find_pg_bin() {
  for dir in /usr/lib/postgresql/*/bin /usr/local/bin /usr/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then pg_bin=$dir; return 0; fi
  done
  return 1
}

if ! find_pg_bin; then
  echo "== installing PostgreSQL (initdb and pg_ctl not found)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  find_pg_bin || { echo "PostgreSQL is not installable here"; exit 1; }
fi

# initdb refuses to run as root: run the server as the 'postgres' user (created by the package).
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  as_pg=(runuser -u postgres --)
fi

pg_port=""
for candidate in $(seq 5433 5460); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then pg_port=$candidate; break; fi
done
[ -n "$pg_port" ] || { echo "no free port for PostgreSQL between 5433 and 5460"; exit 1; }

pg_root=$(mktemp -d /tmp/promptlogger-ci-pg.XXXXXX)
mkdir -p "$pg_root/data" "$pg_root/socket"
[ ${#as_pg[@]} -eq 0 ] || chown -R postgres: "$pg_root"

stop_postgres() {
  if [ -f "$pg_root/data/postmaster.pid" ]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_root/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$pg_root"
}

echo "== throwaway PostgreSQL ($pg_bin) on 127.0.0.1:$pg_port"
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_root/data" -A trust -U postgres -E UTF8 --no-sync >"$pg_root/initdb.log" 2>&1 \
  || { cat "$pg_root/initdb.log"; stop_postgres; exit 1; }
# fsync off: the data is thrown away at the end, and the tests create and drop a database each.
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_root/data" -l "$pg_root/server.log" -w -t 60 \
  -o "-p $pg_port -k $pg_root/socket -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$pg_root/server.log"; stop_postgres; exit 1; }

export PROMPTLOGGER_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$pg_port/postgres"
