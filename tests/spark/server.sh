#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts or stops the Spark Connect server the Spark tests use, on loopback:
# Spark 4.0 from the pyspark package in .venv, with the Iceberg runtime and
# Delta jars scripts/setup copies into .cache/spark/jars. Delta tables live in
# spark_catalog, Iceberg tables in the Hadoop catalog "lake"; both under
# STATE_DIR. A result stream is cut after 2 MiB (Spark's default is 1 GiB) so
# that every large read exercises the client's reattach. With
# LAKE_SPARK_S3_ENDPOINT (a MinIO at http://host:port, user lakeorm) Spark also
# reads s3a:// (and s3://) paths there, through the jars in .cache/spark/s3a.
# Usage: server.sh start|stop STATE_DIR PORT
set -euo pipefail
cmd=$1 state=$2 port=$3
root="$(cd "$(dirname "$0")/../.." && pwd)"
case "$cmd" in
start)
  "$0" stop "$state" "$port" || true
  rm -rf "$state" && mkdir -p "$state/tmp" "$state/warehouse" "$state/iceberg"
  if ! command -v java >/dev/null; then
    # The Spark tests see this file and skip (CTest reports them as skipped).
    echo "SKIPPING THE SPARK SUITE: no java on PATH (Spark Connect needs Java 17)" | tee "$state/skipped" >&2
    exit 0
  fi
  spark_home="$("$root/.venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
  jars="$(ls -d "$root"/.cache/spark/jars/*.jar | paste -sd, -)"
  s3a=()
  if [ -n "${LAKE_SPARK_S3_ENDPOINT:-}" ] && ls "$root"/.cache/spark/s3a/*.jar >/dev/null 2>&1; then
    jars="$jars,$(ls -d "$root"/.cache/spark/s3a/*.jar | paste -sd, -)"
    # s3:// too, through the same connector: what Databricks calls the paths the warehouse reads.
    s3a=(--conf spark.hadoop.fs.s3a.impl=org.apache.hadoop.fs.s3a.S3AFileSystem
      --conf spark.hadoop.fs.s3.impl=org.apache.hadoop.fs.s3a.S3AFileSystem
      --conf spark.hadoop.fs.s3a.endpoint="$LAKE_SPARK_S3_ENDPOINT"
      --conf spark.hadoop.fs.s3a.endpoint.region=us-east-1
      --conf spark.hadoop.fs.s3a.path.style.access=true
      --conf spark.hadoop.fs.s3a.connection.ssl.enabled=false
      --conf spark.hadoop.fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider
      --conf spark.hadoop.fs.s3a.access.key=lakeorm
      --conf spark.hadoop.fs.s3a.secret.key=lakeorm-secret)
  fi
  (cd "$state" && exec "$spark_home/bin/spark-submit" \
    --class org.apache.spark.sql.connect.service.SparkConnectServer \
    --master 'local[2]' --driver-memory 3g \
    --jars "$jars" \
    --conf spark.connect.grpc.binding.address=127.0.0.1 \
    --conf spark.connect.grpc.binding.port="$port" \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --conf spark.ui.enabled=false \
    --conf spark.sql.shuffle.partitions=2 --conf spark.default.parallelism=2 \
    --conf spark.sql.session.timeZone=UTC \
    --conf spark.connect.execute.reattachable.senderMaxStreamSize=2m \
    --conf spark.sql.warehouse.dir="$state/warehouse" \
    --conf spark.local.dir="$state/tmp" \
    --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension,org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions \
    --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
    --conf spark.sql.catalog.lake=org.apache.iceberg.spark.SparkCatalog \
    --conf spark.sql.catalog.lake.type=hadoop \
    --conf spark.sql.catalog.lake.warehouse="file://$state/iceberg" \
    ${s3a[@]+"${s3a[@]}"} \
    spark-internal >"$state/connect.log" 2>&1) &
  echo $! >"$state/server.pid"
  for _ in $(seq 1 240); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then exit 0; fi
    if ! kill -0 "$(cat "$state/server.pid")" 2>/dev/null; then break; fi
    sleep 0.5
  done
  echo "the Spark Connect server did not start; its log:" >&2
  tail -50 "$state/connect.log" >&2
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
