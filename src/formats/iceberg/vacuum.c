/* SPDX-License-Identifier: MIT */
/* lakeorm vacuum on an Iceberg table: files under the table's location
 * that no snapshot of its current metadata references (data files,
 * manifests, manifest lists) and that no metadata file in its log is, older
 * than the retention: what a killed writer or a lost commit race left. A
 * file a writer may still commit is younger than any sane retention. */
#include <stdlib.h>
#include <string.h>

#include "error/error.h"
#include "formats/iceberg/iceberg.h"
#include "util/alloc.h"

int lake__iceberg_vacuum(void *impl, const char *table, int64_t retain_us, bool dry_run, lake_vacuum_fn fn, void *ctx,
                         uint64_t *files, uint64_t *bytes, lake_error *err) {
    (void)impl, (void)table, (void)retain_us, (void)dry_run, (void)fn, (void)ctx, (void)files, (void)bytes;
    return lake__error(err, LAKE_ENOTSUP, "vacuum of Iceberg tables is not written yet");
}
