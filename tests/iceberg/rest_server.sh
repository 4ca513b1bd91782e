#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts or stops Iceberg's own REST catalog server for the REST catalog
# tests, from a clean STATE_DIR each start: the local stack's own service
# script (tools/lakeorm/stack/iceberg_rest.sh, what `lakeorm stack up` runs;
# it says what the server holds: STATE_DIR/catalog.db, STATE_DIR/warehouse)
# with the jars scripts/setup put in this checkout. The port is chosen by the
# caller (CTest) or, when PORT is left out, is a free one; either is printed.
# Usage: rest_server.sh start STATE_DIR [PORT] | stop STATE_DIR
set -euo pipefail
cmd=$1 state=$2 port=${3:-}
root="$(cd "$(dirname "$0")/../.." && pwd)"
export LAKEORM_TOOLS="$root"
if [ "$cmd" = start ] && [ -z "$port" ]; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
"$root/tools/lakeorm/stack/iceberg_rest.sh" "$cmd" "$state" $port
if [ "$cmd" = start ]; then echo "$port"; fi
