#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The end-to-end proof of tests/iceberg/spark_catalog.py without lakeorm:
# starts a Spark Connect server (tests/spark/server.sh) and Iceberg's REST
# catalog (tests/iceberg/rest_server.sh) on loopback, runs
# spark_selfcheck.py against a SQLite catalog and the REST one, and stops
# both servers whatever happens. Exits 77 (skipped) without Java.
# Usage: spark_selfcheck.sh [STATE_DIR]   (default: a new temporary folder,
# removed on success; kept, with the servers' logs, on failure)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
own_state=0
if [ $# -ge 1 ]; then state=$1; else state=$(mktemp -d "${TMPDIR:-/tmp}/lakeorm-spark-selfcheck.XXXXXX") own_state=1; fi
mkdir -p "$state"
state="$(cd "$state" && pwd)"
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
spark_port=$(free_port)
ok=0
stop() {
  "$root/tests/spark/server.sh" stop "$state/spark" "$spark_port" || true
  "$here/rest_server.sh" stop "$state/rest" || true
  if [ "$ok" = 1 ] && [ "$own_state" = 1 ]; then rm -rf "$state"; else echo "spark_selfcheck: logs in $state" >&2; fi
}
trap stop EXIT

started=$(date +%s)
"$root/tests/spark/server.sh" start "$state/spark" "$spark_port"
if [ -f "$state/spark/skipped" ]; then exit 77; fi
echo "spark_selfcheck: Spark Connect listening on $spark_port after $(($(date +%s) - started)) s"
rest_port=$("$here/rest_server.sh" start "$state/rest")
echo "spark_selfcheck: REST catalog on $rest_port"

"$root/.venv/bin/python" "$here/spark_selfcheck.py" "$spark_port" "$state/check" "http://127.0.0.1:$rest_port"
ok=1
