#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the built tree into a scratch prefix, then builds a consumer against
# it twice: with find_package(lakeorm) and with pkg-config.
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/tests/install/consumer" -B "$work/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
LD_LIBRARY_PATH="$work/prefix/lib" "$work/consumer/consumer"
"$work/consumer/consumer_static"
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
libdir=$(pkg-config --variable=libdir lakeorm)
cc -std=c17 -Wall -Wextra -Werror "$src/tests/install/consumer/main.c" $(pkg-config --cflags --libs lakeorm) \
  -Wl,-rpath,"$libdir" -o "$work/pc_consumer"
"$work/pc_consumer"
echo "install: find_package and pkg-config consumers passed"
