/* SPDX-License-Identifier: MIT */
/* Reading Avro container files: the header, then every block's records
 * decoded into value trees. Nothing read is trusted: every length is checked
 * against the bytes left, every count against the bytes its items need (or,
 * for items that may take no bytes at all, against a fixed bound), nesting
 * against a depth limit, decompressed blocks against a size limit. */
#include <string.h>

#include "avro/avro.h"
#include "avro/codec.h"
#include "error/error.h"
#include "util/arena.h"
#include "util/utf8.h"

enum {
    MAX_DEPTH = 64,
    MAX_EMPTY_ITEMS = 1 << 16,      /* items of a type that takes no bytes, per array */
    MAX_BLOCK = 256 << 20,          /* a block's decompressed bytes */
};

typedef struct reader {
    const unsigned char *start, *p, *end;
    size_t base; /* offset of start in the file (a decompressed block: its offset) */
    lake_arena *arena;
    lake_error *err;
    int rc;
} reader;

static bool corrupt(reader *r, const char *what) {
    if (!r->rc)
        r->rc = lake__error(r->err, LAKE_EIO, "malformed Avro file: %s (at byte %zu)", what, r->base + (size_t)(r->p - r->start));
    return false;
}

static bool oom(reader *r) {
    if (!r->rc) r->rc = lake__error(r->err, LAKE_ENOMEM, "out of memory reading an Avro file");
    return false;
}

static bool get_long(reader *r, int64_t *out) {
    uint64_t z = 0;
    for (unsigned shift = 0; shift < 70; shift += 7) {
        if (r->p == r->end) return corrupt(r, "a number runs past the end");
        unsigned char b = *r->p++;
        if (shift == 63 && b > 1) return corrupt(r, "a number is too long");
        z |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
            return true;
        }
    }
    return corrupt(r, "a number is too long");
}

static bool get_length(reader *r, size_t *out, const char *what) {
    int64_t n;
    if (!get_long(r, &n)) return false;
    if (n < 0 || (uint64_t)n > (uint64_t)(r->end - r->p)) return corrupt(r, what);
    *out = (size_t)n;
    return true;
}

static bool get_raw(reader *r, size_t n, const unsigned char **out) {
    if (n > (size_t)(r->end - r->p)) return corrupt(r, "a value runs past the end");
    *out = r->p;
    r->p += n;
    return true;
}

static uint64_t get_le(const unsigned char *p, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* The fewest bytes a value of s takes (0 for null, empty records). */
static size_t min_size(const lake__avro_schema *s, unsigned depth) {
    switch (s->kind) {
    case LAKE__AVRO_NULL: return 0;
    case LAKE__AVRO_FLOAT: return 4;
    case LAKE__AVRO_DOUBLE: return 8;
    case LAKE__AVRO_FIXED: return s->size;
    case LAKE__AVRO_RECORD: {
        size_t n = 0;
        for (size_t i = 0; i < s->count && depth < MAX_DEPTH; i++) n += min_size(s->fields[i].type, depth + 1);
        return n;
    }
    default: return 1;
    }
}

static bool decode(reader *r, const lake__avro_schema *s, lake__avro_value *v, unsigned depth);

static lake__avro_value *values(reader *r, size_t n) {
    lake__avro_value *v = lake__arena_alloc(r->arena, (n ? n : 1) * sizeof *v, _Alignof(lake__avro_value));
    if (!v) oom(r);
    return v;
}

/* Arrays and maps: blocks of items, a negative count followed by the block's byte size, 0 at the end. */
static bool decode_items(reader *r, const lake__avro_schema *s, lake__avro_value *v, unsigned depth) {
    bool map = s->kind == LAKE__AVRO_MAP;
    size_t item_min = min_size(s->items, depth + 1) + (map ? 1 : 0), total = 0;
    lake__avro_value *items = NULL;
    const char **keys = NULL;
    size_t *key_lens = NULL;
    for (;;) {
        int64_t count;
        if (!get_long(r, &count)) return false;
        if (count == 0) break;
        if (count < 0) {
            if (count == INT64_MIN) return corrupt(r, "an array block's count is out of range");
            count = -count;
            size_t bytes;
            if (!get_length(r, &bytes, "an array block's size runs past the end")) return false;
        }
        size_t left = (size_t)(r->end - r->p), most = item_min ? left / item_min : MAX_EMPTY_ITEMS - total;
        if ((uint64_t)count > most) return corrupt(r, "an array holds more items than its bytes can");
        size_t n = total + (size_t)count;
        lake__avro_value *grown = values(r, n);
        if (!grown) return false;
        if (total) memcpy(grown, items, total * sizeof *grown);
        items = grown;
        if (map) {
            const char **k = lake__arena_alloc(r->arena, n * sizeof *k, _Alignof(const char *));
            size_t *kl = lake__arena_alloc(r->arena, n * sizeof *kl, _Alignof(size_t));
            if (!k || !kl) return oom(r);
            if (total) memcpy(k, keys, total * sizeof *k), memcpy(kl, key_lens, total * sizeof *kl);
            keys = k, key_lens = kl;
        }
        for (size_t i = total; i < n; i++) {
            if (map) {
                const unsigned char *key;
                if (!get_length(r, &key_lens[i], "a map key runs past the end") || !get_raw(r, key_lens[i], &key))
                    return false;
                if (!lake__utf8_valid((const char *)key, key_lens[i])) return corrupt(r, "a map key is not UTF-8");
                if (!(keys[i] = lake__arena_strndup(r->arena, (const char *)key, key_lens[i]))) return oom(r);
            }
            if (!decode(r, s->items, &items[i], depth + 1)) return false;
        }
        total = n;
    }
    v->u.list.items = items;
    v->u.list.keys = keys;
    v->u.list.key_lens = key_lens;
    v->u.list.count = total;
    return true;
}

static bool decode(reader *r, const lake__avro_schema *s, lake__avro_value *v, unsigned depth) {
    if (depth > MAX_DEPTH) return corrupt(r, "values nest deeper than 64");
    memset(v, 0, sizeof *v);
    v->kind = s->kind;
    int64_t n;
    const unsigned char *raw;
    switch (s->kind) {
    case LAKE__AVRO_NULL: return true;
    case LAKE__AVRO_BOOLEAN:
        if (!get_raw(r, 1, &raw)) return false;
        if (*raw > 1) return corrupt(r, "a boolean is neither 0 nor 1");
        v->u.b = *raw;
        return true;
    case LAKE__AVRO_INT:
        if (!get_long(r, &n)) return false;
        if (n < INT32_MIN || n > INT32_MAX) return corrupt(r, "an int is out of range");
        v->u.l = n;
        return true;
    case LAKE__AVRO_LONG: return get_long(r, &v->u.l);
    case LAKE__AVRO_FLOAT: {
        if (!get_raw(r, 4, &raw)) return false;
        uint32_t bits = (uint32_t)get_le(raw, 4);
        float f;
        memcpy(&f, &bits, 4);
        v->u.d = f;
        return true;
    }
    case LAKE__AVRO_DOUBLE: {
        if (!get_raw(r, 8, &raw)) return false;
        uint64_t bits = get_le(raw, 8);
        memcpy(&v->u.d, &bits, 8);
        return true;
    }
    case LAKE__AVRO_BYTES:
    case LAKE__AVRO_STRING:
        if (!get_length(r, &v->u.bytes.len, "a string runs past the end") || !get_raw(r, v->u.bytes.len, &v->u.bytes.ptr))
            return false;
        if (s->kind == LAKE__AVRO_STRING && !lake__utf8_valid((const char *)v->u.bytes.ptr, v->u.bytes.len))
            return corrupt(r, "a string is not UTF-8");
        return true;
    case LAKE__AVRO_FIXED: return get_raw(r, s->size, &v->u.bytes.ptr) && (v->u.bytes.len = s->size, true);
    case LAKE__AVRO_ENUM:
        if (!get_long(r, &n)) return false;
        if (n < 0 || (uint64_t)n >= s->count) return corrupt(r, "an enum index is out of range");
        v->branch = (uint32_t)n;
        return true;
    case LAKE__AVRO_UNION:
        if (!get_long(r, &n)) return false;
        if (n < 0 || (uint64_t)n >= s->count) return corrupt(r, "a union index is out of range");
        v->branch = (uint32_t)n;
        if (!(v->u.list.items = values(r, 1))) return false;
        v->u.list.count = 1;
        return decode(r, s->branches[n], v->u.list.items, depth + 1);
    case LAKE__AVRO_RECORD:
        if (!(v->u.list.items = values(r, s->count))) return false;
        v->u.list.count = s->count;
        for (size_t i = 0; i < s->count; i++)
            if (!decode(r, s->fields[i].type, &v->u.list.items[i], depth + 1)) return false;
        return true;
    case LAKE__AVRO_ARRAY:
    case LAKE__AVRO_MAP: return decode_items(r, s, v, depth);
    }
    return corrupt(r, "an unknown type");
}

/* ---- the container */

static bool read_metadata(reader *r, lake__avro_file *f) {
    lake__avro_schema bytes_map = {.kind = LAKE__AVRO_MAP, .element_id = -1, .key_id = -1, .value_id = -1};
    lake__avro_schema bytes = {.kind = LAKE__AVRO_BYTES, .element_id = -1, .key_id = -1, .value_id = -1};
    bytes_map.items = &bytes;
    lake__avro_value meta;
    if (!decode(r, &bytes_map, &meta, 0)) return false;
    size_t n = meta.u.list.count;
    const unsigned char **vals = lake__arena_alloc(r->arena, (n ? n : 1) * sizeof *vals, _Alignof(void *));
    size_t *lens = lake__arena_alloc(r->arena, (n ? n : 1) * sizeof *lens, _Alignof(size_t));
    if (!vals || !lens) return oom(r);
    for (size_t i = 0; i < n; i++) {
        /* NUL-terminated copies: the schema and codec are read as text */
        char *copy = lake__arena_strndup(r->arena, (const char *)meta.u.list.items[i].u.bytes.ptr,
                                         meta.u.list.items[i].u.bytes.len);
        if (!copy) return oom(r);
        vals[i] = (const unsigned char *)copy;
        lens[i] = meta.u.list.items[i].u.bytes.len;
    }
    f->metadata_count = n;
    f->keys = meta.u.list.keys;
    f->values = vals;
    f->value_lens = lens;
    return true;
}

const char *lake__avro_file_meta(const lake__avro_file *f, const char *key) {
    for (size_t i = 0; i < f->metadata_count; i++)
        if (!strcmp(f->keys[i], key)) return (const char *)f->values[i];
    return NULL;
}

int lake__avro_read(const void *data, size_t len, lake_arena *arena, lake__avro_file *out, lake_error *err) {
    memset(out, 0, sizeof *out);
    reader r = {data, data, (const unsigned char *)data + len, 0, arena, err, LAKE_OK};
    const unsigned char *magic, *sync;
    if (!get_raw(&r, 4, &magic) || memcmp(magic, "Obj\x01", 4)) return corrupt(&r, "not an Avro container file (magic)"), r.rc;
    if (!read_metadata(&r, out) || !get_raw(&r, 16, &sync)) return r.rc;
    const char *schema = lake__avro_file_meta(out, "avro.schema"), *codec_text = lake__avro_file_meta(out, "avro.codec");
    if (!schema) return corrupt(&r, "the header has no avro.schema"), r.rc;
    int rc = lake__avro_schema_parse(schema, strlen(schema), arena, &out->schema, err);
    if (rc) return rc;
    out->schema_json = schema;
    lake__avro_codec codec = LAKE__AVRO_CODEC_NULL;
    if (codec_text && !strcmp(codec_text, "deflate")) codec = LAKE__AVRO_CODEC_DEFLATE;
    else if (codec_text && !strcmp(codec_text, "zstandard")) codec = LAKE__AVRO_CODEC_ZSTD;
    else if (codec_text && strcmp(codec_text, "null"))
        return lake__error(err, LAKE_ENOTSUP, "Avro file: the codec \"%.40s\" is not supported (null, deflate and "
                           "zstandard are)", codec_text);
    size_t cap = 0;
    lake__buf plain = LAKE__BUF_INIT;
    while (r.p < r.end) {
        int64_t count;
        size_t size;
        const unsigned char *packed, *mark;
        if (!get_long(&r, &count) || !get_length(&r, &size, "a block runs past the end") || !get_raw(&r, size, &packed) ||
            !get_raw(&r, 16, &mark))
            break;
        if (count < 0) {
            corrupt(&r, "a block's count is negative");
            break;
        }
        if (memcmp(mark, sync, 16)) {
            corrupt(&r, "a block does not end with the file's sync marker");
            break;
        }
        /* The records' bytes: in place, or decompressed into the arena (values point into them). */
        reader block = {packed, packed, packed + size, (size_t)(packed - (const unsigned char *)data), arena, err, LAKE_OK};
        if (codec != LAKE__AVRO_CODEC_NULL) {
            plain.len = 0;
            if (lake__avro_decompress(codec, packed, size, MAX_BLOCK, &plain)) {
                corrupt(&r, plain.failed ? "a block could not be decompressed (out of memory)" : "a block could not be decompressed");
                break;
            }
            unsigned char *copy = plain.len ? lake__arena_alloc(arena, plain.len, 1) : (unsigned char *)"";
            if (!copy) {
                oom(&r);
                break;
            }
            if (plain.len) memcpy(copy, plain.data, plain.len);
            block.start = block.p = copy, block.end = copy + plain.len;
        }
        size_t left = (size_t)(block.end - block.p), need = min_size(out->schema, 0);
        if ((uint64_t)count > (need ? left / need : MAX_EMPTY_ITEMS)) {
            corrupt(&r, "a block holds more records than its bytes can");
            break;
        }
        if (out->record_count + (size_t)count > cap) {
            size_t grown_cap = cap ? cap * 2 : 64;
            while (grown_cap < out->record_count + (size_t)count) grown_cap *= 2;
            lake__avro_value *grown = lake__arena_alloc(arena, grown_cap * sizeof *grown, _Alignof(lake__avro_value));
            if (!grown) {
                oom(&r);
                break;
            }
            if (out->record_count) memcpy(grown, out->records, out->record_count * sizeof *grown);
            out->records = grown, cap = grown_cap;
        }
        for (int64_t i = 0; i < count && !block.rc; i++)
            decode(&block, out->schema, &out->records[out->record_count++], 0);
        if (!block.rc && block.p != block.end) corrupt(&block, "a block has bytes after its records");
        if (block.rc) {
            r.rc = block.rc;
            break;
        }
    }
    lake__buf_dispose(&plain);
    return r.rc;
}
