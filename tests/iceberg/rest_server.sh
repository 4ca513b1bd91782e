#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts or stops Iceberg's own REST catalog server (RESTCatalogServer from
# iceberg-open-api's test fixtures, on the classpath scripts/setup copies into
# .cache/iceberg-rest/jars) for the REST catalog tests. Its backing catalog is
# a JdbcCatalog on the SQLite file STATE_DIR/catalog.db, writing metadata
# through HadoopFileIO into the warehouse STATE_DIR/warehouse, real files a
# second reader can open. The server reads its configuration from CATALOG_*
# variables (RCKUtils.environmentCatalogConfig: CATALOG_REST_PORT is
# rest.port). It listens on every address: the port is chosen by the caller
# (CTest) or, when PORT is left out, is a free one; either is printed.
# Usage: rest_server.sh start STATE_DIR [PORT] | stop STATE_DIR
set -euo pipefail
cmd=$1 state=$2 port=${3:-}
root="$(cd "$(dirname "$0")/../.." && pwd)"
jars="$root/.cache/iceberg-rest/jars"
case "$cmd" in
start)
  "$0" stop "$state" || true
  rm -rf "$state" && mkdir -p "$state/warehouse"
  if ! ls "$jars"/iceberg-open-api-*-test-fixtures.jar >/dev/null 2>&1; then
    echo "no Iceberg REST server in $jars: run scripts/setup" >&2
    exit 1
  fi
  if [ -z "$port" ]; then
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  fi
  (cd "$state" && CATALOG_WAREHOUSE="file://$state/warehouse" CATALOG_URI="jdbc:sqlite:$state/catalog.db" \
    CATALOG_REST_PORT="$port" exec java -Xmx512m -cp "$jars/*" org.apache.iceberg.rest.RESTCatalogServer \
    >"$state/server.log" 2>&1) &
  echo $! >"$state/server.pid"
  echo "$port" >"$state/port"
  for _ in $(seq 1 300); do
    if curl -sf "http://127.0.0.1:$port/v1/config" >/dev/null; then
      echo "$port"
      exit 0
    fi
    if ! kill -0 "$(cat "$state/server.pid")" 2>/dev/null; then break; fi
    sleep 0.2
  done
  echo "the Iceberg REST catalog server did not start; its log:" >&2
  tail -50 "$state/server.log" >&2
  exit 1
  ;;
stop)
  if [ -f "$state/server.pid" ]; then
    pid=$(cat "$state/server.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$state/server.pid"
  fi
  ;;
esac
