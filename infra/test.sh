#!/usr/bin/env bash
# The whole test suite, against a real RabbitMQ and PostgreSQL (installed and started
# locally when missing; a server that cannot be started fails the run, it never skips).
# Idempotent: run it as often as you like.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. infra/swift-env.sh

infra/local/up.sh
infra/local/python.sh   # frictionless-py (Table Schema oracle) and openpyxl (reads XLSX outputs)
swift build --build-tests
# Everything but the broker-restart fault test, in parallel...
swift test --skip-build --skip BrokerRestart
# ...then that one alone: it restarts RabbitMQ under everyone's feet.
swift test --skip-build --filter BrokerRestart
