#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the built tree into a scratch prefix, then checks what a packager
# and a user meet:
#  - libduckdb sits in lib/lakeorm, found through liblakeorm's RUNPATH, never
#    in lib/ where a system DuckDB would be;
#  - liblakeorm.so exports only lake_* symbols, each under the LAKEORM_0.1
#    version node, and a program linked to it asks for that version;
#  - find_package(lakeorm) links the shared library with the private
#    dependencies' development files hidden (no pkg-config modules, zlib and
#    OpenSSL not findable), and the `static` component with them visible;
#  - pkg-config consumers build and run: lakeorm.pc (shared) with no other
#    .pc file in sight, lakeorm-static.pc with the dependencies' ones;
#  - lakeorm stack finds its service scripts in share/lakeorm/stack;
#  - lakeorm's manual pages and bash/zsh completions are where man and the
#    shells look.
set -euo pipefail
# grep -q on a pipe: reads all of its input first, so the writer never dies of
# SIGPIPE, which pipefail would report as a failure when grep matched early.
contains() { local text; text=$(cat); grep -q "$@" <<<"$text"; }
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "install: $*" >&2; exit 1; }
cmake --install "$build" --prefix "$work/prefix" >/dev/null
lib=$(find "$work/prefix" -name 'liblakeorm.so.*.*' | head -1)
[ -n "$lib" ] || fail "no liblakeorm.so installed"
libdir=$(dirname "$lib")

# libduckdb in a folder of lakeorm's own.
[ -f "$libdir/lakeorm/libduckdb.so" ] || fail "libduckdb.so is not in $libdir/lakeorm"
[ ! -e "$libdir/libduckdb.so" ] || fail "libduckdb.so was installed into $libdir, where a system DuckDB lives"
runpath=$(readelf -d "$lib" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')
[ "$runpath" = '$ORIGIN/lakeorm' ] || fail "liblakeorm's RUNPATH is '$runpath', not \$ORIGIN/lakeorm"

# Exports: lake_* only, each with the version node.
defined=$(nm -D --defined-only "$lib" | awk '$2 != "A" {print $3}')
[ -n "$defined" ] || fail "nm found no exported symbols"
others=$(grep -Ev '^lake_[A-Za-z0-9]' <<<"$defined" || true)
[ -z "$others" ] || fail "exports symbols outside lake_*: $(head -5 <<<"$others" | tr '\n' ' ')"
internal=$(grep -E '^lake__' <<<"$defined" || true)
[ -z "$internal" ] || fail "exports internal symbols: $(head -5 <<<"$internal" | tr '\n' ' ')"
unversioned=$(grep -Ev '@@LAKEORM_0\.1$' <<<"$defined" || true)
[ -z "$unversioned" ] || fail "symbols without the LAKEORM_0.1 version: $(head -5 <<<"$unversioned" | tr '\n' ' ')"
# (grep -q reads the whole listing from a variable: quitting early would break readelf's pipe, and pipefail with it)
grep -q 'Name: LAKEORM_0.1' <<<"$(readelf -V "$lib")" || fail "no LAKEORM_0.1 version definition"

# find_package, shared only, with the private dependencies' development files hidden.
mkdir -p "$work/empty"
PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR="$work/empty" cmake -S "$src/tests/install/consumer" -B "$work/shared" -G Ninja \
  -DLAKE_SHARED_ONLY=ON -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_DISABLE_FIND_PACKAGE_ZLIB=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON >/dev/null
cmake --build "$work/shared" >/dev/null
"$work/shared/consumer"
nm -D "$work/shared/consumer" | contains 'lake_version@LAKEORM_0\.1' || fail "the consumer does not ask for LAKEORM_0.1"

# find_package with the static component, its dependencies visible.
cmake -S "$src/tests/install/consumer" -B "$work/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/consumer"
"$work/consumer/consumer_static"

# pkg-config, shared, with only lakeorm's .pc in sight: a consumer of the
# shared library has no private dependency's -dev package, so lakeorm.pc
# must name none.
pcdir=$(dirname "$(find "$work/prefix" -name lakeorm.pc | head -1)")
pcflags=$(PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR="$pcdir" pkg-config --cflags --libs lakeorm) \
  || fail "pkg-config lakeorm needs other .pc files than lakeorm's"
pclibdir=$(PKG_CONFIG_LIBDIR="$pcdir" pkg-config --variable=libdir lakeorm)
cc -std=c17 -Wall -Wextra -Werror "$src/tests/install/consumer/main.c" $pcflags \
  -Wl,-rpath,"$pclibdir" -o "$work/pc_consumer"
"$work/pc_consumer"
# pkg-config, static: lakeorm-static.pc with the system's .pc files.
export PKG_CONFIG_PATH="$pcdir"
cc -std=c17 -Wall -Wextra -Werror "$src/tests/install/consumer/main.c" $(pkg-config --cflags --libs lakeorm-static) \
  -Wl,-rpath,"$pclibdir/lakeorm" -o "$work/pc_consumer_static"
"$work/pc_consumer_static"
# grep reads all of nm's output: with -q it would stop early, and pipefail would take nm's SIGPIPE for a failure.
nm "$work/pc_consumer_static" | grep ' T lake_version$' >/dev/null || fail "lakeorm-static.pc did not link lakeorm statically"
# man lakeorm, man lakeorm-ingest, and the completions.
if [ -x "$work/prefix/bin/lakeorm" ]; then
  env -u LD_LIBRARY_PATH "$work/prefix/bin/lakeorm" --version >/dev/null \
    || fail "the installed lakeorm does not run (its RUNPATH must find lib/lakeorm/libduckdb.so)"
  for f in share/man/man1/lakeorm.1 share/man/man1/lakeorm-ingest.1 share/bash-completion/completions/lakeorm \
           share/zsh/site-functions/_lakeorm; do
    [ -s "$work/prefix/$f" ] || fail "$f is not installed"
  done
  if command -v man >/dev/null; then
    MANPATH="$work/prefix/share/man" man -P cat lakeorm-ingest 2>/dev/null | contains -- '--schema' \
      || fail "man lakeorm-ingest does not show the page"
  fi
  # lakeorm stack runs the installed service scripts (share/lakeorm/stack),
  # not the source tree's: with no tools there, each missing one is named.
  mkdir -p "$work/no-tools"
  out=$("$work/prefix/bin/lakeorm" stack up --dir "$work/stack" --tools "$work/no-tools" --port-base 29990 2>&1) \
    && fail "lakeorm stack up without tools succeeded"
  grep -q "missing for minio: the minio server at $work/no-tools/.cache/bin/minio" <<<"$out" \
    || fail "lakeorm stack did not run the installed share/lakeorm/stack scripts: $out"
fi

echo "install: lib/lakeorm/libduckdb.so, lake_* exports at LAKEORM_0.1, find_package (shared without the" \
  "private dependencies, static with them) and pkg-config (lakeorm alone, lakeorm-static) consumers passed"
