#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts or stops fake-gcs-server (built by scripts/setup) on loopback with a
# bucket "lake", for the GCS tests. Usage: fake_gcs.sh start|stop STATE_DIR PORT
set -euo pipefail
cmd=$1 state=$2 port=$3
root="$(cd "$(dirname "$0")/../.." && pwd)"
case "$cmd" in
start)
  "$0" stop "$state" "$port" || true
  rm -rf "$state" && mkdir -p "$state/seed/lake"
  "$root/.cache/bin/fake-gcs-server" -scheme http -host 127.0.0.1 -port "$port" -backend memory \
    -data "$state/seed" -public-host "127.0.0.1:$port" -external-url "http://127.0.0.1:$port" -log-level error \
    >"$state/fake-gcs.log" 2>&1 &
  echo $! >"$state/fake-gcs.pid"
  for _ in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$port/storage/v1/b/lake" >/dev/null; then exit 0; fi
    sleep 0.1
  done
  echo "fake-gcs-server did not start; its log:" >&2
  cat "$state/fake-gcs.log" >&2
  exit 1
  ;;
stop)
  if [ -f "$state/fake-gcs.pid" ]; then
    kill "$(cat "$state/fake-gcs.pid")" 2>/dev/null || true
    rm -f "$state/fake-gcs.pid"
  fi
  ;;
esac
