#!/usr/bin/env bash
# Benchmark: N rows (default 1,000,000) through the real pipeline on this machine.
#   bench/run.sh [ROWS]
# Starts RabbitMQ/PostgreSQL and `sluice dev` (release build), runs `sluice-bench run`,
# prints stage timings, rows/s and peak RSS per service, then stops the services.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. infra/swift-env.sh
ROWS="${1:-1000000}"
infra/local/up.sh
swift build -c release --product sluice
swift build -c release --product sluice-bench
BIN="$(swift build -c release --show-bin-path)"
mkdir -p var/logs var/bench
"$BIN/sluice" dev --log-level warning > var/logs/bench-dev.log 2>&1 &
DEV=$!
trap 'kill $DEV 2>/dev/null; wait $DEV 2>/dev/null || true' EXIT
for port in 8081 8082 8083 8084 8085 8086 8087 8088; do
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break; sleep 0.2; done
done
"$BIN/sluice-bench" run --rows "$ROWS" --sluice "$BIN/sluice"
