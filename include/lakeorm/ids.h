/* SPDX-License-Identifier: MIT */
/* lakeorm: ingest ids (UUIDv7, RFC 9562) and sortable ids (KSUID). */
#ifndef LAKEORM_IDS_H
#define LAKEORM_IDS_H

#include "common.h"
#include "types.h"

LAKE_BEGIN_DECL

#define LAKE_UUID_TEXT_LEN 36  /* 8-4-4-4-12 hex digits */
#define LAKE_KSUID_TEXT_LEN 27 /* base62 */

/* A new UUIDv7: 48-bit Unix milliseconds, then a 42-bit counter seeded at random
 * each millisecond (RFC 9562 section 6.2, method 1), then random bits. Ids made
 * by one process are strictly increasing, also within a millisecond and across
 * threads. Fails with LAKE_EIO only when the system has no randomness. */
LAKE_EXTERN int lake_uuid7_new(lake_uuid *out);

/* Writes the lowercase canonical form and a NUL into out[37]. */
LAKE_EXTERN void lake_uuid_format(const lake_uuid *uuid, char out[LAKE_UUID_TEXT_LEN + 1]);

/* Parses the canonical hyphenated form, either case. LAKE_EINVAL otherwise. */
LAKE_EXTERN int lake_uuid_parse(lake_uuid *out, const char *text, size_t len);

/* The version nibble (7 for ingest ids). */
LAKE_EXTERN int lake_uuid_version(const lake_uuid *uuid);

/* Unix milliseconds of a UUIDv7 with the RFC 9562 variant, or -1 for any other UUID. */
LAKE_EXTERN int64_t lake_uuid7_unix_ms(const lake_uuid *uuid);

/* A new KSUID stamped with the current second. LAKE_EIO without randomness. */
LAKE_EXTERN int lake_ksuid_new(lake_ksuid *out);

/* Writes the 27-character base62 form (0-9A-Za-z) and a NUL into out[28]. */
LAKE_EXTERN void lake_ksuid_format(const lake_ksuid *ksuid, char out[LAKE_KSUID_TEXT_LEN + 1]);

/* Parses 27 base62 characters no greater than the largest KSUID
 * ("aWgEPTl1tmebfsQzFP4bxwgy80V"). LAKE_EINVAL otherwise. */
LAKE_EXTERN int lake_ksuid_parse(lake_ksuid *out, const char *text, size_t len);

/* Unix seconds of the KSUID's timestamp. */
LAKE_EXTERN int64_t lake_ksuid_unix_seconds(const lake_ksuid *ksuid);

LAKE_END_DECL

#endif
