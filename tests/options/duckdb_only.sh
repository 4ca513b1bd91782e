#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The DuckDB-only build: every optional part off (LAKE_WITH_SPARK, _DATABRICKS,
# _S3, _GCS). Builds only the library, into build/duckdb-only, checks that
# liblakeorm.so needs neither gRPC/protobuf-c nor libcurl (nor expat), then
# builds and runs tests/options/duckdb_only.c against it: a client inserts and
# reads back, and each left-out part answers LAKE_ENOTSUP naming its option.
# Usage: tests/options/duckdb_only.sh [jobs]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$src/build/duckdb-only
jobs=${1:-2}

cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DLAKE_WITH_SPARK=OFF -DLAKE_WITH_DATABRICKS=OFF -DLAKE_WITH_S3=OFF -DLAKE_WITH_GCS=OFF \
  -DLAKE_BUILD_TESTS=OFF -DLAKE_BUILD_TOOLS=OFF -DLAKE_WERROR=ON >/dev/null
cmake --build "$build" -j "$jobs" --target lakeorm

lib=$(find "$build/src" -maxdepth 1 -name 'liblakeorm.so.*.*' | head -1)
[ -n "$lib" ] || { echo "duckdb_only: no liblakeorm.so built under $build/src" >&2; exit 1; }
# Direct needs (readelf) and everything loaded with them (ldd): none of the left-out parts' libraries.
forbidden='libgrpc|libgpr|libprotobuf-c|libcurl|libexpat'
needed=$(readelf -d "$lib" | awk '/NEEDED/ {print $NF}' | tr -d '[]')
loaded=$(ldd "$lib")
if grep -Eq "$forbidden" <<<"$needed$loaded"; then
  echo "duckdb_only: $lib needs a left-out part's library:" >&2
  grep -E "$forbidden" <<<"$needed"$'\n'"$loaded" >&2
  exit 1
fi
echo "duckdb_only: $(basename "$lib") needs only: $(tr '\n' ' ' <<<"$needed")"

cc -std=c17 -Wall -Wextra -Werror -I"$src/include" "$src/tests/options/duckdb_only.c" \
  -L"$(dirname "$lib")" -llakeorm -Wl,-rpath,"$(dirname "$lib")" -o "$build/duckdb_only"
TMPDIR=${TMPDIR:-/tmp} "$build/duckdb_only"
