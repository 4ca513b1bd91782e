#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A Spark Connect server on 127.0.0.1:PORT: Spark 4.0 from the pyspark
# package in LAKEORM_TOOLS's .venv (python3 on PATH when unset), with the
# Iceberg runtime and Delta jars scripts/setup copies into .cache/spark/jars.
# Delta tables live in spark_catalog, Iceberg tables in the catalog "lake":
# a Hadoop catalog under STATE_DIR/iceberg, or, with LAKE_SPARK_ICEBERG_REST
# (http://host:port), that Iceberg REST catalog. A result stream is cut after
# 2 MiB (Spark's default is 1 GiB) so that every large read exercises the
# client's reattach. With LAKE_SPARK_S3_ENDPOINT (a MinIO at
# http://host:port) Spark also reads s3a:// and s3:// paths there, through
# the jars in .cache/spark/s3a (optional for `start`, required for `up`).
# Usage and verbs: common.sh.
svc_name=spark svc_wait=600 svc_ports=1
. "$(dirname "$0")/common.sh"

python_bin() { if [ -n "$tools" ]; then echo "$tools/.venv/bin/python"; else command -v python3 || echo python3; fi; }
jars_of() { [ -z "$tools" ] || ls -d "$tools/.cache/spark/$1"/*.jar 2>/dev/null | paste -sd, -; }

svc_check() {
  need_java
  "$(python_bin)" -c 'import pyspark' 2>/dev/null || missing "pyspark in $(python_bin)" "$setup_hint"
  [ -n "$(jars_of jars)" ] || missing "the Iceberg and Delta jars for Spark${tools:+ in $tools/.cache/spark/jars}" "$setup_hint"
  if [ "$stack_mode" = up ] && [ -n "${LAKE_SPARK_S3_ENDPOINT:-}" ] && [ -z "$(jars_of s3a)" ]; then
    missing "hadoop-aws for Spark's s3a://${tools:+ in $tools/.cache/spark/s3a}" "$setup_hint"
  fi
  return 0
}

svc_launch() {
  local state=$1 port=$2 spark_home jars s3a=() iceberg
  mkdir -p "$state/tmp" "$state/warehouse" "$state/iceberg"
  spark_home="$("$(python_bin)" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
  jars=$(jars_of jars)
  if [ -n "${LAKE_SPARK_S3_ENDPOINT:-}" ] && [ -n "$(jars_of s3a)" ]; then
    jars="$jars,$(jars_of s3a)"
    # s3:// too, through the same connector: what Databricks calls the paths
    # the warehouse reads. The keys go in a properties file only its owner
    # reads, so the secret is on no command line.
    (umask 077 && printf 'spark.hadoop.fs.s3a.access.key %s\nspark.hadoop.fs.s3a.secret.key %s\n' \
      "$LAKE_STACK_S3_USER" "$LAKE_STACK_S3_SECRET" >"$state/s3a.conf")
    s3a=(--properties-file "$state/s3a.conf"
      --conf spark.hadoop.fs.s3a.impl=org.apache.hadoop.fs.s3a.S3AFileSystem
      --conf spark.hadoop.fs.s3.impl=org.apache.hadoop.fs.s3a.S3AFileSystem
      --conf spark.hadoop.fs.s3a.endpoint="$LAKE_SPARK_S3_ENDPOINT"
      --conf spark.hadoop.fs.s3a.endpoint.region=us-east-1
      --conf spark.hadoop.fs.s3a.path.style.access=true
      --conf spark.hadoop.fs.s3a.connection.ssl.enabled=false
      --conf spark.hadoop.fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider)
  fi
  if [ -n "${LAKE_SPARK_ICEBERG_REST:-}" ]; then
    # cache-enabled=false: Spark's CachingCatalog would hide for 30 s the
    # commits other writers of the same catalog make.
    iceberg=(--conf spark.sql.catalog.lake.type=rest --conf spark.sql.catalog.lake.uri="$LAKE_SPARK_ICEBERG_REST"
      --conf spark.sql.catalog.lake.cache-enabled=false)
  else
    iceberg=(--conf spark.sql.catalog.lake.type=hadoop --conf spark.sql.catalog.lake.warehouse="file://$state/iceberg")
  fi
  exec "$spark_home/bin/spark-submit" \
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
    "${iceberg[@]}" \
    ${s3a[@]+"${s3a[@]}"} \
    spark-internal
}

svc_healthy() { port_open "$1"; }
svc_ready() { :; }

stack_main "$@"
