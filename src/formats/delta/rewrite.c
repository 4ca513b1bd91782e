/* SPDX-License-Identifier: MIT */
/* Copy-on-write on a Delta table: scans of some of its files, and the
 * shared plan (formats/rewrite.c) over them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm/ids.h>

#include "error/error.h"
#include "formats/delta/rewrite.h"
#include "util/alloc.h"

/* ---- scans of some files */

static int scan_view(const lake__delta_table *t, const lake__delta_snapshot *snap, lake__delta_file *files,
                     size_t count, lake__buf *out, lake_error *err) {
    lake__delta_snapshot view = *snap;
    view.files = files;
    view.file_count = count;
    return lake__delta_scan_sql(t, &view, out, err);
}

int lake__delta_scan_files(const lake__delta_table *t, const lake__delta_snapshot *snap, const size_t *indexes,
                           size_t count, lake__buf *out, lake_error *err) {
    lake__delta_file *files = lake__calloc(count ? count : 1, sizeof *files);
    if (!files) return lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; i < count; i++) files[i] = snap->files[indexes[i]];
    int rc = scan_view(t, snap, files, count, out, err);
    lake__free(files);
    return rc;
}

int lake__delta_scan_written(const lake__delta_table *t, const lake__delta_snapshot *snap,
                             const lake__delta_written *written, size_t count, lake__buf *out, lake_error *err) {
    lake__delta_file *files = lake__calloc(count ? count : 1, sizeof *files);
    lake__buf *paths = lake__calloc(count ? count : 1, sizeof *paths);
    int rc = files && paths ? LAKE_OK : lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < count; i++) {
        if (lake__delta_path_encode(&paths[i], written[i].path) || lake__buf_putc(&paths[i], 0)) {
            rc = lake__error(err, LAKE_ENOMEM, "out of memory");
            break;
        }
        files[i] = (lake__delta_file){paths[i].data, written[i].partition_values, written[i].partition_count,
                                      written[i].size, written[i].modification_time, -1, true, written[i].stats, false};
    }
    if (!rc) rc = scan_view(t, snap, files, count, out, err);
    for (size_t i = 0; paths && i < count; i++) lake__buf_dispose(&paths[i]);
    lake__free(paths);
    lake__free(files);
    return rc;
}

/* ---- the plan, through the shared one */

typedef struct adapter {
    const lake__delta_request *r;
    lake__delta_plan *plan;
} adapter;

static int scan(void *ctx, const size_t *indexes, size_t count, lake__buf *out, lake_error *err) {
    const lake__delta_request *r = ((adapter *)ctx)->r;
    return indexes ? lake__delta_scan_files(r->t, r->snap, indexes, count, out, err)
                   : lake__delta_scan_written(r->t, r->snap, r->written, r->written_count, out, err);
}

static bool may_hold(void *ctx, size_t file) {
    adapter *a = ctx;
    return lake__delta_may_hold(a->plan->range, a->r->snap->files[file].stats, a->r->keys);
}

/* Rows written anew go to files of their own, each row keeping its _ingest_id. */
static int write_rows(void *ctx, const void *records, size_t count, lake_error *err) {
    adapter *a = ctx;
    const lake__delta_request *r = a->r;
    if (!a->plan->extra) {
        lake_uuid tag;
        char tag_text[LAKE_UUID_TEXT_LEN + 1];
        if (lake_uuid7_new(&tag)) return lake__error(err, LAKE_ERROR, "no randomness for file names");
        lake_uuid_format(&tag, tag_text);
        const lake__delta_metadata *m = &r->snap->metadata;
        lake__delta_files_spec spec = {r->extended, m->partition_columns, m->partition_count, NULL, tag_text,
                                       r->t->delta->cfg.compression, r->t->delta->cfg.row_group_bytes, 0,
                                       r->t->delta->cfg.threads};
        int rc = lake__delta_files_open(r->t, &spec, &a->plan->extra, err);
        if (rc) return rc;
    }
    return lake__delta_files_add(a->plan->extra, records, count, err);
}

int lake__delta_plan_request(const lake__delta_request *r, lake__delta_plan *plan, lake_error *err) {
    memset(plan, 0, sizeof *plan);
    if (!r->key_count) return LAKE_OK; /* a blind append */
    int rc = lake__delta_key_range_of(r->written, r->written_count, r->keys, r->key_count, &plan->range, err);
    if (rc) return rc;
    adapter a = {r, plan};
    lake__rewrite_request shared = {&r->t->delta->cfg.engine, r->t->name, r->extended, r->keys, r->key_count, r->on,
                                    r->on_conflict, r->snap->file_count, scan, may_hold, write_rows, &a};
    rc = lake__rewrite_plan_make(&shared, &plan->base, err);
    if (!rc && plan->extra) rc = lake__delta_files_close(plan->extra, &plan->extra_written, &plan->extra_count, err);
    return rc;
}

void lake__delta_plan_free(lake__delta_plan *plan, bool delete_files) {
    if (plan->extra) lake__delta_files_free(plan->extra, delete_files);
    lake__delta_key_range_free(plan->range);
    lake__rewrite_plan_free(&plan->base);
    memset(plan, 0, sizeof *plan);
}
