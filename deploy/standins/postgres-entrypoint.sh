#!/bin/bash
# Stand-in for the official postgres image's entrypoint, the parts compose relies on:
# POSTGRES_USER / POSTGRES_PASSWORD (/ POSTGRES_DB), the /docker-entrypoint-initdb.d/ scripts on
# the first start only, and a server listening on every address with password authentication.
# While the init scripts run the server listens on its socket only, as the official image does,
# so a TCP health check passes only once the databases exist.
set -euo pipefail

PGDATA=${PGDATA:-/var/lib/postgresql/data}
export PGDATA
case "${1:-postgres}" in
  postgres) shift || true ;;
  -*) ;;
  *) exec "$@" ;;
esac

as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

mkdir -p "$PGDATA" /var/run/postgresql
chown -R postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?the postgres image needs POSTGRES_PASSWORD}"
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  chown postgres "$pwfile"
  as_postgres initdb -D "$PGDATA" --username="$user" --pwfile="$pwfile" -E UTF8 \
    --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  as_postgres pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -k /var/run/postgresql" start
  psql_init=(psql -v ON_ERROR_STOP=1 -h /var/run/postgresql -U "$user" --no-password)
  if [ "$db" != postgres ]; then
    as_postgres "${psql_init[@]}" -d postgres -c "CREATE DATABASE \"$db\""
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sql) echo "running $f"; as_postgres "${psql_init[@]}" -d "$db" -f "$f" ;;
      *.sh) echo "running $f"; . "$f" ;;
      *) ;;
    esac
  done
  as_postgres pg_ctl -D "$PGDATA" -m fast -w stop
  echo "postgres init complete"
fi

exec setpriv --reuid=postgres --regid=postgres --init-groups \
  postgres -D "$PGDATA" -c listen_addresses='*' "$@"
