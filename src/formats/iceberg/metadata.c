/* SPDX-License-Identifier: MIT */
/* Iceberg's JSON: a model's schema and partition spec, and the table
 * metadata file (spec, "Table Metadata" and appendix C, "JSON
 * serialization"). */
#include <string.h>

#include "error/error.h"
#include "formats/iceberg/metadata.h"
#include "json/write.h"

static const char *const primitive[] = {
    [LAKE_BOOL] = "boolean", [LAKE_INT8] = "int",       [LAKE_INT16] = "int",        [LAKE_INT32] = "int",
    [LAKE_INT64] = "long",   [LAKE_FLOAT32] = "float",  [LAKE_FLOAT64] = "double",   [LAKE_STRING] = "string",
    [LAKE_BYTES] = "binary", [LAKE_TIMESTAMP] = "timestamptz", [LAKE_DATE] = "date", [LAKE_UUID] = "uuid",
    [LAKE_SORTABLE_ID] = "string", [LAKE_JSON] = "string",
};

static void string(lake__buf *out, const char *s) { lake__json_write_string(out, s, strlen(s)); }

static void type_json(lake__buf *out, const lake_column *c);

void lake__iceberg_field_json(lake__buf *out, const lake_column *c) {
    lake__buf_printf(out, "{\"id\":%d,\"name\":", (int)c->field_id);
    string(out, c->name);
    lake__buf_printf(out, ",\"required\":%s,\"type\":", c->nullable ? "false" : "true");
    type_json(out, c);
    lake__buf_putc(out, '}');
}

static void type_json(lake__buf *out, const lake_column *c) {
    switch (c->type) {
    case LAKE_STRUCT:
        lake__buf_puts(out, "{\"type\":\"struct\",\"fields\":[");
        for (size_t i = 0; i < lake_schema_column_count(c->child); i++) {
            if (i) lake__buf_putc(out, ',');
            lake__iceberg_field_json(out, lake_schema_column(c->child, i));
        }
        lake__buf_puts(out, "]}");
        return;
    case LAKE_LIST: {
        const lake_column *e = lake_schema_column(c->child, 0);
        lake__buf_printf(out, "{\"type\":\"list\",\"element-id\":%d,\"element-required\":%s,\"element\":", (int)e->field_id,
                         e->nullable ? "false" : "true");
        type_json(out, e);
        lake__buf_putc(out, '}');
        return;
    }
    case LAKE_MAP: {
        const lake_column *k = lake_schema_column(c->child, 0), *v = lake_schema_column(c->child, 1);
        lake__buf_printf(out, "{\"type\":\"map\",\"key-id\":%d,\"key\":\"string\",\"value-id\":%d,\"value-required\":%s,"
                              "\"value\":", (int)k->field_id, (int)v->field_id, v->nullable ? "false" : "true");
        type_json(out, v);
        lake__buf_putc(out, '}');
        return;
    }
    case LAKE_DECIMAL: lake__buf_printf(out, "\"decimal(%u, %u)\"", c->precision, c->scale); return;
    default: lake__buf_printf(out, "\"%s\"", primitive[c->type]); return;
    }
}

int lake__iceberg_schema_json(lake__buf *out, const lake_schema *s, int32_t schema_id) {
    lake__buf_printf(out, "{\"type\":\"struct\",\"schema-id\":%d,\"fields\":[", (int)schema_id);
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (c->auto_ingest_id) continue; /* the _ingest_id column below is the one */
        lake__iceberg_field_json(out, c);
        lake__buf_putc(out, ',');
    }
    lake__buf_printf(out, "{\"id\":%d,\"name\":\"_ingest_id\",\"required\":false,\"type\":\"string\"}]}",
                     (int)lake__schema_ingest_field_id(s));
    return out->failed ? -1 : 0;
}

const char *lake__iceberg_transform_name(lake_partition_transform t, int32_t param, char buf[32]) {
    switch (t) {
    case LAKE_PARTITION_BUCKET: snprintf(buf, 32, "bucket[%d]", (int)param); return buf;
    case LAKE_PARTITION_TRUNCATE: snprintf(buf, 32, "truncate[%d]", (int)param); return buf;
    case LAKE_PARTITION_YEAR: return "year";
    case LAKE_PARTITION_MONTH: return "month";
    case LAKE_PARTITION_DAY: return "day";
    case LAKE_PARTITION_HOUR: return "hour";
    default: return "identity";
    }
}

static const char *suffix(lake_partition_transform t) {
    switch (t) {
    case LAKE_PARTITION_BUCKET: return "_bucket";
    case LAKE_PARTITION_TRUNCATE: return "_trunc";
    case LAKE_PARTITION_YEAR: return "_year";
    case LAKE_PARTITION_MONTH: return "_month";
    case LAKE_PARTITION_DAY: return "_day";
    case LAKE_PARTITION_HOUR: return "_hour";
    default: return "";
    }
}

int lake__iceberg_spec_json(lake__buf *out, const lake_schema *s, lake_error *err) {
    lake__buf_puts(out, "{\"spec-id\":0,\"fields\":[");
    int32_t next = 1000;
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (!c->partition) continue;
        if (!lake__iceberg_transform_fits(c->partition, c->type))
            return lake__error(err, LAKE_ENOTSUP, "column %s: Iceberg has no such transform of a %s column", c->name,
                               lake_type_name(c->type));
        char name[300], buf[32];
        snprintf(name, sizeof name, "%s%s", c->name, suffix(c->partition));
        if (next > 1000) lake__buf_putc(out, ',');
        lake__buf_printf(out, "{\"source-id\":%d,\"field-id\":%d,\"name\":", (int)c->field_id, (int)next++);
        string(out, name);
        lake__buf_printf(out, ",\"transform\":\"%s\"}", lake__iceberg_transform_name(c->partition, c->partition_param, buf));
    }
    lake__buf_puts(out, "]}");
    return out->failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

static int32_t spec_fields(const lake_schema *s) {
    int32_t n = 0;
    for (size_t i = 0; i < lake_schema_column_count(s); i++) n += lake_schema_column(s, i)->partition != LAKE_PARTITION_NONE;
    return n;
}

static void pairs_json(lake__buf *out, const char *const *kv, size_t pairs) {
    for (size_t i = 0; i < pairs; i++) {
        if (i) lake__buf_putc(out, ',');
        string(out, kv[2 * i]);
        lake__buf_putc(out, ':');
        string(out, kv[2 * i + 1]);
    }
}

void lake__iceberg_snapshot_json(lake__buf *out, const lake__iceberg_snapshot *s) {
    lake__buf_printf(out, "{\"snapshot-id\":%lld,", (long long)s->id);
    if (s->parent_id >= 0) lake__buf_printf(out, "\"parent-snapshot-id\":%lld,", (long long)s->parent_id);
    lake__buf_printf(out, "\"sequence-number\":%lld,\"timestamp-ms\":%lld,\"manifest-list\":", (long long)s->sequence_number,
                     (long long)s->timestamp_ms);
    string(out, s->manifest_list);
    lake__buf_puts(out, ",\"summary\":{\"operation\":");
    string(out, s->operation);
    if (s->summary_pairs) lake__buf_putc(out, ',');
    pairs_json(out, s->summary, s->summary_pairs);
    lake__buf_printf(out, "},\"schema-id\":%d}", (int)s->schema_id);
}

int lake__iceberg_metadata_json(lake__buf *out, const lake__iceberg_table *t, lake_error *err) {
    const lake__iceberg_snapshot *current = t->snapshot_count ? &t->snapshots[t->snapshot_count - 1] : NULL;
    lake__buf_puts(out, "{\"format-version\":2,\"table-uuid\":");
    string(out, t->uuid);
    lake__buf_puts(out, ",\"location\":");
    string(out, t->location);
    lake__buf_printf(out, ",\"last-sequence-number\":%lld,\"last-updated-ms\":%lld,\"last-column-id\":%d,"
                          "\"current-schema-id\":0,\"schemas\":[",
                     current ? (long long)current->sequence_number : 0LL, (long long)t->last_updated_ms,
                     (int)lake__schema_ingest_field_id(t->schema));
    lake__iceberg_schema_json(out, t->schema, 0);
    lake__buf_puts(out, "],\"default-spec-id\":0,\"partition-specs\":[");
    int rc = lake__iceberg_spec_json(out, t->schema, err);
    if (rc) return rc;
    lake__buf_printf(out, "],\"last-partition-id\":%d,\"default-sort-order-id\":0,"
                          "\"sort-orders\":[{\"order-id\":0,\"fields\":[]}],\"properties\":{",
                     (int)(999 + spec_fields(t->schema)));
    pairs_json(out, t->properties, t->property_pairs);
    lake__buf_putc(out, '}');
    if (current) {
        lake__buf_printf(out, ",\"current-snapshot-id\":%lld,\"refs\":{\"main\":{\"snapshot-id\":%lld,\"type\":\"branch\"}}",
                         (long long)current->id, (long long)current->id);
    }
    lake__buf_puts(out, ",\"snapshots\":[");
    for (size_t i = 0; i < t->snapshot_count; i++) {
        if (i) lake__buf_putc(out, ',');
        lake__iceberg_snapshot_json(out, &t->snapshots[i]);
    }
    lake__buf_puts(out, "],\"snapshot-log\":[");
    for (size_t i = 0; i < t->snapshot_count; i++)
        lake__buf_printf(out, "%s{\"timestamp-ms\":%lld,\"snapshot-id\":%lld}", i ? "," : "",
                         (long long)t->snapshots[i].timestamp_ms, (long long)t->snapshots[i].id);
    lake__buf_puts(out, "],\"metadata-log\":[]}");
    return out->failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}
