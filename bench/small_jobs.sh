#!/usr/bin/env bash
# Many small jobs, side by side in one run: Sluice (release build, every service its own
# process, publisher confirms everywhere) and the peer, Celery on the same RabbitMQ with a
# four-task chain per job, without and with publisher confirms. Each: JOBS jobs of a few rows
# submitted at once (jobs/s until the last one finished), then one job alone REPEAT times
# (latency p50/p99). See docs/benchmarks.md.
#   bench/small_jobs.sh [JOBS] [REPEAT]        e.g. bench/small_jobs.sh 2000 200
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. infra/swift-env.sh
JOBS="${1:-2000}"
REPEAT="${2:-200}"
infra/local/up.sh >/dev/null
. infra/local/env.sh
if ! python3 -c "import celery" 2>/dev/null; then
  python3 -m pip install -q "celery==5.*" 2>/dev/null || python3 -m pip install -q --break-system-packages "celery==5.*"
fi
rmqctl add_vhost bench >/dev/null 2>&1 || true
rmqctl set_permissions -p bench sluice '.*' '.*' '.*' >/dev/null
swift build -c release --product sluice
swift build -c release --product sluice-bench
BIN="$(swift build -c release --show-bin-path)"
mkdir -p var/logs var/bench
python3 bench/harness.py --small-jobs "$JOBS" --repeat "$REPEAT" --sluice "${BIN#"$PWD/"}/sluice"
