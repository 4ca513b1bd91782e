/* SPDX-License-Identifier: MIT */
/* Migration folders are outside input: a reviewer may edit any file. Any
 * bytes as a migration file and as lakeorm.sum: reading the state block and
 * verifying the manifest never crash or leak, and refusals say why. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migrate/files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void put(const char *name, const uint8_t *data, size_t size) {
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    fwrite(data, 1, size, f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/lake_fuzz_migrations_XXXXXX");
        if (!mkdtemp(dir)) abort();
    }
    put("20250101000000_t.sql", data, size);
    put("lakeorm.sum", data, size);
    lake_error err = LAKE_ERROR_INIT;
    lake__names files;
    if (lake__list_sql(dir, &files, &err) == LAKE_OK) {
        lake_schema *prior = NULL;
        int rc = lake__prior_state(dir, &files, "t", &prior, NULL, 0, &err);
        if (rc && !err.message[0]) abort();
        lake_schema_free(prior);
        lake__names_free(&files);
    }
    lake_error_clear(&err);
    int rc = lake_migrate_verify(dir, &err);
    if (rc && !err.message[0]) abort();
    lake_error_clear(&err);
    return 0;
}
