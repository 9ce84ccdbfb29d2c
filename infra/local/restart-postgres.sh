#!/usr/bin/env bash
# Restarts the local PostgreSQL in immediate mode (like a crash: every session is cut, no
# checkpoint; committed data survives through WAL replay). Used by the database-restart
# fault test; an operator can use it to rehearse the same thing.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# The new postmaster must not inherit our caller's descriptors: a test runner that waits
# for this script through a pipe would otherwise wait for PostgreSQL to exit too.
for fd in /proc/$$/fd/*; do
  n="${fd##*/}"
  [ "$n" -gt 2 ] 2>/dev/null && eval "exec $n>&-" 2>/dev/null || true
done
as_pg "$PG_BIN/pg_ctl" -D "$SLUICE_PGDATA" -l "$SLUICE_PG_LOG" -m immediate -w -t 60 restart </dev/null >/dev/null 2>&1
