#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts or stops the MinIO server the S3 tests use (user lakeorm, secret
# lakeorm-secret, bucket lake) on loopback: the local stack's own service
# script (tools/lakeorm/stack/minio.sh, what `lakeorm stack up` runs) with the
# binary scripts/setup builds in this checkout, from a clean state each start.
# Usage: minio.sh start|stop STATE_DIR PORT
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export LAKEORM_TOOLS="$root" LAKE_STACK_S3_USER=lakeorm LAKE_STACK_S3_SECRET=lakeorm-secret
exec "$root/tools/lakeorm/stack/minio.sh" "$1" "$2" "$3"
