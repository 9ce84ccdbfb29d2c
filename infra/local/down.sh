#!/usr/bin/env bash
# Stops the project-local RabbitMQ node, PostgreSQL cluster and SeaweedFS. Quiet no-op if already down.
# State under $SLUICE_VAR is kept; see reset.sh to wipe it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
require_root

if rmq_running; then
  echo "Stopping RabbitMQ node $SLUICE_RMQ_NODE"
  rmqctl shutdown >/dev/null   # unlike `stop`, waits until the Erlang VM has exited
fi
"$(dirname "${BASH_SOURCE[0]}")/seaweedfs.sh" stop
"$(dirname "${BASH_SOURCE[0]}")/smtp.sh" stop
if pg_running; then
  echo "Stopping PostgreSQL ($SLUICE_PGDATA)"
  as_pg "$PG_BIN/pg_ctl" -D "$SLUICE_PGDATA" -m fast -w stop >/dev/null
fi
