#!/usr/bin/env bash
# The main job: start RabbitMQ and PostgreSQL locally (no Docker), build Sluice, start every
# service as its own process (`sluice dev`), make the first admin and sign in, submit the
# example batches through the gateway and print where the results are. Idempotent: a second
# run restarts the services and reprocesses.
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
# The upc-lookup example's call step asks a stand-in product catalog on loopback
# (examples/upc-lookup/catalog_server.py) with a key only the transform service holds.
if [ -f var/catalog.pid ] && kill -0 "$(cat var/catalog.pid)" 2>/dev/null; then kill "$(cat var/catalog.pid)"; fi
nohup python3 examples/upc-lookup/catalog_server.py 8099 > var/logs/catalog.log 2>&1 &
echo $! > var/catalog.pid
nohup "$SLUICE" dev --set call.fetch.allow=127.0.0.1 --set call.secrets.catalog=demo-catalog-key \
  --set call.hosts.catalog=127.0.0.1 > var/logs/dev.log 2>&1 &
echo $! > var/dev.pid
echo "==> services starting (logs: var/logs/dev.log)"
for port in 8080 8081 8082 8083 8084 8085 8086 8087 8088; do
  for _ in $(seq 1 150); do
    curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fs "http://127.0.0.1:$port/ready" >/dev/null || { echo "service on :$port is not ready; see var/logs/dev.log" >&2; exit 1; }
done

# The first admin (only while none exists) and a session for this user's CLI. The password
# is made once and kept in var/demo-admin.password (0600).
password_file=var/demo-admin.password
if [ ! -s "$password_file" ]; then
  (umask 077; printf 'demo-%s\n' "$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" > "$password_file")
fi
"$SLUICE" users bootstrap demo-admin --email demo-admin@sluice.localhost --password-stdin < "$password_file" 2>/dev/null \
  && echo "==> made the first admin: demo-admin (password in $password_file)"
if ! "$SLUICE" login --user demo-admin --password-stdin < "$password_file" 2>/dev/null; then
  # Another admin was made before the demo's: go on with the caller's own sign-in, if any.
  "$SLUICE" projects list >/dev/null 2>&1 || {
    echo "cannot sign in as demo-admin (another admin was made first): run \`sluice login --user NAME\` and rerun" >&2
    exit 1
  }
  echo "==> using your own sign-in (demo-admin was not made: another admin exists)"
fi
"$SLUICE" projects add examples --name "Examples" 2>/dev/null || true

status=0
for dir in examples/*/; do
  example=$(basename "$dir")
  [ -f "$dir/submit.args" ] || continue
  args=$(cat "$dir/submit.args")
  echo "==> $example: sluice submit $args"
  # shellcheck disable=SC2086  # the arguments file is split into words on purpose
  if printed=$(cd "$dir" && "$SLUICE" submit $args --project examples --tag example="$example" --force --wait); then
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

# The analytics team's schedules (examples/analytics): a daily job at 02:00, a weekly re-run
# on Mondays at 03:00 and a cleanup on Sundays at 04:00, Madrid time.
mkdir -p var/analytics
sed "s|@ROOT@|$PWD|g" examples/analytics/daily-gradebook.job.json > var/analytics/daily-gradebook.job.json
"$SLUICE" schemas put gradebook examples/gradebook/schema.json --project examples >/dev/null
"$SLUICE" plans put gradebook examples/gradebook/plan.yaml --project examples >/dev/null
while IFS= read -r line; do
  [ -n "$line" ] || continue
  line=${line//@VAR@/$PWD/var/analytics}
  echo "==> sluice schedules add $line"
  # shellcheck disable=SC2086  # the arguments are split into words on purpose (quotes via eval)
  eval "\"\$SLUICE\" schedules add $line --project examples" | sed 's/^/    /' || status=1
done < examples/analytics/schedules.args
"$SLUICE" schedules list --project examples | sed 's/^/    /'

# The analytics team's dataset catalog (examples/analytics/datasets): three courses, run by
# category as one batch, each joined with the planning table (a lookup step) and counting the
# assessments due by the run date. Adding again edits (the demo can run twice).
"$SLUICE" references put planning examples/analytics/planning.csv --project examples | sed 's/^/    /'
"$SLUICE" plans put up-to-date examples/analytics/up-to-date.plan.yaml --project examples >/dev/null
for entry in examples/analytics/datasets/*.json; do
  name=$(basename "$entry" .json)
  sed "s|@ROOT@|$PWD|g" "$entry" > "var/analytics/$name.json"
  "$SLUICE" datasets add --file "var/analytics/$name.json" --project examples >/dev/null 2>&1 \
    || "$SLUICE" datasets edit "$name" --patch "$(cat "var/analytics/$name.json")" --project examples >/dev/null
done
"$SLUICE" datasets list --project examples | sed 's/^/    /'
echo "==> sluice datasets run --tag category=Matematicas --force --wait"
if printed=$("$SLUICE" datasets run --project examples --tag category=Matematicas --force --wait); then
  printf '%s\n' "$printed" | sed 's/^/    /'
  rm -rf var/results/catalog && mkdir -p var/results/catalog
  for name in algebra geometry; do
    job=$("$SLUICE" datasets show "$name" --project examples | sed -n 's/.*"id" : "\(job-[^"]*\)".*/\1/p' | head -n 1)
    [ -n "$job" ] || { echo "    $name: no job found" >&2; status=1; continue; }
    "$SLUICE" artifacts get "$job" --out "var/results/catalog/$name" >/dev/null
    echo "    $name: job $job, results: $PWD/var/results/catalog/$name/"
  done
else
  status=1
fi

cat <<MSG

Done. Results are under $PWD/var/results/<example>/.
The services keep running (pid $(cat var/dev.pid)), and the stand-in catalog the upc-lookup
example calls (pid $(cat var/catalog.pid)); you are signed in as demo-admin. Try:
  $SLUICE jobs list
  $SLUICE schedules show analytics-daily        (examples/analytics/README.md)
  $SLUICE datasets list --project examples      (docs/datasets.md)
  $SLUICE incidents list
  curl -H "Authorization: Bearer \$(sed -n 's/.*"token" : "\(.*\)".*/\1/p' ~/.config/sluice/credentials.json)" http://127.0.0.1:8080/api/v1/jobs
  The API: http://127.0.0.1:8080/api/v1 (OpenAPI document: /api/v1/openapi.json, docs/access.md)
Stop them with: kill \$(cat var/dev.pid) \$(cat var/catalog.pid)      Stop RabbitMQ/PostgreSQL: infra/local/down.sh
MSG
exit $status
