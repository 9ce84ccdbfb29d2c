#!/usr/bin/env bash
# The main job: start RabbitMQ and PostgreSQL locally (no Docker), build Sluice, start every
# service as its own process (`sluice dev`), process the example batches and print where
# the results are. Idempotent: a second run restarts the services and reprocesses.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. infra/swift-env.sh

infra/local/up.sh
echo "==> building sluice (release)"
swift build -c release --product sluice
SLUICE="$(swift build -c release --show-bin-path)/sluice"
mkdir -p var/logs var/results

# Restart the services if an earlier demo left them running.
if [ -f var/dev.pid ] && kill -0 "$(cat var/dev.pid)" 2>/dev/null; then
  kill "$(cat var/dev.pid)"; while kill -0 "$(cat var/dev.pid)" 2>/dev/null; do sleep 0.2; done
fi
nohup "$SLUICE" dev > var/logs/dev.log 2>&1 &
echo $! > var/dev.pid
echo "==> services starting (logs: var/logs/dev.log)"
for port in 8081 8082 8083 8084 8085 8086 8087 8088; do
  for _ in $(seq 1 150); do
    curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fs "http://127.0.0.1:$port/ready" >/dev/null || { echo "service on :$port is not ready; see var/logs/dev.log" >&2; exit 1; }
done

status=0
for dir in examples/*/; do
  example=$(basename "$dir")
  [ -f "$dir/submit.args" ] || continue
  args=$(cat "$dir/submit.args")
  echo "==> $example: sluice submit $args"
  # shellcheck disable=SC2086  # the arguments file is split into words on purpose
  if printed=$(cd "$dir" && "$SLUICE" submit $args --tag example="$example" --force --wait); then
    job=$(printf '%s\n' "$printed" | head -n 1)
    out="var/results/$example"
    rm -rf "$out"
    "$SLUICE" artifacts get "$job" --out "$out" >/dev/null
    "$SLUICE" jobs show "$job" | sed 's/^/    /'
    echo "    results: $PWD/$out/ ($(ls "$out" | tr '\n' ' '))"
  else
    status=1
  fi
done

cat <<MSG

Done. Results are under $PWD/var/results/<example>/.
The services keep running (pid $(cat var/dev.pid)); try:
  $SLUICE jobs list
  $SLUICE incidents list
  curl http://127.0.0.1:8086/metrics
Stop them with: kill \$(cat var/dev.pid)      Stop RabbitMQ/PostgreSQL: infra/local/down.sh
MSG
exit $status
