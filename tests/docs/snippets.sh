#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The ```c blocks of a Markdown file, in order, are one C translation unit
# (a page reads top to bottom: a later block uses what an earlier one
# declared); it must compile against the public headers with -Werror, as shown.
# Declarations quoted for reference are fenced ```h and are not compiled.
# Usage: tests/docs/snippets.sh CC INCLUDE_DIR FILE.md
set -euo pipefail
cc=$1 include=$2 doc=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
awk '/^```c[[:space:]]*$/ {on = 1; printf "#line %d \"%s\"\n", NR + 1, FILENAME; next}
     /^```/ {on = 0; next}
     on' "$doc" >"$work/snippets.c"
[ -s "$work/snippets.c" ] || { echo "snippets: no \`\`\`c block in $doc" >&2; exit 1; }
"$cc" -std=c17 -Wall -Wextra -Werror -Wno-unused-function -c -I"$include" "$work/snippets.c" -o "$work/snippets.o"
echo "snippets: the C blocks of $(basename "$doc") compile ($(grep -c '^#line' "$work/snippets.c") blocks)"
