/* SPDX-License-Identifier: MIT */
/* Struct versions: the one check every public struct that carries a
 * `version` goes through (options in, results out).
 *
 * The rule is libgit2's: a struct is accepted when 1 <= version <= the
 * version this library was built with. A caller compiled against an older
 * header passes an older (smaller) struct; the library reads, or for an
 * output struct writes, only the fields that version has, so adding a field
 * at the end (and bumping the *_VERSION constant) never breaks a caller that
 * was built before it. A version of 0 is an uninitialised struct, and one
 * above ours comes from a newer header than this library: both are refused,
 * since reading or writing past the caller's struct would corrupt memory.
 * docs/architecture.md, "Decisions", states the rule for users. */
#ifndef LAKE_UTIL_VERSION_H
#define LAKE_UTIL_VERSION_H

#include "error/error.h"

/* LAKE_EINVAL with the message every version check gives. */
static inline int lake__version_error(lake_error *err, const char *type, unsigned version, unsigned known,
                                      const char *init) {
    return lake__error(err, LAKE_EINVAL, "%s.version is %u; this library knows 1..%u (initialise it with %s)", type,
                       version, known, init);
}

/* LAKE_OK when (s)->version is one this library knows, else LAKE_EINVAL
 * naming the struct and its _INIT macro. `type` is the struct's name and
 * `PREFIX` its constants' (lake_insert_options, LAKE_INSERT_OPTIONS:
 * LAKE_INSERT_OPTIONS_VERSION and LAKE_INSERT_OPTIONS_INIT), so a call reads
 * LAKE__VERSION_CHECK(opts, lake_insert_options, LAKE_INSERT_OPTIONS, err). */
#define LAKE__VERSION_CHECK(s, type, PREFIX, err)                                                        \
    ((s)->version >= 1 && (s)->version <= (unsigned)PREFIX##_VERSION                                     \
         ? LAKE_OK                                                                                       \
         : lake__version_error((err), #type, (s)->version, (unsigned)PREFIX##_VERSION, #PREFIX "_INIT"))

#endif
