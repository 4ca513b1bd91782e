/* SPDX-License-Identifier: MIT */
/* The Avro layers of an Iceberg snapshot (spec, "Manifests" and "Manifest
 * Lists", format version 2): schemas carry every field id, and the files
 * carry the metadata readers look for (the table schema, the partition
 * spec, the format version, the content). */
#include <string.h>

#include "avro/avro.h"
#include "error/error.h"
#include "formats/iceberg/metadata.h"
#include "parquet/layout.h"
#include "util/arena.h"

/* How a partition field's value is encoded: its Avro type. */
typedef enum part_form { FORM_INT, FORM_LONG, FORM_STRING, FORM_BYTES, FORM_FIXED, FORM_BOOLEAN } part_form;

/* The partition field's Avro type (appended to out) and its form. */
static part_form part_type(lake__buf *out, const lake_column *c) {
    lake_partition_transform t = c->partition;
    if (t == LAKE_PARTITION_BUCKET || t == LAKE_PARTITION_YEAR || t == LAKE_PARTITION_MONTH || t == LAKE_PARTITION_HOUR) {
        lake__buf_puts(out, "\"int\"");
        return FORM_INT;
    }
    if (t == LAKE_PARTITION_DAY) {
        lake__buf_puts(out, "{\"type\":\"int\",\"logicalType\":\"date\"}");
        return FORM_INT;
    }
    switch (c->type) { /* identity and truncate keep the source's type */
    case LAKE_BOOL: lake__buf_puts(out, "\"boolean\""); return FORM_BOOLEAN;
    case LAKE_INT8: case LAKE_INT16: case LAKE_INT32: lake__buf_puts(out, "\"int\""); return FORM_INT;
    case LAKE_INT64: lake__buf_puts(out, "\"long\""); return FORM_LONG;
    case LAKE_DATE: lake__buf_puts(out, "{\"type\":\"int\",\"logicalType\":\"date\"}"); return FORM_INT;
    case LAKE_TIMESTAMP:
        lake__buf_puts(out, "{\"type\":\"long\",\"logicalType\":\"timestamp-micros\",\"adjust-to-utc\":true}");
        return FORM_LONG;
    case LAKE_DECIMAL:
        lake__buf_printf(out, "{\"type\":\"fixed\",\"name\":\"decimal_%u_%u\",\"size\":%zu,\"logicalType\":\"decimal\","
                              "\"precision\":%u,\"scale\":%u}", c->precision, c->scale, (size_t)lake__decimal_bytes(c->precision),
                         c->precision, c->scale);
        return FORM_FIXED;
    case LAKE_UUID: lake__buf_puts(out, "{\"type\":\"fixed\",\"name\":\"uuid_fixed\",\"size\":16,\"logicalType\":\"uuid\"}"); return FORM_FIXED;
    case LAKE_BYTES: lake__buf_puts(out, "\"bytes\""); return FORM_BYTES;
    default: lake__buf_puts(out, "\"string\""); return FORM_STRING;
    }
}

/* key-value maps of ints are arrays of records in Iceberg's Avro */
static void int_map(lake__buf *out, const char *name, int id, int key_id, int value_id, const char *value_type) {
    lake__buf_printf(out, ",{\"name\":\"%s\",\"type\":[\"null\",{\"type\":\"array\",\"logicalType\":\"map\",\"items\":"
                          "{\"type\":\"record\",\"name\":\"k%d_v%d\",\"fields\":[{\"name\":\"key\",\"type\":\"int\","
                          "\"field-id\":%d},{\"name\":\"value\",\"type\":\"%s\",\"field-id\":%d}]}}],\"default\":null,"
                          "\"field-id\":%d}",
                     name, key_id, value_id, key_id, value_type, value_id, id);
}

enum { MAX_PARTS = 64 };

static int entry_schema(lake__buf *out, const lake_schema *s, part_form *forms, size_t *parts) {
    lake__buf_puts(out, "{\"type\":\"record\",\"name\":\"manifest_entry\",\"fields\":["
                        "{\"name\":\"status\",\"type\":\"int\",\"field-id\":0},"
                        "{\"name\":\"snapshot_id\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":1},"
                        "{\"name\":\"sequence_number\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":3},"
                        "{\"name\":\"file_sequence_number\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":4},"
                        "{\"name\":\"data_file\",\"field-id\":2,\"type\":{\"type\":\"record\",\"name\":\"r2\",\"fields\":["
                        "{\"name\":\"content\",\"type\":\"int\",\"field-id\":134},"
                        "{\"name\":\"file_path\",\"type\":\"string\",\"field-id\":100},"
                        "{\"name\":\"file_format\",\"type\":\"string\",\"field-id\":101},"
                        "{\"name\":\"partition\",\"field-id\":102,\"type\":{\"type\":\"record\",\"name\":\"r102\",\"fields\":[");
    *parts = 0;
    int32_t id = 1000;
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (!c->partition) continue;
        if (*parts == MAX_PARTS) return -1;
        if (*parts) lake__buf_putc(out, ',');
        lake__buf_puts(out, "{\"name\":");
        lake__buf_printf(out, "\"p%d\"", (int)id); /* Avro names are [A-Za-z_][A-Za-z0-9_]*: columns may not be */
        lake__buf_puts(out, ",\"type\":[\"null\",");
        forms[(*parts)++] = part_type(out, c);
        lake__buf_printf(out, "],\"default\":null,\"field-id\":%d}", (int)id++);
    }
    lake__buf_puts(out, "]}},{\"name\":\"record_count\",\"type\":\"long\",\"field-id\":103},"
                        "{\"name\":\"file_size_in_bytes\",\"type\":\"long\",\"field-id\":104}");
    int_map(out, "value_counts", 109, 119, 120, "long");
    int_map(out, "null_value_counts", 110, 121, 122, "long");
    int_map(out, "lower_bounds", 125, 126, 127, "bytes");
    int_map(out, "upper_bounds", 128, 129, 130, "bytes");
    lake__buf_puts(out, ",{\"name\":\"sort_order_id\",\"type\":[\"null\",\"int\"],\"default\":null,\"field-id\":140}]}}]}");
    return out->failed ? -1 : 0;
}

/* ---- values */

typedef struct building {
    lake_arena *arena;
    bool failed;
} building;

static lake__avro_value *vals(building *b, size_t n) {
    lake__avro_value *v = lake__arena_alloc(b->arena, (n ? n : 1) * sizeof *v, _Alignof(lake__avro_value));
    if (!v) b->failed = true;
    else memset(v, 0, (n ? n : 1) * sizeof *v);
    return v;
}

static lake__avro_value v_long(lake__avro_kind k, int64_t x) { return (lake__avro_value){.kind = k, .u.l = x}; }

static lake__avro_value v_union(building *b, uint32_t branch, lake__avro_value inner) {
    lake__avro_value *one = vals(b, 1);
    if (one) *one = inner;
    return (lake__avro_value){.kind = LAKE__AVRO_UNION, .branch = branch, .u.list = {one, NULL, NULL, one ? 1 : 0}};
}

static lake__avro_value v_null(building *b) { return v_union(b, 0, (lake__avro_value){.kind = LAKE__AVRO_NULL}); }

static lake__avro_value v_text(const char *s) {
    return (lake__avro_value){.kind = LAKE__AVRO_STRING, .u.bytes = {(const unsigned char *)s, strlen(s)}};
}

static lake__avro_value part_value(building *b, const lake__iceberg_part *p, part_form form, size_t fixed) {
    if (p->kind == LAKE__ICEBERG_PART_NULL) return v_null(b);
    switch (form) {
    case FORM_INT: return v_union(b, 1, v_long(LAKE__AVRO_INT, p->l));
    case FORM_LONG: return v_union(b, 1, v_long(LAKE__AVRO_LONG, p->l));
    case FORM_BOOLEAN: return v_union(b, 1, (lake__avro_value){.kind = LAKE__AVRO_BOOLEAN, .u.b = p->l != 0});
    case FORM_STRING: case FORM_BYTES:
        return v_union(b, 1, (lake__avro_value){.kind = form == FORM_STRING ? LAKE__AVRO_STRING : LAKE__AVRO_BYTES,
                                                .u.bytes = {p->bytes, p->len}});
    case FORM_FIXED: {
        unsigned char *bytes = lake__arena_alloc(b->arena, 16, 1);
        if (!bytes) return b->failed = true, v_null(b);
        if (p->kind == LAKE__ICEBERG_PART_DECIMAL) /* big-endian two's complement, sign-extended to the size */
            for (size_t i = 0; i < fixed; i++) bytes[fixed - 1 - i] = (unsigned char)((unsigned __int128)p->dec >> (8 * i));
        else
            memcpy(bytes, p->bytes, 16);
        return v_union(b, 1, (lake__avro_value){.kind = LAKE__AVRO_FIXED, .u.bytes = {bytes, fixed}});
    }
    }
    return v_null(b);
}

/* An int-keyed map as Iceberg's Avro has it: an array of {key, value} records. */
static lake__avro_value pairs(building *b, size_t n, const int32_t *keys, const int64_t *longs,
                              const unsigned char *const *bytes, const size_t *lens) {
    lake__avro_value *items = vals(b, n);
    size_t used = 0;
    for (size_t i = 0; items && i < n; i++) {
        if (bytes && !bytes[i]) continue; /* no bound for this column */
        lake__avro_value *kv = vals(b, 2);
        if (!kv) break;
        kv[0] = v_long(LAKE__AVRO_INT, keys[i]);
        kv[1] = bytes ? (lake__avro_value){.kind = LAKE__AVRO_BYTES, .u.bytes = {bytes[i], lens[i]}}
                      : v_long(LAKE__AVRO_LONG, longs[i]);
        items[used++] = (lake__avro_value){.kind = LAKE__AVRO_RECORD, .u.list = {kv, NULL, NULL, 2}};
    }
    return v_union(b, 1, (lake__avro_value){.kind = LAKE__AVRO_ARRAY, .u.list = {items, NULL, NULL, used}});
}

static int finish(lake__buf *schema, lake__avro_writer *w, lake_arena *arena, int rc) {
    lake__avro_writer_free(w);
    if (arena) lake_arena_free(arena);
    lake__buf_dispose(schema);
    return rc;
}

int lake__iceberg_manifest_write(const lake_schema *s, int64_t snapshot_id, const lake__iceberg_data_file *files,
                                 size_t count, const lake_sink *sink, lake_error *err) {
    lake__buf schema = LAKE__BUF_INIT, table = LAKE__BUF_INIT, spec = LAKE__BUF_INIT;
    part_form forms[MAX_PARTS];
    size_t fixed[MAX_PARTS], parts = 0;
    if (entry_schema(&schema, s, forms, &parts)) {
        lake__buf_dispose(&schema);
        return lake__error(err, parts == MAX_PARTS ? LAKE_ENOTSUP : LAKE_ENOMEM,
                           parts == MAX_PARTS ? "more than 64 partition columns" : "out of memory");
    }
    for (size_t i = 0, k = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (c->partition) fixed[k++] = c->type == LAKE_UUID ? 16 : (size_t)lake__decimal_bytes(c->precision);
    }
    /* The file's metadata: the table schema, and the spec's fields as a JSON array. */
    int rc = lake__iceberg_schema_json(&table, s, 0) ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
    if (!rc) rc = lake__iceberg_spec_json(&spec, s, err);
    char *fields = NULL;
    if (!rc) {
        fields = strstr(spec.data, "\"fields\":") + 9;
        spec.data[spec.len - 1] = 0; /* the array alone, without the closing brace */
    }
    const char *meta[] = {"schema", table.data, "schema-id", "0", "partition-spec", fields, "partition-spec-id", "0",
                          "format-version", "2", "content", "data"};
    lake__avro_writer *w = NULL;
    lake_arena *arena = NULL;
    if (!rc) rc = lake__avro_writer_open(&w, schema.data, LAKE__AVRO_CODEC_DEFLATE, meta, 6, sink, err);
    lake__buf_dispose(&table);
    lake__buf_dispose(&spec);
    if (rc) return finish(&schema, w, arena, rc);
    if (lake_arena_new(&arena)) return finish(&schema, w, NULL, lake__error(err, LAKE_ENOMEM, "out of memory"));
    for (size_t f = 0; !rc && f < count; f++) {
        const lake__iceberg_data_file *d = &files[f];
        building b = {arena, false};
        lake_arena_reset(arena);
        lake__avro_value *part = vals(&b, parts), *df = vals(&b, 11), *entry = vals(&b, 5);
        if (!part || !df || !entry) return finish(&schema, w, arena, lake__error(err, LAKE_ENOMEM, "out of memory"));
        for (size_t k = 0; k < parts; k++) part[k] = part_value(&b, &d->partition[k], forms[k], fixed[k]);
        df[0] = v_long(LAKE__AVRO_INT, 0); /* data */
        df[1] = v_text(d->path);
        df[2] = v_text("PARQUET");
        df[3] = (lake__avro_value){.kind = LAKE__AVRO_RECORD, .u.list = {part, NULL, NULL, parts}};
        df[4] = v_long(LAKE__AVRO_LONG, d->records);
        df[5] = v_long(LAKE__AVRO_LONG, d->size);
        df[6] = pairs(&b, d->column_count, d->field_ids, d->value_counts, NULL, NULL);
        df[7] = pairs(&b, d->column_count, d->field_ids, d->null_counts, NULL, NULL);
        df[8] = pairs(&b, d->column_count, d->field_ids, NULL, d->lower, d->lower_lens);
        df[9] = pairs(&b, d->column_count, d->field_ids, NULL, d->upper, d->upper_lens);
        df[10] = v_null(&b);
        entry[0] = v_long(LAKE__AVRO_INT, d->existing ? 0 : 1);
        entry[1] = v_union(&b, 1, v_long(LAKE__AVRO_LONG, d->existing ? d->snapshot_id : snapshot_id));
        /* an added file's sequence numbers are inherited from the manifest list */
        entry[2] = d->existing ? v_union(&b, 1, v_long(LAKE__AVRO_LONG, d->sequence_number)) : v_null(&b);
        entry[3] = d->existing ? v_union(&b, 1, v_long(LAKE__AVRO_LONG, d->file_sequence_number)) : v_null(&b);
        entry[4] = (lake__avro_value){.kind = LAKE__AVRO_RECORD, .u.list = {df, NULL, NULL, 11}};
        if (b.failed) return finish(&schema, w, arena, lake__error(err, LAKE_ENOMEM, "out of memory"));
        lake__avro_value record = {.kind = LAKE__AVRO_RECORD, .u.list = {entry, NULL, NULL, 5}};
        rc = lake__avro_writer_append(w, &record, err);
    }
    if (!rc) rc = lake__avro_writer_close(w, err);
    return finish(&schema, w, arena, rc);
}

/* A partition value in its single-value form (spec, appendix D), its Avro
 * form telling the width of an int; returns the length (0 for NULL). */
static size_t part_single_value(const lake__iceberg_part *p, part_form form, unsigned char out[16], const unsigned char **data) {
    *data = out;
    switch (p->kind) {
    case LAKE__ICEBERG_PART_NULL: return 0;
    case LAKE__ICEBERG_PART_BOOL: out[0] = p->l != 0; return 1;
    case LAKE__ICEBERG_PART_LONG: return lake__iceberg_le(out, (uint64_t)p->l, form == FORM_INT ? 4 : 8);
    case LAKE__ICEBERG_PART_DECIMAL: return lake__iceberg_decimal_bytes(p->dec, out);
    case LAKE__ICEBERG_PART_BYTES: *data = p->bytes; return p->len;
    }
    return 0;
}

static int part_compare(const lake__iceberg_part *a, const lake__iceberg_part *b) {
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1; /* one field's values share a kind; never mixed */
    switch (a->kind) {
    case LAKE__ICEBERG_PART_DECIMAL: return a->dec < b->dec ? -1 : a->dec > b->dec;
    case LAKE__ICEBERG_PART_BYTES: {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = n ? memcmp(a->bytes, b->bytes, n) : 0;
        return c ? c : a->len < b->len ? -1 : a->len > b->len;
    }
    default: return a->l < b->l ? -1 : a->l > b->l;
    }
}

static const unsigned char *arena_copy(lake_arena *arena, const lake__iceberg_part *p, part_form form, size_t *len) {
    unsigned char buf[16];
    const unsigned char *data;
    *len = part_single_value(p, form, buf, &data);
    unsigned char *copy = lake__arena_alloc(arena, *len ? *len : 1, 1);
    if (copy && *len) memcpy(copy, data, *len);
    return copy;
}

int lake__iceberg_partition_summaries(const lake_schema *s, const lake__iceberg_data_file *files, size_t count,
                                      lake_arena *arena, lake__iceberg_part_summary **out, size_t *parts) {
    *out = NULL, *parts = 0;
    lake__buf scratch = LAKE__BUF_INIT;
    part_form forms[MAX_PARTS];
    size_t n = 0;
    for (size_t i = 0; i < lake_schema_column_count(s) && n < MAX_PARTS; i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (c->partition) forms[n++] = part_type(&scratch, c);
    }
    lake__buf_dispose(&scratch);
    if (!n) return 0;
    lake__iceberg_part_summary *sums = lake__arena_alloc(arena, n * sizeof *sums, _Alignof(lake__iceberg_part_summary));
    if (!sums) return -1;
    for (size_t k = 0; k < n; k++) {
        const lake__iceberg_part *lo = NULL, *hi = NULL;
        bool nulls = false;
        for (size_t f = 0; f < count; f++) {
            const lake__iceberg_part *p = &files[f].partition[k];
            if (p->kind == LAKE__ICEBERG_PART_NULL) nulls = true;
            else {
                if (!lo || part_compare(p, lo) < 0) lo = p;
                if (!hi || part_compare(p, hi) > 0) hi = p;
            }
        }
        sums[k] = (lake__iceberg_part_summary){nulls, -1, NULL, NULL, 0, 0};
        if (lo && (!(sums[k].lower = arena_copy(arena, lo, forms[k], &sums[k].lower_len)) ||
                   !(sums[k].upper = arena_copy(arena, hi, forms[k], &sums[k].upper_len))))
            return -1;
    }
    *out = sums, *parts = n;
    return 0;
}

static const char manifest_file_schema[] =
    "{\"type\":\"record\",\"name\":\"manifest_file\",\"fields\":["
    "{\"name\":\"manifest_path\",\"type\":\"string\",\"field-id\":500},"
    "{\"name\":\"manifest_length\",\"type\":\"long\",\"field-id\":501},"
    "{\"name\":\"partition_spec_id\",\"type\":\"int\",\"field-id\":502},"
    "{\"name\":\"content\",\"type\":\"int\",\"field-id\":517},"
    "{\"name\":\"sequence_number\",\"type\":\"long\",\"field-id\":515},"
    "{\"name\":\"min_sequence_number\",\"type\":\"long\",\"field-id\":516},"
    "{\"name\":\"added_snapshot_id\",\"type\":\"long\",\"field-id\":503},"
    "{\"name\":\"added_files_count\",\"type\":\"int\",\"field-id\":504},"
    "{\"name\":\"existing_files_count\",\"type\":\"int\",\"field-id\":505},"
    "{\"name\":\"deleted_files_count\",\"type\":\"int\",\"field-id\":506},"
    "{\"name\":\"added_rows_count\",\"type\":\"long\",\"field-id\":512},"
    "{\"name\":\"existing_rows_count\",\"type\":\"long\",\"field-id\":513},"
    "{\"name\":\"deleted_rows_count\",\"type\":\"long\",\"field-id\":514},"
    "{\"name\":\"partitions\",\"type\":[\"null\",{\"type\":\"array\",\"element-id\":508,\"items\":{\"type\":\"record\","
    "\"name\":\"r508\",\"fields\":[{\"name\":\"contains_null\",\"type\":\"boolean\",\"field-id\":509},"
    "{\"name\":\"contains_nan\",\"type\":[\"null\",\"boolean\"],\"default\":null,\"field-id\":518},"
    "{\"name\":\"lower_bound\",\"type\":[\"null\",\"bytes\"],\"default\":null,\"field-id\":510},"
    "{\"name\":\"upper_bound\",\"type\":[\"null\",\"bytes\"],\"default\":null,\"field-id\":511}]}}],"
    "\"default\":null,\"field-id\":507},"
    "{\"name\":\"key_metadata\",\"type\":[\"null\",\"bytes\"],\"default\":null,\"field-id\":519}]}";

static lake__avro_value optional_bytes(building *b, const unsigned char *p, size_t len) {
    return p ? v_union(b, 1, (lake__avro_value){.kind = LAKE__AVRO_BYTES, .u.bytes = {p, len}}) : v_null(b);
}

/* The "partitions" of a manifest list entry: a field summary per partition field. */
static lake__avro_value summaries(building *b, const lake__iceberg_part_summary *s, size_t n) {
    lake__avro_value *items = vals(b, n);
    for (size_t k = 0; items && k < n; k++) {
        lake__avro_value *f = vals(b, 4);
        if (!f) break;
        f[0] = (lake__avro_value){.kind = LAKE__AVRO_BOOLEAN, .u.b = s[k].contains_null};
        f[1] = s[k].contains_nan < 0 ? v_null(b)
                                     : v_union(b, 1, (lake__avro_value){.kind = LAKE__AVRO_BOOLEAN, .u.b = s[k].contains_nan > 0});
        f[2] = optional_bytes(b, s[k].lower, s[k].lower_len);
        f[3] = optional_bytes(b, s[k].upper, s[k].upper_len);
        items[k] = (lake__avro_value){.kind = LAKE__AVRO_RECORD, .u.list = {f, NULL, NULL, 4}};
    }
    return v_union(b, 1, (lake__avro_value){.kind = LAKE__AVRO_ARRAY, .u.list = {items, NULL, NULL, items ? n : 0}});
}

int lake__iceberg_manifest_list_write(int64_t snapshot_id, int64_t parent_id, int64_t sequence_number,
                                      const lake__iceberg_manifest *manifests, size_t count, const lake_sink *sink,
                                      lake_error *err) {
    char snap[24], parent[24], seq[24];
    snprintf(snap, sizeof snap, "%lld", (long long)snapshot_id);
    snprintf(parent, sizeof parent, "%lld", (long long)parent_id);
    snprintf(seq, sizeof seq, "%lld", (long long)sequence_number);
    const char *meta[] = {"snapshot-id", snap, "parent-snapshot-id", parent_id >= 0 ? parent : "null",
                          "sequence-number", seq, "format-version", "2"};
    lake__avro_writer *w;
    int rc = lake__avro_writer_open(&w, manifest_file_schema, LAKE__AVRO_CODEC_DEFLATE, meta, 4, sink, err);
    if (rc) return rc;
    lake_arena *arena = NULL;
    if (lake_arena_new(&arena)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < count; i++) {
        const lake__iceberg_manifest *m = &manifests[i];
        building b = {arena, false};
        lake_arena_reset(arena);
        lake__avro_value *f = vals(&b, 15);
        if (!f) {
            rc = lake__error(err, LAKE_ENOMEM, "out of memory");
            break;
        }
        f[0] = v_text(m->path);
        f[1] = v_long(LAKE__AVRO_LONG, m->length);
        f[2] = v_long(LAKE__AVRO_INT, m->spec_id);
        f[3] = v_long(LAKE__AVRO_INT, m->content);
        f[4] = v_long(LAKE__AVRO_LONG, m->sequence_number);
        f[5] = v_long(LAKE__AVRO_LONG, m->min_sequence_number);
        f[6] = v_long(LAKE__AVRO_LONG, m->added_snapshot_id);
        f[7] = v_long(LAKE__AVRO_INT, m->added_files);
        f[8] = v_long(LAKE__AVRO_INT, m->existing_files);
        f[9] = v_long(LAKE__AVRO_INT, m->deleted_files);
        f[10] = v_long(LAKE__AVRO_LONG, m->added_rows);
        f[11] = v_long(LAKE__AVRO_LONG, m->existing_rows);
        f[12] = v_long(LAKE__AVRO_LONG, m->deleted_rows);
        f[13] = m->partitions ? summaries(&b, m->partitions, m->partition_count) : v_null(&b);
        f[14] = v_null(&b);
        if (b.failed) {
            rc = lake__error(err, LAKE_ENOMEM, "out of memory");
            break;
        }
        lake__avro_value record = {.kind = LAKE__AVRO_RECORD, .u.list = {f, NULL, NULL, 15}};
        rc = lake__avro_writer_append(w, &record, err);
    }
    if (!rc) rc = lake__avro_writer_close(w, err);
    lake__avro_writer_free(w);
    if (arena) lake_arena_free(arena);
    return rc;
}

/* A field's value by Iceberg field id (names differ between writers' schemas). */
static const lake__avro_value *by_id(const lake__avro_schema *record, const lake__avro_value *v, int32_t id) {
    for (size_t i = 0; i < record->count && i < v->u.list.count; i++)
        if (record->fields[i].field_id == id) {
            const lake__avro_value *x = &v->u.list.items[i];
            if (x->kind == LAKE__AVRO_UNION) x = x->u.list.items; /* optional fields: the value inside */
            return x;
        }
    return NULL;
}

static bool long_of(const lake__avro_value *v, int64_t *out) {
    if (!v || (v->kind != LAKE__AVRO_LONG && v->kind != LAKE__AVRO_INT)) return false;
    *out = v->u.l;
    return true;
}

/* An optional field's schema inside a union: its non-null branch. */
static const lake__avro_schema *non_null(const lake__avro_schema *t) {
    if (t && t->kind == LAKE__AVRO_UNION)
        for (size_t i = 0; i < t->count; i++)
            if (t->branches[i]->kind != LAKE__AVRO_NULL) return t->branches[i];
    return t;
}

static const lake__avro_schema *field_type(const lake__avro_schema *record, int32_t id) {
    for (size_t i = 0; record && i < record->count; i++)
        if (record->fields[i].field_id == id) return record->fields[i].type;
    return NULL;
}

/* An entry's "partitions" (v, NULL or null when none): kept in m. Non-zero
 * when malformed or out of memory. */
static int summaries_read(const lake__avro_schema *entry, const lake__avro_value *v, lake_arena *arena,
                          lake__iceberg_manifest *m) {
    if (!v || v->kind == LAKE__AVRO_NULL) return 0;
    const lake__avro_schema *array = non_null(field_type(entry, 507)), *item = array ? array->items : NULL;
    if (v->kind != LAKE__AVRO_ARRAY || !item || item->kind != LAKE__AVRO_RECORD) return -1;
    size_t n = v->u.list.count;
    lake__iceberg_part_summary *s = lake__arena_alloc(arena, (n ? n : 1) * sizeof *s, _Alignof(lake__iceberg_part_summary));
    if (!s) return -1;
    for (size_t k = 0; k < n; k++) {
        const lake__avro_value *r = &v->u.list.items[k], *nulls = by_id(item, r, 509), *nans = by_id(item, r, 518);
        const lake__avro_value *lower = by_id(item, r, 510), *upper = by_id(item, r, 511);
        if (r->kind != LAKE__AVRO_RECORD || !nulls || nulls->kind != LAKE__AVRO_BOOLEAN) return -1;
        s[k] = (lake__iceberg_part_summary){nulls->u.b, nans && nans->kind == LAKE__AVRO_BOOLEAN ? nans->u.b : -1,
                                            NULL, NULL, 0, 0};
        if (lower && lower->kind == LAKE__AVRO_BYTES) s[k].lower = lower->u.bytes.ptr, s[k].lower_len = lower->u.bytes.len;
        if (upper && upper->kind == LAKE__AVRO_BYTES) s[k].upper = upper->u.bytes.ptr, s[k].upper_len = upper->u.bytes.len;
    }
    m->partitions = s, m->partition_count = n;
    return 0;
}

int lake__iceberg_manifest_list_read(const void *data, size_t len, lake_arena *arena, lake__iceberg_manifest **out,
                                     size_t *count, lake_error *err) {
    *out = NULL, *count = 0;
    lake__avro_file f;
    int rc = lake__avro_read(data, len, arena, &f, err);
    if (rc) return rc;
    if (f.schema->kind != LAKE__AVRO_RECORD)
        return lake__error(err, LAKE_EIO, "an Iceberg manifest list whose records are not records");
    lake__iceberg_manifest *m = lake__arena_alloc(arena, (f.record_count ? f.record_count : 1) * sizeof *m,
                                                  _Alignof(lake__iceberg_manifest));
    if (!m) return lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; i < f.record_count; i++) {
        const lake__avro_value *r = &f.records[i], *path = by_id(f.schema, r, 500);
        int64_t spec = 0, content = 0, added = 0, existing = 0, deleted = 0;
        memset(&m[i], 0, sizeof m[i]);
        if (!path || path->kind != LAKE__AVRO_STRING || !long_of(by_id(f.schema, r, 501), &m[i].length) ||
            !long_of(by_id(f.schema, r, 502), &spec) || !long_of(by_id(f.schema, r, 503), &m[i].added_snapshot_id))
            return lake__error(err, LAKE_EIO, "an Iceberg manifest list entry lacks its path, length, spec or snapshot");
        if (!(m[i].path = lake__arena_strndup(arena, (const char *)path->u.bytes.ptr, path->u.bytes.len)))
            return lake__error(err, LAKE_ENOMEM, "out of memory");
        long_of(by_id(f.schema, r, 517), &content);
        long_of(by_id(f.schema, r, 515), &m[i].sequence_number);
        long_of(by_id(f.schema, r, 516), &m[i].min_sequence_number);
        long_of(by_id(f.schema, r, 504), &added);
        long_of(by_id(f.schema, r, 505), &existing);
        long_of(by_id(f.schema, r, 506), &deleted);
        long_of(by_id(f.schema, r, 512), &m[i].added_rows);
        long_of(by_id(f.schema, r, 513), &m[i].existing_rows);
        long_of(by_id(f.schema, r, 514), &m[i].deleted_rows);
        if (summaries_read(f.schema, by_id(f.schema, r, 507), arena, &m[i]))
            return lake__error(err, LAKE_EIO, "an Iceberg manifest list entry has malformed partition summaries");
        m[i].spec_id = (int32_t)spec, m[i].content = (int32_t)content;
        m[i].added_files = (int32_t)added, m[i].existing_files = (int32_t)existing, m[i].deleted_files = (int32_t)deleted;
    }
    *out = m, *count = f.record_count;
    return LAKE_OK;
}

/* ---- reading manifests */

/* An int-keyed map (an array of {key, value} records) into arrays. */
static bool int_map_read(const lake__avro_value *v, lake_arena *arena, size_t *n, int32_t **keys, int64_t **longs,
                         const unsigned char ***bytes, size_t **lens) {
    *n = 0;
    if (!v || v->kind == LAKE__AVRO_NULL) return true;
    if (v->kind != LAKE__AVRO_ARRAY) return false;
    size_t count = v->u.list.count ? v->u.list.count : 1;
    *keys = lake__arena_alloc(arena, count * sizeof **keys, _Alignof(int32_t));
    if (longs) *longs = lake__arena_alloc(arena, count * sizeof **longs, _Alignof(int64_t));
    if (bytes) {
        *bytes = lake__arena_alloc(arena, count * sizeof **bytes, _Alignof(void *));
        *lens = lake__arena_alloc(arena, count * sizeof **lens, _Alignof(size_t));
    }
    if (!*keys || (longs && !*longs) || (bytes && (!*bytes || !*lens))) return false;
    for (size_t i = 0; i < v->u.list.count; i++) {
        const lake__avro_value *kv = &v->u.list.items[i];
        if (kv->kind != LAKE__AVRO_RECORD || kv->u.list.count < 2 || kv->u.list.items[0].kind != LAKE__AVRO_INT)
            return false;
        const lake__avro_value *value = &kv->u.list.items[1];
        (*keys)[i] = (int32_t)kv->u.list.items[0].u.l;
        if (longs) {
            if (value->kind != LAKE__AVRO_LONG && value->kind != LAKE__AVRO_INT) return false;
            (*longs)[i] = value->u.l;
        } else {
            if (value->kind != LAKE__AVRO_BYTES) return false;
            (*bytes)[i] = value->u.bytes.ptr, (*lens)[i] = value->u.bytes.len;
        }
    }
    *n = v->u.list.count;
    return true;
}

/* A partition value as the manifest's Avro holds it. */
static bool part_read(const lake__avro_value *v, const lake__avro_schema *type, lake__iceberg_part *out) {
    memset(out, 0, sizeof *out);
    if (!v || v->kind == LAKE__AVRO_NULL) return true;
    switch (v->kind) {
    case LAKE__AVRO_INT: case LAKE__AVRO_LONG: out->kind = LAKE__ICEBERG_PART_LONG, out->l = v->u.l; return true;
    case LAKE__AVRO_BOOLEAN: out->kind = LAKE__ICEBERG_PART_BOOL, out->l = v->u.b; return true;
    case LAKE__AVRO_STRING: case LAKE__AVRO_BYTES:
        out->kind = LAKE__ICEBERG_PART_BYTES, out->bytes = v->u.bytes.ptr, out->len = v->u.bytes.len;
        return true;
    case LAKE__AVRO_FIXED:
        if (type && type->logical && !strcmp(type->logical, "decimal")) {
            if (!v->u.bytes.len || v->u.bytes.len > 16) return false;
            lake__i128 x = (v->u.bytes.ptr[0] & 0x80) ? -1 : 0; /* sign-extended big-endian */
            for (size_t i = 0; i < v->u.bytes.len; i++) x = (lake__i128)(((unsigned __int128)x << 8) | v->u.bytes.ptr[i]);
            out->kind = LAKE__ICEBERG_PART_DECIMAL, out->dec = x;
            return true;
        }
        if (v->u.bytes.len != 16) return false;
        memcpy(out->uuid, v->u.bytes.ptr, 16);
        out->kind = LAKE__ICEBERG_PART_BYTES, out->bytes = out->uuid, out->len = 16;
        return true;
    default: return false;
    }
}

/* The schema of a record's field by Iceberg field id. */
static const lake__avro_schema *type_by_id(const lake__avro_schema *record, int32_t id) {
    for (size_t i = 0; i < record->count; i++)
        if (record->fields[i].field_id == id) return record->fields[i].type;
    return NULL;
}

static const lake__avro_schema *record_type(const lake__avro_schema *t) {
    if (t && t->kind == LAKE__AVRO_UNION)
        for (size_t i = 0; i < t->count; i++)
            if (t->branches[i]->kind == LAKE__AVRO_RECORD) return t->branches[i];
    return t && t->kind == LAKE__AVRO_RECORD ? t : NULL;
}

int lake__iceberg_manifest_read(const void *data, size_t len, const lake__iceberg_manifest *m, lake_arena *arena,
                                lake__iceberg_data_file **out, size_t *count, lake_error *err) {
    *out = NULL, *count = 0;
    lake__avro_file f;
    int rc = lake__avro_read(data, len, arena, &f, err);
    if (rc) return rc;
    const lake__avro_schema *df_type = f.schema->kind == LAKE__AVRO_RECORD ? record_type(type_by_id(f.schema, 2)) : NULL;
    const lake__avro_schema *part_type_ = df_type ? record_type(type_by_id(df_type, 102)) : NULL;
    if (!df_type || !part_type_) return lake__error(err, LAKE_EIO, "Iceberg manifest %.300s: not a manifest's entries", m->path);
    lake__iceberg_data_file *files = lake__arena_alloc(arena, (f.record_count ? f.record_count : 1) * sizeof *files,
                                                       _Alignof(lake__iceberg_data_file));
    if (!files) return lake__error(err, LAKE_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < f.record_count; i++) {
        const lake__avro_value *e = &f.records[i], *df = by_id(f.schema, e, 2);
        int64_t status = -1, snapshot = m->added_snapshot_id, seq = m->sequence_number, file_seq = m->sequence_number;
        if (!long_of(by_id(f.schema, e, 0), &status) || !df || df->kind != LAKE__AVRO_RECORD)
            return lake__error(err, LAKE_EIO, "Iceberg manifest %.300s: entry %zu lacks its status or file", m->path, i);
        if (status == 2) continue; /* deleted */
        long_of(by_id(f.schema, e, 1), &snapshot);
        long_of(by_id(f.schema, e, 3), &seq);
        if (!long_of(by_id(f.schema, e, 4), &file_seq)) file_seq = seq;
        lake__iceberg_data_file *d = &files[n];
        memset(d, 0, sizeof *d);
        const lake__avro_value *path = by_id(df_type, df, 100), *part = by_id(df_type, df, 102);
        if (!path || path->kind != LAKE__AVRO_STRING || !long_of(by_id(df_type, df, 103), &d->records) ||
            !long_of(by_id(df_type, df, 104), &d->size) || !part || part->kind != LAKE__AVRO_RECORD)
            return lake__error(err, LAKE_EIO, "Iceberg manifest %.300s: entry %zu lacks its path, counts or partition",
                               m->path, i);
        if (!(d->path = lake__arena_strndup(arena, (const char *)path->u.bytes.ptr, path->u.bytes.len)))
            return lake__error(err, LAKE_ENOMEM, "out of memory");
        lake__iceberg_part *parts = lake__arena_alloc(arena, (part->u.list.count + 1) * sizeof *parts,
                                                      _Alignof(lake__iceberg_part));
        if (!parts) return lake__error(err, LAKE_ENOMEM, "out of memory");
        memset(parts, 0, (part->u.list.count + 1) * sizeof *parts);
        for (size_t k = 0; k < part->u.list.count && k < part_type_->count; k++) {
            const lake__avro_value *pv = &part->u.list.items[k];
            const lake__avro_schema *type = part_type_->fields[k].type;
            if (pv->kind == LAKE__AVRO_UNION) { /* an optional value: the branch's type and value */
                type = type->kind == LAKE__AVRO_UNION && pv->branch < type->count ? type->branches[pv->branch] : NULL;
                pv = pv->u.list.items;
            }
            if (!part_read(pv, type, &parts[k]))
                return lake__error(err, LAKE_EIO, "Iceberg manifest %.300s: entry %zu has a partition value of no "
                                                  "known form", m->path, i);
        }
        d->partition = parts;
        size_t nv = 0, nn = 0, nl = 0, nu = 0;
        int32_t *kv, *kn, *kl, *ku;
        int64_t *nulls;
        bool ok = int_map_read(by_id(df_type, df, 109), arena, &nv, &kv, (int64_t **)&d->value_counts, NULL, NULL) &&
                  int_map_read(by_id(df_type, df, 110), arena, &nn, &kn, &nulls, NULL, NULL) &&
                  int_map_read(by_id(df_type, df, 125), arena, &nl, &kl, NULL, (const unsigned char ***)&d->lower,
                               (size_t **)&d->lower_lens) &&
                  int_map_read(by_id(df_type, df, 128), arena, &nu, &ku, NULL, (const unsigned char ***)&d->upper,
                               (size_t **)&d->upper_lens);
        if (!ok) return lake__error(err, LAKE_EIO, "Iceberg manifest %.300s: entry %zu has malformed statistics", m->path, i);
        /* lakeorm's writer wants the four maps keyed alike: keep the value counts' keys, the others matched to them */
        d->column_count = nv;
        d->field_ids = kv;
        int64_t *null_counts = lake__arena_alloc(arena, (nv + 1) * sizeof *null_counts, _Alignof(int64_t));
        const unsigned char **lower = lake__arena_alloc(arena, (nv + 1) * sizeof *lower, _Alignof(void *));
        const unsigned char **upper = lake__arena_alloc(arena, (nv + 1) * sizeof *upper, _Alignof(void *));
        size_t *lower_lens = lake__arena_alloc(arena, (nv + 1) * sizeof *lower_lens, _Alignof(size_t));
        size_t *upper_lens = lake__arena_alloc(arena, (nv + 1) * sizeof *upper_lens, _Alignof(size_t));
        if (!null_counts || !lower || !upper || !lower_lens || !upper_lens) return lake__error(err, LAKE_ENOMEM, "out of memory");
        for (size_t c = 0; c < nv; c++) {
            null_counts[c] = 0, lower[c] = upper[c] = NULL, lower_lens[c] = upper_lens[c] = 0;
            for (size_t k = 0; k < nn; k++) if (kn[k] == kv[c]) null_counts[c] = nulls[k];
            for (size_t k = 0; k < nl; k++) if (kl[k] == kv[c]) lower[c] = d->lower[k], lower_lens[c] = d->lower_lens[k];
            for (size_t k = 0; k < nu; k++) if (ku[k] == kv[c]) upper[c] = d->upper[k], upper_lens[c] = d->upper_lens[k];
        }
        d->null_counts = null_counts, d->lower = lower, d->upper = upper, d->lower_lens = lower_lens, d->upper_lens = upper_lens;
        int64_t content = 0;
        long_of(by_id(df_type, df, 134), &content);
        if (content != 0 || m->content != 0)
            return lake__error(err, LAKE_ENOTSUP, "Iceberg manifest %.300s lists delete files: lakeorm reads, merges "
                                                  "into and checks keys of tables without row-level deletes "
                                                  "(copy-on-write) only; appends leave the deletes as they are",
                               m->path);
        d->existing = true;
        d->snapshot_id = snapshot, d->sequence_number = seq, d->file_sequence_number = file_seq;
        n++;
    }
    *out = files, *count = n;
    return LAKE_OK;
}
