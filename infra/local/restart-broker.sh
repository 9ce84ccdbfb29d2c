#!/usr/bin/env bash
# Restarts the RabbitMQ application (not the Erlang VM) of the local node: connections drop,
# durable queues and persistent messages survive. Used by the broker-restart fault test.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
rmqctl stop_app
rmqctl start_app
rmqctl await_startup
