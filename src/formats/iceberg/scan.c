/* SPDX-License-Identifier: MIT */
/* What the engine runs to read an Iceberg table: its data files through
 * DuckDB's Parquet reader with the current schema given by field id, so
 * files written before a column was added or renamed read right (a column
 * a file lacks reads as NULL), whichever writer made them. */
#include <string.h>

#include "dialects/compute_scan.h"
#include "dialects/quote.h"
#include "error/error.h"
#include "formats/iceberg/iceberg.h"

static int oom(lake_error *err) { return lake__error(err, LAKE_ENOMEM, "out of memory"); }

/* The local path of a data file named by URI. */
static int local_path(const lake__iceberg_table_state *t, const char *uri, lake__buf *out, lake_error *err) {
    lake__buf key = LAKE__BUF_INIT, path = LAKE__BUF_INIT;
    int rc = lake__iceberg_key_of(t->store, uri, &key, err);
    if (!rc) rc = lake__format_local_path(t->store, t->ice->cfg.cache_dir, key.data, &path, err);
    if (!rc && lake__buf_putc(&path, 0)) rc = oom(err);
    if (!rc) rc = lake__sql_literal(out, path.data, err);
    lake__buf_dispose(&key);
    lake__buf_dispose(&path);
    return rc;
}

int lake__iceberg_scan_sql(const lake__iceberg_table_state *t, const size_t *indexes, size_t count,
                           const char *const *uris, size_t uri_count, lake__buf *out, lake_error *err) {
    const lake__iceberg_loaded *m = &t->meta;
    size_t files = uris ? uri_count : count;
    bool has_ingest = false;
    lake__buf type = LAKE__BUF_INIT;
    int rc = LAKE_OK;
    lake__buf_puts(out, "SELECT ");
    for (size_t i = 0; !rc && i < m->field_count; i++) {
        const lake__iceberg_field *f = &m->fields[i];
        has_ingest |= !strcmp(f->name, "_ingest_id");
        type.len = 0;
        if ((rc = lake__iceberg_engine_type(&type, f, err))) break;
        if (i) lake__buf_puts(out, ", ");
        if (!files) { /* no file: typed NULLs, no rows */
            lake__buf_printf(out, "CAST(NULL AS %.*s) AS ", (int)type.len, type.data);
        }
        lake__quote(out, f->name, '"');
    }
    if (!rc && !has_ingest) lake__buf_puts(out, ", CAST(NULL AS VARCHAR) AS \"_ingest_id\"");
    if (!rc && !files) lake__buf_puts(out, " WHERE false");
    if (!rc && files) {
        lake__buf_puts(out, " FROM read_parquet([");
        for (size_t i = 0; !rc && i < files; i++) {
            if (i) lake__buf_puts(out, ", ");
            rc = local_path(t, uris ? uris[i] : t->files[indexes ? indexes[i] : i].path, out, err);
        }
        /* the current schema by field id: names and types as the table has them now */
        lake__buf_puts(out, "], schema=MAP{");
        for (size_t i = 0; !rc && i < m->field_count; i++) {
            const lake__iceberg_field *f = &m->fields[i];
            type.len = 0;
            if ((rc = lake__iceberg_engine_type(&type, f, err)) || lake__buf_putc(&type, 0)) break;
            lake__buf_printf(out, "%s%d: {name: ", i ? ", " : "", (int)f->id);
            if (!(rc = lake__sql_literal(out, f->name, err))) {
                lake__buf_puts(out, ", type: ");
                rc = lake__sql_literal(out, type.data, err);
            }
            lake__buf_puts(out, ", default_value: NULL}");
        }
        lake__buf_puts(out, "})");
    }
    lake__buf_dispose(&type);
    if (!rc && (out->failed || type.failed)) rc = oom(err);
    return rc;
}
