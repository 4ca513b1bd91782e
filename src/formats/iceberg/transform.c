/* SPDX-License-Identifier: MIT */
#include "formats/iceberg/transform.h"

#include <string.h>

#include "values/values.h"

static uint32_t rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

uint32_t lake__murmur3_32(const void *data, size_t len) {
    const unsigned char *p = data;
    const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
    uint32_t h = 0;
    size_t blocks = len / 4;
    for (size_t i = 0; i < blocks; i++) {
        uint32_t k = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
                     (uint32_t)p[4 * i + 3] << 24;
        k *= c1;
        k = rotl(k, 15);
        k *= c2;
        h ^= k;
        h = rotl(h, 13);
        h = h * 5 + 0xe6546b64;
    }
    const unsigned char *tail = p + 4 * blocks;
    uint32_t k = 0;
    switch (len & 3) {
    case 3: k ^= (uint32_t)tail[2] << 16; /* fall through */
    case 2: k ^= (uint32_t)tail[1] << 8;  /* fall through */
    case 1:
        k ^= tail[0];
        k *= c1;
        k = rotl(k, 15);
        k *= c2;
        h ^= k;
    }
    h ^= (uint32_t)len;
    h ^= h >> 16;
    h *= 0x85ebca6b;
    h ^= h >> 13;
    h *= 0xc2b2ae35;
    h ^= h >> 16;
    return h;
}

static int32_t bucket_of(uint32_t hash, int32_t n) { return (int32_t)((hash & INT32_MAX) % (uint32_t)n); }

int32_t lake__iceberg_bucket_long(int64_t v, int32_t n) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    return bucket_of(lake__murmur3_32(b, 8), n);
}

int32_t lake__iceberg_bucket_bytes(const void *p, size_t len, int32_t n) {
    return bucket_of(lake__murmur3_32(p, len), n);
}

size_t lake__iceberg_decimal_bytes(lake__i128 v, unsigned char out[16]) {
    unsigned char full[16];
    for (int i = 0; i < 16; i++) full[15 - i] = (unsigned char)((unsigned __int128)v >> (8 * i));
    size_t skip = 0;
    while (skip < 15 && ((full[skip] == 0x00 && !(full[skip + 1] & 0x80)) || (full[skip] == 0xff && (full[skip + 1] & 0x80))))
        skip++;
    memcpy(out, full + skip, 16 - skip);
    return 16 - skip;
}

int32_t lake__iceberg_bucket_decimal(lake__i128 unscaled, int32_t n) {
    unsigned char b[16];
    size_t len = lake__iceberg_decimal_bytes(unscaled, b);
    return bucket_of(lake__murmur3_32(b, len), n);
}

int64_t lake__iceberg_truncate_long(int64_t v, int32_t w) { return v - (((v % w) + w) % w); }

lake__i128 lake__iceberg_truncate_decimal(lake__i128 unscaled, int32_t w) {
    return unscaled - (((unscaled % w) + w) % w);
}

size_t lake__iceberg_truncate_text(const char *s, size_t len, int32_t w) {
    size_t at = 0;
    for (int32_t n = 0; n < w && at < len; n++) {
        at++;
        while (at < len && ((unsigned char)s[at] & 0xc0) == 0x80) at++; /* continuation bytes */
    }
    return at;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/* Civil date of days since 1970-01-01 (Howard Hinnant's days_from_civil inverse). */
static void civil(int64_t days, int64_t *year, int *month) {
    days += 719468;
    int64_t era = floor_div(days, 146097);
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (m <= 2);
    *month = m;
}

int32_t lake__iceberg_years_from_days(int32_t days) {
    int64_t y;
    int m;
    civil(days, &y, &m);
    return (int32_t)(y - 1970);
}

int32_t lake__iceberg_months_from_days(int32_t days) {
    int64_t y;
    int m;
    civil(days, &y, &m);
    return (int32_t)((y - 1970) * 12 + (m - 1));
}

int32_t lake__iceberg_days_from_micros(int64_t us) { return (int32_t)floor_div(us, 86400LL * 1000000); }
int32_t lake__iceberg_hours_from_micros(int64_t us) { return (int32_t)floor_div(us, 3600LL * 1000000); }
int32_t lake__iceberg_years_from_micros(int64_t us) { return lake__iceberg_years_from_days(lake__iceberg_days_from_micros(us)); }
int32_t lake__iceberg_months_from_micros(int64_t us) {
    return lake__iceberg_months_from_days(lake__iceberg_days_from_micros(us));
}

static bool integer(lake_type t) { return t == LAKE_INT8 || t == LAKE_INT16 || t == LAKE_INT32 || t == LAKE_INT64; }
static bool text(lake_type t) { return t == LAKE_STRING; }

bool lake__iceberg_transform_fits(lake_partition_transform transform, lake_type t) {
    switch (transform) {
    case LAKE_PARTITION_NONE: return true;
    case LAKE_PARTITION_IDENTITY:
        return t == LAKE_BOOL || integer(t) || text(t) || t == LAKE_BYTES || t == LAKE_DECIMAL || t == LAKE_DATE ||
               t == LAKE_TIMESTAMP || t == LAKE_UUID;
    case LAKE_PARTITION_YEAR: case LAKE_PARTITION_MONTH: case LAKE_PARTITION_DAY: return t == LAKE_TIMESTAMP || t == LAKE_DATE;
    case LAKE_PARTITION_HOUR: return t == LAKE_TIMESTAMP;
    case LAKE_PARTITION_BUCKET:
        return integer(t) || text(t) || t == LAKE_BYTES || t == LAKE_DECIMAL || t == LAKE_DATE || t == LAKE_TIMESTAMP ||
               t == LAKE_UUID || t == LAKE_SORTABLE_ID; /* a KSUID hashes as its text, the string Iceberg holds */
    case LAKE_PARTITION_TRUNCATE: return integer(t) || text(t) || t == LAKE_BYTES || t == LAKE_DECIMAL;
    }
    return false;
}

int lake__iceberg_partition_value(const lake__column *c, const void *record, lake__iceberg_part *out) {
    memset(out, 0, sizeof *out);
    lake_type t = c->pub.type;
    lake_partition_transform tr = c->pub.partition;
    int32_t param = c->pub.partition_param;
    if (!lake__iceberg_transform_fits(tr, t) || tr == LAKE_PARTITION_NONE ||
        ((tr == LAKE_PARTITION_BUCKET || tr == LAKE_PARTITION_TRUNCATE) && param <= 0))
        return LAKE_ENOTSUP;
    if (lake__is_null(c, record)) return LAKE_OK; /* NULL in, NULL out, for every transform */
    lake__value v;
    lake__value_get(c, record, &v);
    char id_text[LAKE__VALUE_TEXT_MAX];
    if (t == LAKE_SORTABLE_ID) { /* a KSUID is a string in Iceberg */
        v.s.len = lake__value_id_text(t, v.id, id_text);
        v.s.ptr = id_text;
    }
    switch (tr) {
    case LAKE_PARTITION_YEAR: case LAKE_PARTITION_MONTH: case LAKE_PARTITION_DAY: case LAKE_PARTITION_HOUR:
        out->kind = LAKE__ICEBERG_PART_LONG;
        if (t == LAKE_DATE) {
            int32_t days = (int32_t)v.t;
            out->l = tr == LAKE_PARTITION_YEAR ? lake__iceberg_years_from_days(days)
                   : tr == LAKE_PARTITION_MONTH ? lake__iceberg_months_from_days(days) : days;
        } else {
            out->l = tr == LAKE_PARTITION_YEAR ? lake__iceberg_years_from_micros(v.t)
                   : tr == LAKE_PARTITION_MONTH ? lake__iceberg_months_from_micros(v.t)
                   : tr == LAKE_PARTITION_DAY ? lake__iceberg_days_from_micros(v.t) : lake__iceberg_hours_from_micros(v.t);
        }
        return LAKE_OK;
    case LAKE_PARTITION_BUCKET:
        out->kind = LAKE__ICEBERG_PART_LONG;
        if (integer(t)) out->l = lake__iceberg_bucket_long((int64_t)v.i, param);
        else if (t == LAKE_DATE || t == LAKE_TIMESTAMP) out->l = lake__iceberg_bucket_long(v.t, param);
        else if (t == LAKE_DECIMAL) out->l = lake__iceberg_bucket_decimal(v.i, param);
        else if (t == LAKE_UUID) out->l = lake__iceberg_bucket_bytes(v.id, 16, param);
        else out->l = lake__iceberg_bucket_bytes(v.s.ptr, v.s.len, param);
        return LAKE_OK;
    case LAKE_PARTITION_TRUNCATE:
        if (integer(t)) {
            out->kind = LAKE__ICEBERG_PART_LONG;
            out->l = lake__iceberg_truncate_long((int64_t)v.i, param);
        } else if (t == LAKE_DECIMAL) {
            out->kind = LAKE__ICEBERG_PART_DECIMAL;
            out->dec = lake__iceberg_truncate_decimal(v.i, param);
        } else {
            out->kind = LAKE__ICEBERG_PART_BYTES;
            out->bytes = (const unsigned char *)v.s.ptr;
            out->len = t == LAKE_BYTES ? (v.s.len < (size_t)param ? v.s.len : (size_t)param)
                                       : lake__iceberg_truncate_text(v.s.ptr, v.s.len, param);
        }
        return LAKE_OK;
    default: /* identity */
        if (t == LAKE_BOOL) out->kind = LAKE__ICEBERG_PART_BOOL, out->l = v.b;
        else if (integer(t)) out->kind = LAKE__ICEBERG_PART_LONG, out->l = (int64_t)v.i;
        else if (t == LAKE_DATE || t == LAKE_TIMESTAMP) out->kind = LAKE__ICEBERG_PART_LONG, out->l = v.t;
        else if (t == LAKE_DECIMAL) out->kind = LAKE__ICEBERG_PART_DECIMAL, out->dec = v.i;
        else if (t == LAKE_UUID) out->kind = LAKE__ICEBERG_PART_BYTES, memcpy(out->uuid, v.id, 16), out->bytes = out->uuid, out->len = 16;
        else out->kind = LAKE__ICEBERG_PART_BYTES, out->bytes = (const unsigned char *)v.s.ptr, out->len = v.s.len;
        return LAKE_OK;
    }
}

size_t lake__iceberg_le(unsigned char *out, uint64_t v, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = (unsigned char)(v >> (8 * i));
    return n;
}

size_t lake__iceberg_single_value(const lake__column *c, const void *record, unsigned char out[16], const void **data) {
    lake__value v;
    lake__value_get(c, record, &v);
    *data = out;
    switch (c->pub.type) {
    case LAKE_BOOL: out[0] = v.b ? 1 : 0; return 1;
    case LAKE_INT8: case LAKE_INT16: case LAKE_INT32: return lake__iceberg_le(out, (uint64_t)(int64_t)v.i, 4);
    case LAKE_INT64: return lake__iceberg_le(out, (uint64_t)(int64_t)v.i, 8);
    case LAKE_DATE: return lake__iceberg_le(out, (uint64_t)v.t, 4);
    case LAKE_TIMESTAMP: return lake__iceberg_le(out, (uint64_t)v.t, 8);
    case LAKE_FLOAT32: return lake__iceberg_le(out, lake__value_float_bits(c, record), 4);
    case LAKE_FLOAT64: return lake__iceberg_le(out, lake__value_float_bits(c, record), 8);
    case LAKE_DECIMAL: return lake__iceberg_decimal_bytes(v.i, out);
    case LAKE_UUID: memcpy(out, v.id, 16); return 16;
    case LAKE_STRING: case LAKE_BYTES: case LAKE_JSON: *data = v.s.ptr; return v.s.len;
    default: return 0; /* KSUIDs (text made on the fly), nested types: no bounds */
    }
}
