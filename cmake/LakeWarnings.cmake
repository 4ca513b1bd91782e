# SPDX-License-Identifier: MIT
# Warnings that apply to lakeorm's own code (never to dependencies).
# -Wformat=2 checks every printf-like call, ours included: each helper that
# takes a format (lake__error, lake__buf_printf, lake__issues_add, the
# schema loaders' fail, the CLI's refuse) carries format(printf, ...).
# GCC's -Wformat-signedness also checks %d against unsigned arguments; clang
# has no such option. Neither compiler counts arguments against both formats
# of `c ? "fmt1" : "fmt2"` when one takes fewer: write one literal per call.
# -Werror only with LAKE_WERROR (on in every preset of CMakePresets.json):
# a packager's newer compiler may warn about what ours does not, and that must
# not fail their build.
function(lake_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow
    -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2
    $<$<C_COMPILER_ID:GNU>:-Wformat-signedness> $<$<BOOL:${LAKE_WERROR}>:-Werror>)
endfunction()
