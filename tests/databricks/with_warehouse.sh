#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs a command against the fake Databricks SQL warehouse (server.py) over
# the suite's Spark Connect server: starts the warehouse on a port it picks,
# runs COMMAND with the warehouse's URL as its last argument, stops the
# warehouse whatever happens. Exits 77 when the Spark suite is skipped.
# Usage: with_warehouse.sh PYTHON SPARK_PORT SPARK_STATE COMMAND [ARG...]
set -euo pipefail
python=$1 spark_port=$2 state=$3
shift 3
[ ! -f "$state/skipped" ] || exit 77
port_file=$(mktemp "$state/dbx-port-XXXXXX")
rm -f "$port_file"
"$python" "$(dirname "$0")/server.py" --spark "sc://127.0.0.1:$spark_port" --port-file "$port_file" \
  --warehouse wh-example --pat dapi-example &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$port_file"' EXIT
for _ in $(seq 600); do
  [ -s "$port_file" ] && break
  kill -0 $server 2>/dev/null || { echo "with_warehouse: the fake warehouse exited" >&2; exit 1; }
  sleep 0.1
done
[ -s "$port_file" ] || { echo "with_warehouse: the fake warehouse did not start" >&2; exit 1; }
"$@" "http://127.0.0.1:$(cat "$port_file")/sql/1.0/warehouses/wh-example;token=dapi-example?schema=spark_catalog.lakeorm_examples"
