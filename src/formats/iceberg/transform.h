/* SPDX-License-Identifier: MIT */
/* Iceberg's partition transforms (spec, "Partition Transforms" and appendix
 * B, "32-bit Hash Requirements") and the single-value binary form of
 * values in manifests' bounds (appendix D). A row lakeorm partitions must
 * land where Spark and pyiceberg put it, so these follow the spec to the bit. */
#ifndef LAKE_FORMATS_ICEBERG_TRANSFORM_H
#define LAKE_FORMATS_ICEBERG_TRANSFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema/schema.h"
#include "util/decimal.h"

/* MurmurHash3 x86 32-bit, seed 0: the hash Iceberg's buckets use. */
uint32_t lake__murmur3_32(const void *data, size_t len);

/* The bucket (0 .. n-1) of a value hashed as Iceberg hashes its type:
 * int, long, date, time and timestamps as a long; strings as UTF-8 bytes;
 * binary and fixed as their bytes; a uuid as its 16 bytes, big-endian; a
 * decimal's unscaled value as its shortest two's-complement big-endian bytes. */
int32_t lake__iceberg_bucket_long(int64_t v, int32_t n);
int32_t lake__iceberg_bucket_bytes(const void *p, size_t len, int32_t n);
int32_t lake__iceberg_bucket_decimal(lake__i128 unscaled, int32_t n);

/* truncate[W]: integers and unscaled decimals down to a multiple of W
 * (toward negative infinity); strings to their first W code points (the byte
 * length kept is returned); binary to its first W bytes. */
int64_t lake__iceberg_truncate_long(int64_t v, int32_t w);
lake__i128 lake__iceberg_truncate_decimal(lake__i128 unscaled, int32_t w);
size_t lake__iceberg_truncate_text(const char *s, size_t len, int32_t w);

/* year, month, day and hour of a timestamp (microseconds since the epoch)
 * or of a date (days since the epoch): years, months, days and hours from
 * 1970-01-01T00:00, counted down for earlier times. */
int32_t lake__iceberg_years_from_micros(int64_t us);
int32_t lake__iceberg_months_from_micros(int64_t us);
int32_t lake__iceberg_days_from_micros(int64_t us);
int32_t lake__iceberg_hours_from_micros(int64_t us);
int32_t lake__iceberg_years_from_days(int32_t days);
int32_t lake__iceberg_months_from_days(int32_t days);

/* The partition value of column c's value in `record` under the column's
 * transform, as Iceberg types it: *kind says which member holds it (a NULL
 * value stays NULL). LAKE_ENOTSUP when the transform does not apply to the
 * column's type. */
typedef enum lake__iceberg_part_kind {
    LAKE__ICEBERG_PART_NULL,
    LAKE__ICEBERG_PART_LONG,    /* int, long, date and the time transforms' results */
    LAKE__ICEBERG_PART_DECIMAL,
    LAKE__ICEBERG_PART_BYTES,   /* strings (UTF-8), binary, uuid (16 bytes) */
    LAKE__ICEBERG_PART_BOOL,
} lake__iceberg_part_kind;

typedef struct lake__iceberg_part {
    lake__iceberg_part_kind kind;
    int64_t l;
    lake__i128 dec;
    const unsigned char *bytes;
    size_t len;
    unsigned char uuid[16];
} lake__iceberg_part;

int lake__iceberg_partition_value(const lake__column *c, const void *record, lake__iceberg_part *out);

/* Whether the transform applies to a column of type t. */
bool lake__iceberg_transform_fits(lake_partition_transform transform, lake_type t);

/* The fewest big-endian two's-complement bytes that hold v (Java's
 * BigInteger.toByteArray, at least one): how Iceberg hashes and bounds
 * decimals. Returns the length written to out. */
size_t lake__iceberg_decimal_bytes(lake__i128 v, unsigned char out[16]);

/* v's low n bytes, little-endian, into out: numbers' single-value form. */
size_t lake__iceberg_le(unsigned char *out, uint64_t v, size_t n);

/* The single-value binary form of a column's non-NULL value: little-endian
 * numbers (int and date 4 bytes, long, time and timestamps 8, float 4,
 * double 8, boolean 1), strings as UTF-8, uuid as 16 big-endian bytes,
 * binary as is, decimals as their shortest two's-complement big-endian
 * bytes. Returns the length written into out (at most 16 bytes, or the
 * length of a text or binary value, whose bytes *data points at). */
size_t lake__iceberg_single_value(const lake__column *c, const void *record, unsigned char out[16], const void **data);

#endif
