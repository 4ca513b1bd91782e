/* SPDX-License-Identifier: MIT */
/* Creating a Delta table (version 0: protocol, metaData, commitInfo) and
 * adding the model's nullable columns it lacks (a metaData commit): what
 * lake_client_migrate does to a table lakeorm keeps. A rename is refused:
 * Delta files name columns physically, so a rename needs column mapping
 * (protocol, "Column Mapping"), which lakeorm does not write. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <lakeorm/ids.h>

#include "error/error.h"
#include "formats/delta/delta.h"
#include "json/scan.h"
#include "json/write.h"
#include "migrate/renames.h"
#include "util/alloc.h"
#include "util/time.h"

enum { ATTEMPTS = 8 };

/* Delta partitions by a column's values only: other transforms would need
 * generated columns, which lakeorm does not write. */
static int partition_columns(const lake_schema *s, const char **names, size_t *n, lake_error *err) {
    *n = 0;
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (c->partition == LAKE_PARTITION_NONE) continue;
        if (c->partition != LAKE_PARTITION_IDENTITY)
            return lake__error(err, LAKE_ENOTSUP, "column %s of %s: Delta tables partition by a column's values "
                               "(partition), not by a transform of them; lakeorm does not write the generated column "
                               "that would take", c->name, lake_schema_table(s));
        names[(*n)++] = c->name;
    }
    return LAKE_OK;
}

typedef struct creation {
    const lake_schema *schema;
    lake__delta_metadata metadata;
    const char *operation;
    bool with_protocol;
} creation;

static int render_creation(void *ctx, int64_t version, lake__buf *out, lake_error *err) {
    creation *c = ctx;
    lake__delta_lakeorm_info info = {NULL, NULL, NULL, lake_schema_table(c->schema)};
    lake__delta_protocol protocol = {1, 2, NULL, NULL, 0, 0};
    int failed = lake__delta_render_commit_info(out, lake__now_ms(), c->operation, NULL, version - 1, false, &info);
    if (c->with_protocol) failed |= lake__delta_render_protocol(out, &protocol);
    failed |= lake__delta_render_metadata(out, &c->metadata);
    return failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

static int create_table(const lake__delta_table *t, const lake_schema *s, lake_error *err) {
    const char *names[256];
    size_t n = 0;
    if (lake_schema_column_count(s) > sizeof names / sizeof *names)
        return lake__error(err, LAKE_EINVAL, "model %s has too many columns", lake_schema_table(s));
    int rc = partition_columns(s, names, &n, err);
    if (rc) return rc;
    lake_uuid id;
    char id_text[LAKE_UUID_TEXT_LEN + 1];
    if (lake_uuid7_new(&id)) return lake__error(err, LAKE_ERROR, "no randomness for the table id");
    lake_uuid_format(&id, id_text);
    lake__buf schema_json = LAKE__BUF_INIT;
    if (lake__delta_schema_json(&schema_json, s) || lake__buf_putc(&schema_json, 0))
        return lake__buf_dispose(&schema_json), lake__error(err, LAKE_ENOMEM, "out of memory");
    creation c = {s, {id_text, NULL, NULL, schema_json.data, names, n, NULL, 0, lake__now_ms()}, "CREATE TABLE", true};
    lake__delta_commit_spec spec = {-1, render_creation, NULL, &c, NULL, 1};
    int64_t version;
    rc = lake__delta_commit(t, &spec, &version, err);
    lake__buf_dispose(&schema_json);
    return rc;
}

/* The schemaString with `fields` (",{...}" each) added at the end of its
 * top-level field array; the existing fields are kept as written, metadata
 * and all. */
static int splice_fields(const char *schema_string, const lake__buf *fields, lake__buf *out, lake_error *err) {
    lake__json j;
    lake__json_init(&j, schema_string, strlen(schema_string));
    const char *close = NULL;
    bool empty = false, ok = lake__json_expect(&j, '{', "a struct type");
    for (bool first = true; ok && !close; first = false) {
        const char *name;
        size_t len;
        if ((!first && !lake__json_expect(&j, ',', "','")) || !lake__json_string(&j, NULL, &name, &len) ||
            !lake__json_expect(&j, ':', "':'"))
            break;
        bool is_fields = len == 6 && !memcmp(name, "fields", 6);
        lake__json_ws(&j);
        const char *open = j.p;
        if (!lake__json_skip(&j, 1024)) break;
        if (is_fields) {
            close = j.p - 1;
            empty = true;
            for (const char *p = open + 1; p < close; p++) empty &= *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t';
        }
    }
    if (!close || *close != ']') return lake__error(err, LAKE_EIO, "the table's schemaString is not a struct type");
    lake__buf_put(out, schema_string, (size_t)(close - schema_string));
    lake__buf_put(out, fields->data + (empty ? 1 : 0), fields->len - (empty ? 1 : 0));
    lake__buf_puts(out, close);
    return lake__buf_putc(out, 0) ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

/* The model's nullable columns the table lacks, as ",{field}" each. */
static int missing_fields(const lake__delta_snapshot *snap, const lake_schema *s, lake__buf *out, lake_error *err) {
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        bool found = false;
        for (size_t k = 0; k < snap->column_count && !found; k++) found = !strcasecmp(snap->columns[k].name, c->name);
        if (found || !c->nullable) continue; /* a NOT NULL column is assert_schema's to report */
        lake__buf_puts(out, ",{\"name\":");
        lake__json_write_string(out, c->name, strlen(c->name));
        lake__buf_puts(out, ",\"type\":");
        lake__delta_column_type_json(out, c);
        lake__buf_puts(out, ",\"nullable\":true,\"metadata\":{}}");
    }
    return out->failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

static int add_columns(const lake__delta_table *t, const lake__delta_snapshot *snap, const lake_schema *s,
                       lake_error *err) {
    lake__buf fields = LAKE__BUF_INIT, schema_string = LAKE__BUF_INIT;
    int rc = missing_fields(snap, s, &fields, err);
    if (!rc && fields.len) rc = splice_fields(snap->metadata.schema_string, &fields, &schema_string, err);
    if (!rc && fields.len) {
        creation c = {s, snap->metadata, "ADD COLUMNS", false};
        c.metadata.schema_string = schema_string.data;
        lake__delta_commit_spec spec = {snap->version, render_creation, NULL, &c, NULL, 1};
        int64_t version;
        rc = lake__delta_commit(t, &spec, &version, err);
    }
    lake__buf_dispose(&fields);
    lake__buf_dispose(&schema_string);
    return rc;
}

static bool has_column(void *ctx, const char *name) {
    const lake__delta_snapshot *snap = ctx;
    for (size_t i = 0; i < snap->column_count; i++)
        if (!strcmp(snap->columns[i].name, name)) return true;
    return false;
}

/* LAKE_ENOTSUP when a declared rename is due: renaming a column of a table
 * without column mapping would leave every file naming it the old way. */
static int refuse_renames(const lake__delta_snapshot *snap, const lake_schema *s, const lake_rename *renames,
                          size_t count, lake_error *err) {
    if (!count) return LAKE_OK;
    const lake_rename **due = lake__calloc(count, sizeof *due);
    if (!due) return lake__error(err, LAKE_ENOMEM, "out of memory");
    size_t n = 0;
    int rc = lake__renames_due(s, renames, count, has_column, (void *)snap, due, &n, err);
    if (!rc && n)
        rc = lake__error(err, LAKE_ENOTSUP, "rename %s.%s -> %s: a Delta table renames a column only under column "
                                            "mapping, which lakeorm's Delta tables do not use and lakeorm does not "
                                            "write; author a migration (lakeorm migrate generate --dialect delta "
                                            "--rename %s.%s=%s: it turns column mapping on, after which only Spark or "
                                            "Databricks write the table)",
                         lake_schema_table(s), due[0]->from, due[0]->to, lake_schema_table(s), due[0]->from, due[0]->to);
    lake__free(due);
    return rc;
}

int lake__delta_create(void *impl, const lake_schema *s, const lake_rename *renames, size_t rename_count,
                       lake_error *err) {
    lake__delta_table t;
    int rc = lake__delta_table_at(impl, lake_schema_table(s), &t, err);
    /* A concurrent creation or schema change wins the version: look again. */
    for (unsigned attempt = 0; !rc; attempt++) {
        lake__delta_snapshot *snap;
        if ((rc = lake__delta_snapshot_load(&t, -1, &snap, err))) break;
        if (snap->version < 0) rc = create_table(&t, s, err);
        else if (!(rc = lake__delta_check_writable(snap, err)) && !(rc = refuse_renames(snap, s, renames, rename_count, err)))
            rc = add_columns(&t, snap, s, err);
        lake__delta_snapshot_free(snap);
        if (rc != LAKE_ECONFLICT || attempt == ATTEMPTS) break;
        if (err) lake_error_clear(err);
        rc = LAKE_OK;
    }
    return rc;
}
