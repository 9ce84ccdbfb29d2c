#!/usr/bin/env bash
# The gateway under load: an authenticated GET /api/v1/jobs/{id} (an API token, one job of the
# read model) with wrk on loopback, the whole stack running. Prints wrk's requests/s and
# latency distribution (p50, p90, p99).
#   bench/gateway.sh [seconds=20] [connections=16]
# Needs the services running (./infra/demo.sh leaves them up, signed in as demo-admin).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-20}
connections=${2:-16}
SLUICE="${SLUICE:-.build/release/sluice}"
command -v wrk >/dev/null || { echo "wrk is missing: infra/local/install.sh installs it" >&2; exit 1; }
curl -fs http://127.0.0.1:8080/health >/dev/null || { echo "the gateway is not running: ./infra/demo.sh first" >&2; exit 1; }

token=$("$SLUICE" tokens create "bench-$(date +%s)" --days 1)
printf 'student,grade\nann,7\n' > /tmp/sluice-bench-gw.csv
printed=$("$SLUICE" submit /tmp/sluice-bench-gw.csv --wait 2>/dev/null)
job=${printed%%$'\n'*}
url="http://127.0.0.1:8080/api/v1/jobs/$job"
curl -fs -H "Authorization: Bearer $token" "$url" >/dev/null
echo "==> wrk: GET $url, $connections connections, ${seconds}s (2 threads), token auth"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$url"
