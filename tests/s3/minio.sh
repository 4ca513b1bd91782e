#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts or stops the MinIO server the S3 tests use, on loopback, from the
# binary scripts/setup builds. Usage: minio.sh start|stop STATE_DIR PORT
set -euo pipefail
cmd=$1 state=$2 port=$3
root="$(cd "$(dirname "$0")/../.." && pwd)"
case "$cmd" in
start)
  "$0" stop "$state" "$port" || true
  rm -rf "$state" && mkdir -p "$state/data"
  MINIO_ROOT_USER=lakeorm MINIO_ROOT_PASSWORD=lakeorm-secret MINIO_BROWSER=off \
    "$root/.cache/bin/minio" server "$state/data" --address "127.0.0.1:$port" --console-address "127.0.0.1:$((port + 1))" \
    >"$state/minio.log" 2>&1 &
  echo $! >"$state/minio.pid"
  for _ in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$port/minio/health/live" >/dev/null; then
      # The bucket every test uses ("lake"), created with curl's own SigV4.
      curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" -u lakeorm:lakeorm-secret -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
        -X PUT "http://127.0.0.1:$port/lake" >/dev/null
      exit 0
    fi
    sleep 0.1
  done
  echo "minio did not start; its log:" >&2
  cat "$state/minio.log" >&2
  exit 1
  ;;
stop)
  if [ -f "$state/minio.pid" ]; then
    kill "$(cat "$state/minio.pid")" 2>/dev/null || true
    rm -f "$state/minio.pid"
  fi
  ;;
esac
