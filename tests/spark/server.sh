#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts or stops the Spark Connect server the Spark tests use, on loopback,
# from a clean STATE_DIR each start: the local stack's own service script
# (tools/lakeorm/stack/spark.sh, what `lakeorm stack up` runs; it says what
# the server holds) with the pyspark and jars scripts/setup put in this
# checkout. Delta tables in spark_catalog under STATE_DIR/warehouse, Iceberg
# tables in the Hadoop catalog "lake" under STATE_DIR/iceberg. With
# LAKE_SPARK_S3_ENDPOINT (the suite's MinIO) Spark reads s3a:// and s3://
# paths there. With no java the suite is skipped: STATE_DIR/skipped says so.
# Usage: server.sh start|stop STATE_DIR PORT
set -euo pipefail
cmd=$1 state=$2 port=$3
root="$(cd "$(dirname "$0")/../.." && pwd)"
export LAKEORM_TOOLS="$root" LAKE_STACK_S3_USER=lakeorm LAKE_STACK_S3_SECRET=lakeorm-secret
unset LAKE_SPARK_ICEBERG_REST
if [ "$cmd" = start ] && ! command -v java >/dev/null; then
  rm -rf "$state" && mkdir -p "$state"
  # The Spark tests see this file and skip (CTest reports them as skipped).
  echo "SKIPPING THE SPARK SUITE: no java on PATH (Spark Connect needs Java 17)" | tee "$state/skipped" >&2
  exit 0
fi
exec "$root/tools/lakeorm/stack/spark.sh" "$cmd" "$state" "$port"
