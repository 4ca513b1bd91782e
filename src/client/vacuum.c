/* SPDX-License-Identifier: MIT */
/* Vacuum: removing the files a table format's versions no longer read. Only
 * tables lakeorm keeps itself have any here; an engine vacuums its own. */
#include <stdio.h>

#include "client/client.h"
#include "error/error.h"
#include "util/version.h"

int lake_client_vacuum(lake_client *c, const char *table, int64_t retain_us, bool dry_run, lake_vacuum_fn fn, void *ctx,
                       lake_vacuum_report *report, lake_error *err) {
    if (!c || !table || !*table || retain_us < 0)
        return lake__error(err, LAKE_EINVAL, "lake_client_vacuum: a client, a table and a non-negative retention are required");
    int rc = report ? LAKE__VERSION_CHECK(report, lake_vacuum_report, LAKE_VACUUM_REPORT, err) : LAKE_OK;
    if (!rc && !c->format)
        rc = lake__error(err, LAKE_ENOTSUP, "vacuum removes files of tables lakeorm keeps (a client with a warehouse); "
                                            "this client's engine keeps table %s and vacuums it itself", table);
    if (!rc && !dry_run) rc = lake__client_writable(c, "vacuum tables", err);
    if (rc) return lake__metric_error(c, rc);
    uint64_t files = 0, bytes = 0;
    double started = lake__seconds();
    rc = c->format->vacuum(c->format_impl, table, retain_us, dry_run, fn, ctx, &files, &bytes, err);
    lake__metric_phase(c, LAKE_PHASE_CLEANUP, started);
    if (report) {
        /* Version 1 is the whole struct; a later version fills only the caller's version's fields. */
        report->files = files;
        report->bytes = bytes;
    }
    char n[24];
    snprintf(n, sizeof n, "%llu", (unsigned long long)files);
    if (!rc)
        lake__log(c, LAKE_LOG_INFO, dry_run ? "vacuum.dry_run" : "vacuum.done", LOG_TEXT("table", table),
                  LOG_INT("files", n), NULL);
    return lake__metric_error(c, rc);
}
