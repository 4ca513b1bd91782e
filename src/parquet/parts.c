/* SPDX-License-Identifier: MIT */
/* Parts: a sequence of Parquet files, the next one opened when the current
 * one passes the byte threshold or the row backstop. */
#include <lakeorm/parquet.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "parquet/writer.h"
#include "util/alloc.h"
#include "util/version.h"

enum { SLICE = 4096 }; /* rows between roll checks */

struct lake_parquet_parts {
    const lake_schema *schema;
    lake_part_sinks sinks;
    lake_parquet_parts_options opts;
    lake_parquet_writer *current;
    unsigned number; /* of the current part; parts finished = number - (current != NULL) */
    char name[32];
    bool failed;
};

int lake_parquet_parts_open(lake_parquet_parts **out, const lake_schema *schema, const lake_part_sinks *sinks,
                            const lake_parquet_parts_options *opts, lake_error *err) {
    if (!out || !schema || !sinks || !sinks->open)
        return lake__error(err, LAKE_EINVAL, "lake_parquet_parts_open: out, schema and sinks->open are required");
    lake_parquet_parts_options o = LAKE_PARQUET_PARTS_OPTIONS_INIT;
    if (opts) {
        int rc = LAKE__VERSION_CHECK(opts, lake_parquet_parts_options, LAKE_PARQUET_PARTS_OPTIONS, err);
        if (rc) return rc;
        if (opts->version == 1) {
            /* Its `file` was a version 1 lake_parquet_options: shorter, so part_bytes and part_rows sit earlier. */
            const unsigned char *at = (const unsigned char *)opts + offsetof(lake_parquet_parts_options, file);
            size_t file = lake__parquet_options_size(1);
            memcpy(&o.file, at, file);
            memcpy(&o.part_bytes, at + file, sizeof o.part_bytes);
            memcpy(&o.part_rows, at + file + sizeof o.part_bytes, sizeof o.part_rows);
        } else {
            o = *opts;
        }
    }
    if (!o.part_bytes) o.part_bytes = (uint64_t)128 << 20;
    if (!o.part_rows) o.part_rows = 50000000;
    lake_parquet_parts *p = lake__calloc(1, sizeof *p);
    if (!p) return lake__error(err, LAKE_ENOMEM, "out of memory");
    p->schema = schema;
    p->sinks = *sinks;
    p->opts = o;
    *out = p;
    return LAKE_OK;
}

static int finish(lake_parquet_parts *p, lake_error *err) {
    int rc = lake_parquet_writer_close(p->current, err);
    uint64_t bytes = lake_parquet_writer_bytes(p->current), rows = lake_parquet_writer_rows(p->current);
    lake_parquet_writer_free(p->current);
    p->current = NULL;
    if (!rc && p->sinks.close) rc = p->sinks.close(p->sinks.ctx, p->number, p->name, bytes, rows, err);
    return rc;
}

int lake_parquet_parts_append(lake_parquet_parts *p, const void *records, size_t count, lake_error *err) {
    if (!p || (!records && count)) return lake__error(err, LAKE_EINVAL, "lake_parquet_parts_append: parts and records are required");
    if (p->failed) return lake__error(err, LAKE_EINVAL, "the Parquet parts writer has failed");
    const unsigned char *base = records;
    size_t size = lake_schema_record_size(p->schema);
    for (size_t at = 0; at < count;) {
        int rc;
        if (!p->current) {
            p->number++;
            snprintf(p->name, sizeof p->name, "part-%05u.parquet", p->number);
            lake_sink sink;
            if ((rc = p->sinks.open(p->sinks.ctx, p->number, p->name, &sink, err)) ||
                (rc = lake_parquet_writer_open(&p->current, p->schema, &sink, &p->opts.file, err))) {
                p->failed = true;
                return rc;
            }
        }
        uint64_t room = p->opts.part_rows - lake_parquet_writer_rows(p->current);
        size_t n = count - at < SLICE ? count - at : SLICE;
        if (n > room) n = (size_t)room;
        if ((rc = lake_parquet_writer_append(p->current, base + at * size, n, err))) {
            if (rc != LAKE_EVALIDATION) p->failed = true;
            return rc;
        }
        at += n;
        if (lake_parquet_writer_bytes(p->current) >= p->opts.part_bytes ||
            lake_parquet_writer_rows(p->current) >= p->opts.part_rows) {
            if ((rc = finish(p, err))) {
                p->failed = true;
                return rc;
            }
        }
    }
    return LAKE_OK;
}

int lake_parquet_parts_close(lake_parquet_parts *p, lake_error *err) {
    if (!p) return lake__error(err, LAKE_EINVAL, "lake_parquet_parts_close: parts is NULL");
    if (p->failed) return lake__error(err, LAKE_EINVAL, "the Parquet parts writer has failed");
    if (!p->current) return LAKE_OK;
    int rc = finish(p, err);
    if (rc) p->failed = true;
    return rc;
}

unsigned lake_parquet_parts_count(const lake_parquet_parts *p) {
    return p ? p->number - (p->current != NULL) : 0;
}

void lake_parquet_parts_free(lake_parquet_parts *p) {
    if (!p) return;
    lake_parquet_writer_free(p->current);
    lake__free(p);
}
