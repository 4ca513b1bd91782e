#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Iceberg's own REST catalog server (RESTCatalogServer from
# iceberg-open-api's test fixtures, on the classpath scripts/setup copies
# into LAKEORM_TOOLS's .cache/iceberg-rest/jars) on PORT. Its backing
# catalog is a JdbcCatalog on the SQLite file STATE_DIR/catalog.db, writing
# metadata through HadoopFileIO into the warehouse STATE_DIR/warehouse, real
# files a second reader can open. The server reads its configuration from
# CATALOG_* variables (RCKUtils.environmentCatalogConfig: CATALOG_REST_PORT
# is rest.port) and listens on every address (it has no setting for one).
# Usage and verbs: common.sh.
svc_name=rest svc_wait=300 svc_ports=1
. "$(dirname "$0")/common.sh"

rest_jars() { echo "${tools:-/nonexistent}/.cache/iceberg-rest/jars"; }

svc_check() {
  need_java
  ls "$(rest_jars)"/iceberg-open-api-*-test-fixtures.jar >/dev/null 2>&1 ||
    missing "the Iceberg REST catalog server's jars${tools:+ in $(rest_jars)}" "$setup_hint"
  command -v curl >/dev/null || missing "curl on PATH" "apt-get install curl"
  return 0
}

svc_launch() {
  mkdir -p "$1/warehouse"
  CATALOG_WAREHOUSE="file://$1/warehouse" CATALOG_URI="jdbc:sqlite:$1/catalog.db" CATALOG_REST_PORT="$2" \
    exec java -Xmx512m -cp "$(rest_jars)/*" org.apache.iceberg.rest.RESTCatalogServer
}

svc_healthy() { curl -sf "http://127.0.0.1:$1/v1/config" >/dev/null; }
svc_ready() { :; }

stack_main "$@"
