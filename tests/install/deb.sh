#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Debian package from a build folder (cpack, cmake/LakePackage.cmake)
# and checks what an apt user would get, without installing it onto this
# system: it is unpacked with dpkg -x into a scratch root, where
#  - its control fields name it, its version and a Depends that dpkg-shlibdeps
#    computed (libc6 and the private dependencies, never libduckdb, which is
#    inside), and every package Depends names is one this system has;
#  - it holds the library, libduckdb in the library's own folder, the headers,
#    the CMake and pkg-config files, the tool, its compressed manual pages, its
#    bash and zsh completions, the copyright file and the changelog;
#  - the unpacked tool runs with no LD_LIBRARY_PATH (RUNPATHs find liblakeorm
#    and libduckdb in the root, not on the system) and ingests and queries a
#    sample;
#  - a program built against the unpacked package with find_package and with
#    pkg-config runs.
# lintian, when installed (scripts/setup does not install it), reports on the
# package: its warnings are shown, an error fails the test.
# Usage: deb.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
# grep -q on a pipe: reads all of its input first, so the writer never dies of
# SIGPIPE, which pipefail would report as a failure when grep matched early.
contains() { local text; text=$(cat); grep -q "$@" <<<"$text"; }
build=$1 src=$2 version=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "deb: $*" >&2; exit 1; }
unset LD_LIBRARY_PATH
for t in cpack dpkg-deb dpkg-shlibdeps file; do
  command -v "$t" >/dev/null || { echo "deb: skipped: no $t (scripts/setup installs dpkg-dev and file)"; exit 77; }
done

arch=$(dpkg --print-architecture)
# The Maintainer a real build sets (-DLAKE_PACKAGE_MAINTAINER), so lintian
# judges the rest.
(cd "$build" && cpack -G DEB -B "$work/out" -D "CPACK_PACKAGE_CONTACT=lakeorm tests <tests@lakeorm.example.org>" \
  >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb="$work/out/lakeorm_${version}_${arch}.deb"
[ -f "$deb" ] || fail "cpack wrote $(ls "$work/out"/*.deb 2>/dev/null | xargs -n1 basename | tr '\n' ' '), not $(basename "$deb")"

# Control fields.
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = lakeorm ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', not $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is '$(field Architecture)'"
depends=$(field Depends)
grep -q 'libc6 (>= ' <<<"$depends" || fail "Depends lacks libc6: '$depends'"
! grep -qi duckdb <<<"$depends" || fail "Depends names libduckdb, which the package carries: '$depends'"
for dep in $(tr ',' '\n' <<<"$depends" | sed 's/(.*)//; s/|.*//' | tr -d ' '); do
  dpkg-query -W -f='${Status}' "$dep" 2>/dev/null | contains 'install ok installed' \
    || fail "Depends names $dep, which is not installed here: '$depends'"
done

# Contents, in Debian's places.
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's|^\./|/|')
for want in '/usr/bin/lakeorm' '/usr/lib/.*liblakeorm\.so\.0' '/usr/lib/.*lakeorm/libduckdb\.so' \
            '/usr/lib/.*liblakeorm\.so' '/usr/lib/.*liblakeorm\.a' '/usr/include/lakeorm\.h' '/usr/include/lakeorm/client\.h' \
            '/usr/lib/.*cmake/lakeorm/lakeorm-config\.cmake' '/usr/lib/.*pkgconfig/lakeorm\.pc' \
            '/usr/lib/.*pkgconfig/lakeorm-static\.pc' \
            '/usr/share/man/man1/lakeorm\.1\.gz' '/usr/share/man/man1/lakeorm-ingest\.1\.gz' \
            '/usr/share/bash-completion/completions/lakeorm' '/usr/share/zsh/site-functions/_lakeorm' \
            '/usr/share/doc/lakeorm/copyright' '/usr/share/doc/lakeorm/changelog\.gz'; do
  grep -qx "$want" <<<"$contents" || fail "the package has no $want"
done
! grep -Eq '^/usr/lib/([^/]*-linux-[^/]*/)?libduckdb\.so' <<<"$contents" || fail "libduckdb.so is in the system's library folder"

if command -v lintian >/dev/null; then
  lintian "$deb" >"$work/lintian.txt" 2>&1 || true
  echo "deb: lintian's report:"
  cat "$work/lintian.txt"
  ! grep -q '^E: ' "$work/lintian.txt" || fail "lintian reports errors"
fi

# Unpacked into a scratch root: the tool (which carries the library's code)
# finds libduckdb by RUNPATH alone.
root="$work/root"
dpkg -x "$deb" "$root"
tool="$root/usr/bin/lakeorm"
resolved=$(ldd "$tool")
grep -q "libduckdb.so => $root/" <<<"$resolved" || fail "the tool does not find the unpacked libduckdb: $resolved"
! grep -q 'not found' <<<"$resolved" || fail "unresolved libraries: $(grep 'not found' <<<"$resolved")"
"$tool" --version | contains "$version" || fail "lakeorm --version does not say $version: $("$tool" --version)"
"$tool" ingest --db "$work/lake.duckdb" --schema "$src/examples/users.schema.json" \
  "$src/examples/users.ndjson" >"$work/ingest.out" 2>&1 || true # the sample has bad records on purpose
"$tool" query --db "$work/lake.duckdb" 'SELECT email FROM users WHERE country = ?' UK >"$work/query.out" \
  || { cat "$work/ingest.out" "$work/query.out" >&2; fail "the unpacked tool could not query what it ingested"; }
grep -q 'ann@example.com' "$work/query.out" || { cat "$work/ingest.out" "$work/query.out" >&2; fail "the sample's UK row is missing"; }

if command -v man >/dev/null; then
  MANPATH="$root/usr/share/man" man -P cat lakeorm-ingest 2>/dev/null | contains -- '--schema' \
    || fail "man lakeorm-ingest does not show the unpacked (compressed) page"
fi

# A consumer built against the unpacked package: CMake's find_package ...
# (both libraries: the static one's dependencies are this system's -dev packages).
cmake -S "$src/tests/install/consumer" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$root/usr" >/dev/null
cmake --build "$work/consumer" >/dev/null
grep -q "$root/usr/include" "$work/consumer/build.ninja" || fail "find_package did not take the unpacked headers"
ldd "$work/consumer/consumer" | contains "liblakeorm.so.0 => $root/" || fail "the consumer does not load the unpacked liblakeorm"
"$work/consumer/consumer"
"$work/consumer/consumer_static"
# ... and pkg-config, the .pc found in the root (lakeorm.pc names no other
# module; run.sh checks it alone). It locates the prefix from its own
# folder, which pkg-config knows to be inside the sysroot already.
pcfile=$(grep -m1 '/pkgconfig/lakeorm\.pc$' <<<"$contents")
export PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_PATH="$root$(dirname "$pcfile")"
pclibdir=$(pkg-config --variable=libdir lakeorm)
[ -f "$pclibdir/liblakeorm.so" ] || fail "pkg-config's libdir $pclibdir has no liblakeorm.so"
cc -std=c17 -Wall -Wextra -Werror "$src/tests/install/consumer/main.c" $(pkg-config --cflags --libs lakeorm) \
  -Wl,-rpath,"$pclibdir" -o "$work/pc_consumer"
"$work/pc_consumer"

echo "deb: $(basename "$deb"), Depends: $depends; unpacked, the tool ingested and queried, and find_package" \
  "and pkg-config consumers ran"
