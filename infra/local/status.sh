#!/usr/bin/env bash
# Reports whether the project-local RabbitMQ and PostgreSQL are up. Exit 0 only if both are.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

rc=0
if rmq_running; then
  echo "rabbitmq:   up    node $SLUICE_RMQ_NODE, amqp 127.0.0.1:$SLUICE_AMQP_PORT, http://127.0.0.1:$SLUICE_RMQ_MGMT_PORT"
else
  echo "rabbitmq:   down  (node $SLUICE_RMQ_NODE)"; rc=1
fi
if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$SLUICE_DB_PORT"; then
  echo "postgresql: up    127.0.0.1:$SLUICE_DB_PORT, data $SLUICE_PGDATA"
else
  echo "postgresql: down  (127.0.0.1:$SLUICE_DB_PORT)"; rc=1
fi
"$(dirname "${BASH_SOURCE[0]}")/seaweedfs.sh" status | sed 's/^SeaweedFS S3: /s3:         /' || rc=1
"$(dirname "${BASH_SOURCE[0]}")/smtp.sh" status | sed 's/^SMTP: /smtp:       /' || rc=1
exit $rc
