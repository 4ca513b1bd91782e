/* SPDX-License-Identifier: MIT */
/* Avro's binary encoding of a value tree, and the container writer: a
 * header (magic, metadata map, sync marker), then blocks of records, each a
 * count, a byte size, the (compressed) records and the sync marker. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "avro/avro.h"
#include "avro/codec.h"
#include "error/error.h"
#include "ids/random.h"
#include "util/alloc.h"
#include "util/arena.h"

enum { BLOCK_BYTES = 64 << 10 }; /* records buffered before a block is written */

/* zigzag, then 7 bits a byte, low first */
static int put_long(lake__buf *out, int64_t v) {
    uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
    unsigned char b[10];
    size_t n = 0;
    do {
        b[n] = z & 0x7f;
        z >>= 7;
        if (z) b[n] |= 0x80;
        n++;
    } while (z);
    return lake__buf_put(out, b, n);
}

/* floats and doubles: their IEEE 754 bits, little-endian */
static int put_le(lake__buf *out, uint64_t bits, size_t n) {
    unsigned char b[8];
    for (size_t i = 0; i < n; i++) b[i] = (unsigned char)(bits >> (8 * i));
    return lake__buf_put(out, b, n);
}

static int put_bytes(lake__buf *out, const void *p, size_t n) {
    if (put_long(out, (int64_t)n)) return -1;
    return n ? lake__buf_put(out, p, n) : 0;
}

static const char *kind_name(lake__avro_kind k) {
    static const char *const names[] = {"null", "boolean", "int", "long", "float", "double", "bytes",
                                        "string", "record", "enum", "array", "map", "union", "fixed"};
    return names[k];
}

typedef struct path {
    const char *step;
    const struct path *up;
} path;

__attribute__((format(printf, 3, 4))) static int misfit(lake_error *err, const path *at, const char *fmt, ...) {
    char where[256] = "";
    size_t n = 0;
    const char *steps[32];
    size_t depth = 0;
    for (const path *p = at; p && depth < 32; p = p->up) steps[depth++] = p->step;
    while (depth--) n += (size_t)snprintf(where + n, n < sizeof where ? sizeof where - n : 0, "/%s", steps[depth]);
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return lake__error(err, LAKE_EINVAL, "Avro value at %s: %s", *where ? where : "/", what);
}

static int encode(const lake__avro_schema *s, const lake__avro_value *v, lake__buf *out, const path *at,
                  unsigned depth, lake_error *err) {
    if (depth > 64) return misfit(err, at, "nested deeper than %s%s", "64", "");
    if (v->kind != s->kind)
        return misfit(err, at, "a %s where the schema has %s", kind_name(v->kind), kind_name(s->kind));
    int bad = 0;
    switch (s->kind) {
    case LAKE__AVRO_NULL: break;
    case LAKE__AVRO_BOOLEAN: bad = lake__buf_putc(out, v->u.b ? 1 : 0); break;
    case LAKE__AVRO_INT:
        if (v->u.l < INT32_MIN || v->u.l > INT32_MAX) return misfit(err, at, "an int out of range%s%s", "", "");
        bad = put_long(out, v->u.l);
        break;
    case LAKE__AVRO_LONG: bad = put_long(out, v->u.l); break;
    case LAKE__AVRO_FLOAT: {
        float f = (float)v->u.d;
        uint32_t bits;
        memcpy(&bits, &f, 4);
        bad = put_le(out, bits, 4);
        break;
    }
    case LAKE__AVRO_DOUBLE: {
        uint64_t bits;
        memcpy(&bits, &v->u.d, 8);
        bad = put_le(out, bits, 8);
        break;
    }
    case LAKE__AVRO_BYTES:
    case LAKE__AVRO_STRING: bad = put_bytes(out, v->u.bytes.ptr, v->u.bytes.len); break;
    case LAKE__AVRO_FIXED:
        if (v->u.bytes.len != s->size) return misfit(err, at, "a fixed of the wrong size%s%s", "", "");
        bad = s->size ? lake__buf_put(out, v->u.bytes.ptr, s->size) : 0;
        break;
    case LAKE__AVRO_ENUM:
        if (v->branch >= s->count) return misfit(err, at, "an enum symbol out of range%s%s", "", "");
        bad = put_long(out, v->branch);
        break;
    case LAKE__AVRO_UNION:
        if (v->branch >= s->count || v->u.list.count != 1)
            return misfit(err, at, "a union without one branch of the %s%s", "schema", "");
        if (put_long(out, v->branch)) break;
        return encode(s->branches[v->branch], v->u.list.items, out, at, depth + 1, err);
    case LAKE__AVRO_RECORD:
        if (v->u.list.count != s->count) return misfit(err, at, "a record with the wrong number of %s%s", "fields", "");
        for (size_t i = 0; i < s->count; i++) {
            path step = {s->fields[i].name, at};
            int rc = encode(s->fields[i].type, &v->u.list.items[i], out, &step, depth + 1, err);
            if (rc) return rc;
        }
        break;
    case LAKE__AVRO_ARRAY:
    case LAKE__AVRO_MAP:
        if (s->kind == LAKE__AVRO_MAP && v->u.list.count && !v->u.list.keys)
            return misfit(err, at, "a map without %s%s", "keys", "");
        /* one block of every item, then the empty block that ends them */
        if (v->u.list.count && put_long(out, (int64_t)v->u.list.count)) break;
        for (size_t i = 0; i < v->u.list.count; i++) {
            if (s->kind == LAKE__AVRO_MAP &&
                put_bytes(out, v->u.list.keys[i], v->u.list.key_lens ? v->u.list.key_lens[i] : strlen(v->u.list.keys[i])))
                break;
            path step = {s->kind == LAKE__AVRO_MAP ? v->u.list.keys[i] : "item", at};
            int rc = encode(s->items, &v->u.list.items[i], out, &step, depth + 1, err);
            if (rc) return rc;
        }
        bad = lake__buf_putc(out, 0);
        break;
    }
    if (bad || out->failed) return lake__error(err, LAKE_ENOMEM, "out of memory encoding Avro");
    return LAKE_OK;
}

int lake__avro_encode(const lake__avro_schema *schema, const lake__avro_value *v, lake__buf *out, lake_error *err) {
    return encode(schema, v, out, NULL, 0, err);
}

const lake__avro_value *lake__avro_field_value(const lake__avro_schema *record, const lake__avro_value *v,
                                               const char *name) {
    if (record->kind != LAKE__AVRO_RECORD || v->kind != LAKE__AVRO_RECORD || v->u.list.count != record->count) return NULL;
    for (size_t i = 0; i < record->count; i++)
        if (!strcmp(record->fields[i].name, name)) return &v->u.list.items[i];
    return NULL;
}

/* ---- the container writer */

struct lake__avro_writer {
    lake_sink sink;
    lake_arena *arena; /* the parsed schema */
    const lake__avro_schema *schema;
    lake__avro_codec codec;
    unsigned char sync[16];
    lake__buf block, packed;
    uint64_t block_records;
    int state; /* 0 open, 1 closed, -1 failed */
};

static int emit(lake__avro_writer *w, const void *p, size_t n, lake_error *err) {
    int rc = w->sink.write(w->sink.ctx, p, n, err);
    if (rc) w->state = -1;
    return rc;
}

static const char *codec_name(lake__avro_codec c) {
    return c == LAKE__AVRO_CODEC_DEFLATE ? "deflate" : c == LAKE__AVRO_CODEC_ZSTD ? "zstandard" : "null";
}

int lake__avro_writer_open(lake__avro_writer **out, const char *schema_json, lake__avro_codec codec,
                           const char *const *metadata, size_t pairs, const lake_sink *sink, lake_error *err) {
    *out = NULL;
    lake__avro_writer *w = lake__calloc(1, sizeof *w);
    if (!w || lake_arena_new(&w->arena)) {
        lake__free(w);
        return lake__error(err, LAKE_ENOMEM, "out of memory opening an Avro writer");
    }
    w->sink = *sink;
    w->codec = codec;
    int rc = lake__avro_schema_parse(schema_json, strlen(schema_json), w->arena, &w->schema, err);
    if (!rc && lake__random_bytes(w->sync, sizeof w->sync)) rc = lake__error(err, LAKE_EIO, "no randomness for the sync marker");
    lake__buf head = LAKE__BUF_INIT;
    if (!rc) {
        lake__buf_put(&head, "Obj\x01", 4);
        put_long(&head, (int64_t)(pairs + 2));
        put_bytes(&head, "avro.schema", 11);
        put_bytes(&head, schema_json, strlen(schema_json));
        put_bytes(&head, "avro.codec", 10);
        put_bytes(&head, codec_name(codec), strlen(codec_name(codec)));
        for (size_t i = 0; i < pairs; i++) {
            put_bytes(&head, metadata[2 * i], strlen(metadata[2 * i]));
            put_bytes(&head, metadata[2 * i + 1], strlen(metadata[2 * i + 1]));
        }
        lake__buf_putc(&head, 0);
        lake__buf_put(&head, w->sync, sizeof w->sync);
        rc = head.failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : emit(w, head.data, head.len, err);
    }
    lake__buf_dispose(&head);
    if (rc) {
        lake__avro_writer_free(w);
        return rc;
    }
    *out = w;
    return LAKE_OK;
}

const lake__avro_schema *lake__avro_writer_schema(const lake__avro_writer *w) { return w->schema; }

static int flush_block(lake__avro_writer *w, lake_error *err) {
    if (!w->block_records) return LAKE_OK;
    w->packed.len = 0;
    lake__buf frame = LAKE__BUF_INIT;
    int rc = lake__avro_compress(w->codec, w->block.data, w->block.len, &w->packed) ? lake__error(err, LAKE_ENOMEM, "out of memory compressing an Avro block") : LAKE_OK;
    if (!rc) {
        put_long(&frame, (int64_t)w->block_records);
        put_long(&frame, (int64_t)w->packed.len);
        rc = frame.failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : emit(w, frame.data, frame.len, err);
    }
    if (!rc) rc = emit(w, w->packed.data, w->packed.len, err);
    if (!rc) rc = emit(w, w->sync, sizeof w->sync, err);
    lake__buf_dispose(&frame);
    w->block.len = 0;
    w->block_records = 0;
    if (rc) w->state = -1;
    return rc;
}

int lake__avro_writer_append(lake__avro_writer *w, const lake__avro_value *record, lake_error *err) {
    if (w->state) return lake__error(err, LAKE_EINVAL, "the Avro writer is %s", w->state > 0 ? "closed" : "failed");
    size_t before = w->block.len;
    int rc = lake__avro_encode(w->schema, record, &w->block, err);
    if (rc) {
        w->block.len = before; /* a value that does not fit is refused whole */
        return rc;
    }
    w->block_records++;
    return w->block.len >= BLOCK_BYTES ? flush_block(w, err) : LAKE_OK;
}

int lake__avro_writer_close(lake__avro_writer *w, lake_error *err) {
    if (w->state) return lake__error(err, LAKE_EINVAL, "the Avro writer is %s", w->state > 0 ? "closed" : "failed");
    int rc = flush_block(w, err);
    if (!rc) w->state = 1;
    return rc;
}

void lake__avro_writer_free(lake__avro_writer *w) {
    if (!w) return;
    lake__buf_dispose(&w->block);
    lake__buf_dispose(&w->packed);
    if (w->arena) lake_arena_free(w->arena);
    lake__free(w);
}
